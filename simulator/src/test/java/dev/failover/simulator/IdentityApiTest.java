package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.PermissionDenied;
import com.databricks.sdk.core.error.platform.Unauthenticated;
import com.databricks.sdk.service.iam.ListServicePrincipalsRequest;
import com.databricks.sdk.service.iam.ListUsersRequest;
import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.CreateJob;
import com.databricks.sdk.service.jobs.GetJobRequest;
import com.databricks.sdk.service.jobs.Job;
import com.databricks.sdk.service.jobs.JobRunAs;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.ResetJob;
import com.databricks.sdk.service.jobs.UpdateJob;
import dev.failover.simulator.databricks.GroupsState;
import dev.failover.simulator.databricks.PrincipalsState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who calls: users, service principals, their tokens and workspace admins, through SCIM and the
 * Jobs API's {@code run_as}, driven only through the real Databricks SDK for Java.
 */
class IdentityApiTest {
  private static final String ADMIN = "sre-automation@acme.example";
  private static final String ANALYST = "olivia.smith@acme.example";
  private static final String ENGINEER = "maria.garcia@acme.example";
  private static final String SP = "0b7c4f21-6a3e-4d58-9f12-7e8d2c1b5a90";

  private Simulator simulator;
  private PrincipalsState principals;
  private WorkspaceClient admin;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    principals = simulator.workspace("primary").principals();
    principals.addUser(ANALYST, "Olivia Smith");
    principals.addUser(ENGINEER, "Maria Garcia");
    principals.addServicePrincipal(SP, "etl-runner");
    principals.grantServicePrincipalUser(SP, ENGINEER);
    admin = SdkClients.workspace(simulator, "primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private WorkspaceClient as(String principal) {
    return SdkClients.workspace(simulator, "primary", principal);
  }

  @Test
  void meIsTheCallerOfTheToken() {
    assertThat(admin.currentUser().me(new MeRequest()).getUserName()).isEqualTo(ADMIN);
    User analyst = as(ANALYST).currentUser().me(new MeRequest());
    assertThat(analyst.getUserName()).isEqualTo(ANALYST);
    assertThat(analyst.getDisplayName()).isEqualTo("Olivia Smith");
    assertThat(analyst.getGroups()).extracting(g -> g.getDisplay()).containsExactly("users");
    // A service principal's Me answers its application id as the user name.
    assertThat(as("etl-runner").currentUser().me(new MeRequest()).getUserName()).isEqualTo(SP);
    assertThat(admin.currentUser().me(new MeRequest()).getGroups())
        .extracting(g -> g.getDisplay())
        .contains("admins", "users");
  }

  @Test
  void aTokenTheWorkspaceDidNotIssueIsRejected() {
    WorkspaceClient stranger =
        new WorkspaceClient(
            new com.databricks.sdk.core.DatabricksConfig()
                .setHost(simulator.workspaceUrl("primary").toString())
                .setToken("dapi0000")
                .setAuthType("pat"));
    assertThatThrownBy(() -> stranger.currentUser().me(new MeRequest()))
        .isInstanceOf(Unauthenticated.class);
  }

  @Test
  void usersAndServicePrincipalsAreListedPageByPage() {
    for (int i = 0; i < 23; i++) {
      principals.addUser(String.format("user%02d@acme.example", i), null);
    }
    simulator.requests().clear();
    List<String> names = new ArrayList<>();
    as(ANALYST)
        .users()
        .list(new ListUsersRequest().setCount(10L))
        .forEach(u -> names.add(u.getUserName()));
    assertThat(names)
        .hasSize(26)
        .doesNotHaveDuplicates()
        .contains(ADMIN, ANALYST, "user22@acme.example");
    assertThat(simulator.requests().all())
        .extracting(RecordedRequest::query)
        .filteredOn(q -> q.contains("startIndex"))
        .hasSizeGreaterThanOrEqualTo(3);

    List<ServicePrincipal> sps = new ArrayList<>();
    admin
        .servicePrincipals()
        .list(new ListServicePrincipalsRequest().setFilter("displayName eq \"etl-runner\""))
        .forEach(sps::add);
    assertThat(sps).extracting(ServicePrincipal::getApplicationId).containsExactly(SP);
  }

  @Test
  void onlyAnAdminAddsUsers() {
    assertThatThrownBy(() -> as(ANALYST).users().create(new User().setUserName("new@acme.example")))
        .isInstanceOf(PermissionDenied.class)
        .hasMessageContaining(ANALYST);
    User created = admin.users().create(new User().setUserName("new@acme.example"));
    assertThat(admin.users().get(created.getId()).getUserName()).isEqualTo("new@acme.example");
  }

  private static CreateJob job(String name) {
    return new CreateJob().setName(name);
  }

  private Job get(long jobId) {
    return admin.jobs().get(new GetJobRequest().setJobId(jobId));
  }

  @Test
  void aJobIsCreatedByAndRunsAsItsCallerUnlessRunAsSaysOtherwise() {
    long own = as(ANALYST).jobs().create(job("own")).getJobId();
    assertThat(get(own).getCreatorUserName()).isEqualTo(ANALYST);
    assertThat(get(own).getRunAsUserName()).isEqualTo(ANALYST);
    // settings.run_as shows only an explicit run_as; run_as_user_name shows the identity always.
    assertThat(get(own).getSettings().getRunAs()).isNull();
    long etl =
        as(ENGINEER)
            .jobs()
            .create(job("etl").setRunAs(new JobRunAs().setServicePrincipalName(SP)))
            .getJobId();
    assertThat(get(etl).getRunAsUserName()).isEqualTo(SP);
    assertThat(get(etl).getCreatorUserName()).isEqualTo(ENGINEER);
    assertThat(get(etl).getSettings().getRunAs())
        .isEqualTo(new JobRunAs().setServicePrincipalName(SP));
    assertThat(simulator.workspace("primary").jobs().job(etl).owner()).isEqualTo(ENGINEER);
    List<BaseJob> listed = new ArrayList<>();
    admin.jobs().list(new ListJobsRequest()).forEach(listed::add);
    assertThat(listed)
        .extracting(j -> j.getSettings().getRunAs())
        .containsExactly(new JobRunAs().setServicePrincipalName(SP), null);

    // Neither an update nor a reset without run_as changes it.
    as(ENGINEER)
        .jobs()
        .update(
            new UpdateJob()
                .setJobId(etl)
                .setNewSettings(new JobSettings().setMaxConcurrentRuns(2L)));
    assertThat(get(etl).getRunAsUserName()).isEqualTo(SP);
    as(ENGINEER)
        .jobs()
        .reset(new ResetJob().setJobId(etl).setNewSettings(new JobSettings().setName("etl")));
    assertThat(get(etl).getRunAsUserName()).isEqualTo(SP);
    assertThat(get(etl).getSettings().getRunAs())
        .isEqualTo(new JobRunAs().setServicePrincipalName(SP));
    // Removing it makes the job run as its owner again.
    as(ENGINEER).jobs().update(new UpdateJob().setJobId(etl).setFieldsToRemove(List.of("run_as")));
    assertThat(get(etl).getRunAsUserName()).isEqualTo(ENGINEER);
    assertThat(get(etl).getSettings().getRunAs()).isNull();
  }

  @Test
  void aJobThatRunsAsAGroupShowsTheGroupInItsSettings() {
    GroupsState groups = simulator.workspace("primary").groups();
    String id = principals.named(ENGINEER).orElseThrow().id();
    groups.create(
        "etl-operators",
        null,
        List.of(new GroupsState.Member(id, ENGINEER, "Users/" + id)),
        List.of(),
        List.of());
    long job =
        as(ENGINEER)
            .jobs()
            .create(job("grouped").setRunAs(new JobRunAs().setGroupName("etl-operators")))
            .getJobId();
    assertThat(get(job).getSettings().getRunAs())
        .isEqualTo(new JobRunAs().setGroupName("etl-operators"));
  }

  @Test
  void aNonAdminSetsRunAsOnlyToItselfOrAServicePrincipalItHasTheUserRoleOn() {
    // A missing right is a 400 naming run_as: the real code is undocumented, and 400 is the
    // harsher for a client, which cannot tell it from any other bad request by the code.
    assertThatThrownBy(
            () ->
                as(ANALYST).jobs().create(job("x").setRunAs(new JobRunAs().setUserName(ENGINEER))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("only to itself");
    assertThatThrownBy(
            () ->
                as(ANALYST)
                    .jobs()
                    .create(job("x").setRunAs(new JobRunAs().setServicePrincipalName(SP))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("run_as.service_principal_name")
        .hasMessageContaining("servicePrincipal.user");
    assertThat(simulator.workspace("primary").jobs().jobs()).isEmpty();

    long self =
        as(ANALYST)
            .jobs()
            .create(job("x").setRunAs(new JobRunAs().setUserName(ANALYST)))
            .getJobId();
    assertThat(get(self).getRunAsUserName()).isEqualTo(ANALYST);
    // The same rule holds for changing run_as on an existing job, which is left as it was.
    assertThatThrownBy(
            () ->
                as(ANALYST)
                    .jobs()
                    .update(
                        new UpdateJob()
                            .setJobId(self)
                            .setNewSettings(
                                new JobSettings()
                                    .setName("renamed")
                                    .setRunAs(new JobRunAs().setUserName(ENGINEER)))))
        .isInstanceOf(InvalidParameterValue.class);
    assertThat(get(self).getSettings().getName()).isEqualTo("x");
  }

  @Test
  void anAdminSetsAnyUserButAServicePrincipalOnlyWithTheUserRole() {
    long job =
        admin.jobs().create(job("x").setRunAs(new JobRunAs().setUserName(ANALYST))).getJobId();
    assertThat(get(job).getRunAsUserName()).isEqualTo(ANALYST);
    assertThatThrownBy(
            () ->
                admin.jobs().create(job("y").setRunAs(new JobRunAs().setServicePrincipalName(SP))))
        .isInstanceOf(InvalidParameterValue.class);
    principals.grantServicePrincipalUser(SP, ADMIN);
    long sp =
        admin
            .jobs()
            .create(job("y").setRunAs(new JobRunAs().setServicePrincipalName(SP)))
            .getJobId();
    assertThat(get(sp).getRunAsUserName()).isEqualTo(SP);

    assertThatThrownBy(
            () ->
                admin
                    .jobs()
                    .create(job("z").setRunAs(new JobRunAs().setUserName("nobody@acme.example"))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("run_as.user_name");
  }

  @Test
  void anAdminIsAMemberOfTheAdminsGroup() {
    principals.makeAdmin(ANALYST);
    long job =
        as(ANALYST)
            .jobs()
            .create(job("x").setRunAs(new JobRunAs().setUserName(ENGINEER)))
            .getJobId();
    assertThat(get(job).getRunAsUserName()).isEqualTo(ENGINEER);
    List<com.databricks.sdk.service.iam.Group> admins = new ArrayList<>();
    admin
        .groups()
        .list(
            new com.databricks.sdk.service.iam.ListGroupsRequest()
                .setFilter("displayName eq admins"))
        .forEach(admins::add);
    assertThat(admins).hasSize(1);
    assertThat(admins.get(0).getMembers())
        .extracting(m -> m.getDisplay())
        .contains(ADMIN, "Olivia Smith");
  }
}
