package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.BadRequest;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.CreateMetastore;
import com.databricks.sdk.service.catalog.CreateMetastoreAssignment;
import com.databricks.sdk.service.catalog.GetMetastoreSummaryResponse;
import com.databricks.sdk.service.catalog.ListMetastoresRequest;
import com.databricks.sdk.service.catalog.ListMetastoresResponse;
import com.databricks.sdk.service.catalog.MetastoreAssignment;
import com.databricks.sdk.service.catalog.MetastoreInfo;
import com.databricks.sdk.service.catalog.UnassignRequest;
import com.databricks.sdk.service.catalog.UpdateMetastoreAssignment;
import dev.failover.simulator.databricks.MetastoresState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated metastore endpoints, driven only through the SDK's {@code MetastoresAPI}. */
class MetastoresApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;
  private MetastoresState metastores;
  private long workspaceId;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    metastores = simulator.workspace("primary").metastores();
    metastores.setRegion("us-west-2");
    workspaceId = metastores.workspaceId();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void aWorkspaceWithoutAssignmentAnswersNotFoundAsTheServiceDoes() {
    assertThatThrownBy(() -> workspace.metastores().current())
        .isInstanceOf(NotFound.class)
        .hasMessage("No metastore assigned for the current workspace.")
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("METASTORE_DOES_NOT_EXIST"));
    assertThatThrownBy(() -> workspace.metastores().summary()).isInstanceOf(NotFound.class);
  }

  @Test
  void assignReadUpdateAndUnassign() {
    MetastoreInfo dr =
        workspace
            .metastores()
            .create(
                new CreateMetastore()
                    .setName("acme-usw2")
                    .setStorageRoot("s3://acme-usw2/metastore"));
    assertThat(dr.getRegion()).as("the workspace's region by default").isEqualTo("us-west-2");

    workspace
        .metastores()
        .assign(
            new CreateMetastoreAssignment()
                .setWorkspaceId(workspaceId)
                .setMetastoreId(dr.getMetastoreId())
                .setDefaultCatalogName("main"));
    MetastoreAssignment current = workspace.metastores().current();
    assertThat(current.getMetastoreId()).isEqualTo(dr.getMetastoreId());
    assertThat(current.getWorkspaceId()).isEqualTo(workspaceId);
    assertThat(current.getDefaultCatalogName()).isEqualTo("main");
    GetMetastoreSummaryResponse summary = workspace.metastores().summary();
    assertThat(summary.getName()).isEqualTo("acme-usw2");
    assertThat(summary.getRegion()).isEqualTo("us-west-2");
    assertThat(summary.getCloud()).isEqualTo("aws");
    assertThat(summary.getGlobalMetastoreId()).isEqualTo("aws:us-west-2:" + dr.getMetastoreId());

    workspace
        .metastores()
        .updateAssignment(
            new UpdateMetastoreAssignment()
                .setWorkspaceId(workspaceId)
                .setDefaultCatalogName("sales"));
    assertThat(workspace.metastores().current().getDefaultCatalogName()).isEqualTo("sales");

    assertThatThrownBy(
            () ->
                workspace
                    .metastores()
                    .unassign(
                        new UnassignRequest()
                            .setWorkspaceId(workspaceId)
                            .setMetastoreId("00000000-0000-0000-0000-000000000000")))
        .isInstanceOf(InvalidParameterValue.class);
    workspace
        .metastores()
        .unassign(
            new UnassignRequest().setWorkspaceId(workspaceId).setMetastoreId(dr.getMetastoreId()));
    assertThatThrownBy(() -> workspace.metastores().current()).isInstanceOf(NotFound.class);
    assertThat(workspace.metastores().get(dr.getMetastoreId()).getName())
        .as("unassigning keeps the metastore")
        .isEqualTo("acme-usw2");
  }

  @Test
  void assignmentIsRefusedForAMetastoreOfAnotherRegionOrAnUnknownOne() {
    MetastoreInfo east =
        workspace
            .metastores()
            .create(new CreateMetastore().setName("acme-use1").setRegion("us-east-1"));
    assertThatThrownBy(
            () ->
                workspace
                    .metastores()
                    .assign(
                        new CreateMetastoreAssignment()
                            .setWorkspaceId(workspaceId)
                            .setMetastoreId(east.getMetastoreId())))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("us-east-1");
    assertThatThrownBy(
            () ->
                workspace
                    .metastores()
                    .assign(
                        new CreateMetastoreAssignment()
                            .setWorkspaceId(workspaceId)
                            .setMetastoreId("11111111-1111-1111-1111-111111111111")))
        .isInstanceOf(NotFound.class);
    assertThatThrownBy(
            () ->
                workspace
                    .metastores()
                    .updateAssignment(
                        new UpdateMetastoreAssignment()
                            .setWorkspaceId(workspaceId)
                            .setDefaultCatalogName("main")))
        .as("no assignment to update")
        .isInstanceOf(NotFound.class);
  }

  @Test
  void metastoresAreListedAcrossPagesAndNamesAreUnique() {
    for (int i = 0; i < 7; i++) {
      workspace
          .metastores()
          .create(new CreateMetastore().setName("m" + i).setRegion("eu-west-" + i));
    }
    ListMetastoresResponse first =
        workspace.metastores().impl().list(new ListMetastoresRequest().setMaxResults(3L));
    assertThat(first.getMetastores()).hasSize(3);
    assertThat(first.getNextPageToken()).isNotBlank();
    List<String> names = new ArrayList<>();
    workspace
        .metastores()
        .list(new ListMetastoresRequest().setMaxResults(3L))
        .forEach(m -> names.add(m.getName()));
    assertThat(names).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6");

    assertThatThrownBy(
            () ->
                workspace
                    .metastores()
                    .create(new CreateMetastore().setName("m0").setRegion("us-west-2")))
        .isInstanceOf(BadRequest.class)
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("METASTORE_ALREADY_EXISTS"));
    assertThatThrownBy(() -> workspace.metastores().get("nope"))
        .isInstanceOf(NotFound.class)
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("METASTORE_DOES_NOT_EXIST"));
    assertThatThrownBy(
            () -> workspace.metastores().list(new ListMetastoresRequest().setMaxResults(-1L)))
        .isInstanceOf(InvalidParameterValue.class);
  }
}
