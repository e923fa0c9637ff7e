package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.service.compute.AddInstanceProfile;
import com.databricks.sdk.service.compute.AwsAttributes;
import com.databricks.sdk.service.compute.ClusterSpec;
import com.databricks.sdk.service.compute.CreateCluster;
import com.databricks.sdk.service.compute.InstanceProfile;
import com.databricks.sdk.service.jobs.CreateJob;
import com.databricks.sdk.service.jobs.JobCluster;
import com.databricks.sdk.service.jobs.NotebookTask;
import com.databricks.sdk.service.jobs.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workspace places clusters and job clusters only in zones of its region ("auto" included) and
 * with instance profiles registered with it, through the real SDK.
 */
class ComputePlacementTest {
  private static final String PROFILE = "arn:aws:iam::123456789012:instance-profile/etl";

  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    simulator.workspace("primary").computePlacement().setRegion("us-east-1");
    workspace = SdkClients.workspace(simulator, "primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static CreateCluster cluster(AwsAttributes aws) {
    return new CreateCluster()
        .setClusterName("etl")
        .setSparkVersion("15.4.x-scala2.12")
        .setNodeTypeId("i3.xlarge")
        .setNumWorkers(1L)
        .setAwsAttributes(aws);
  }

  @Test
  void aClusterInAZoneOfTheRegionOrAutoIsCreatedAndOneElsewhereRefused() {
    workspace.clusters().create(cluster(new AwsAttributes().setZoneId("us-east-1c")));
    workspace.clusters().create(cluster(new AwsAttributes().setZoneId("auto")));

    for (String zone : List.of("us-west-2a", "us-east-1", "us-east-1cc")) {
      assertThatThrownBy(
              () -> workspace.clusters().create(cluster(new AwsAttributes().setZoneId(zone))))
          .isInstanceOf(InvalidParameterValue.class)
          .hasMessageContaining("aws_attributes.zone_id " + zone + " is not a zone of")
          .hasMessageContaining("us-east-1");
    }
    assertThat(simulator.workspace("primary").clusters().clusters()).hasSize(2);
  }

  @Test
  void anInstanceProfileMustBeRegisteredWithTheWorkspace() {
    CreateCluster withProfile = cluster(new AwsAttributes().setInstanceProfileArn(PROFILE));
    assertThatThrownBy(() -> workspace.clusters().create(withProfile))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("aws_attributes.instance_profile_arn " + PROFILE)
        .hasMessageContaining("is not an instance profile registered with this workspace");

    workspace.instanceProfiles().add(new AddInstanceProfile().setInstanceProfileArn(PROFILE));
    List<InstanceProfile> listed = new ArrayList<>();
    workspace.instanceProfiles().list().forEach(listed::add);
    assertThat(listed).extracting(InstanceProfile::getInstanceProfileArn).containsExactly(PROFILE);
    workspace.clusters().create(withProfile);

    // Registered with the primary only: the other workspace still refuses it.
    simulator.workspace("secondary").computePlacement().setRegion("us-west-2");
    assertThatThrownBy(
            () -> SdkClients.workspace(simulator, "secondary").clusters().create(withProfile))
        .isInstanceOf(InvalidParameterValue.class);

    workspace.instanceProfiles().remove(PROFILE);
    assertThatThrownBy(() -> workspace.clusters().create(withProfile))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void aJobClusterIsCheckedAsAClusterIs() {
    CreateJob job =
        new CreateJob()
            .setName("nightly")
            .setJobClusters(
                List.of(
                    new JobCluster()
                        .setJobClusterKey("main")
                        .setNewCluster(
                            new ClusterSpec()
                                .setSparkVersion("15.4.x-scala2.12")
                                .setNodeTypeId("i3.xlarge")
                                .setNumWorkers(1L)
                                .setAwsAttributes(new AwsAttributes().setZoneId("us-west-2b")))));

    assertThatThrownBy(() -> workspace.jobs().create(job))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("job_clusters[0].new_cluster.aws_attributes.zone_id us-west-2b");
    assertThat(simulator.workspace("primary").jobs().jobs()).isEmpty();

    CreateJob taskCluster =
        new CreateJob()
            .setName("hourly")
            .setTasks(
                List.of(
                    new Task()
                        .setTaskKey("main")
                        .setNotebookTask(new NotebookTask().setNotebookPath("/Shared/hourly"))
                        .setNewCluster(
                            new ClusterSpec()
                                .setSparkVersion("15.4.x-scala2.12")
                                .setNodeTypeId("i3.xlarge")
                                .setNumWorkers(1L)
                                .setAwsAttributes(
                                    new AwsAttributes().setInstanceProfileArn(PROFILE)))));
    assertThatThrownBy(() -> workspace.jobs().create(taskCluster))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("tasks[0].new_cluster.aws_attributes.instance_profile_arn");
    workspace.instanceProfiles().add(new AddInstanceProfile().setInstanceProfileArn(PROFILE));
    workspace.jobs().create(taskCluster);
    assertThat(simulator.workspace("primary").jobs().jobs()).hasSize(1);
  }
}
