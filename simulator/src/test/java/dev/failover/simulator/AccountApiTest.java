package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.databricks.sdk.AccountClient;
import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.core.error.platform.PermissionDenied;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.core.error.platform.Unauthenticated;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.iam.GroupSchema;
import com.databricks.sdk.service.iam.ListAccountGroupsRequest;
import com.databricks.sdk.service.iam.ListGroupsRequest;
import com.databricks.sdk.service.iam.PermissionAssignment;
import com.databricks.sdk.service.iam.UpdateWorkspaceAssignments;
import com.databricks.sdk.service.iam.WorkspacePermission;
import com.databricks.sdk.service.provisioning.Workspace;
import com.databricks.sdk.service.provisioning.WorkspaceStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated account API (workspaces, account SCIM groups, workspace assignments), driven only
 * through the real Databricks SDK for Java's {@link AccountClient}.
 */
class AccountApiTest {
  private Simulator simulator;
  private AccountClient account;
  private long primary;
  private long secondary;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    DemoWorkspace.seed(simulator);
    account = client(simulator.accountToken());
    primary = Long.parseLong(simulator.workspace("primary").workspaceId());
    secondary = Long.parseLong(simulator.workspace("secondary").workspaceId());
  }

  private AccountClient client(String token) {
    return new AccountClient(
        new DatabricksConfig()
            .setHost(simulator.accountUrl().toString())
            .setAccountId(Simulator.ACCOUNT_ID)
            .setToken(token)
            .setAuthType("pat"));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private WorkspaceClient workspace(String side) {
    return new WorkspaceClient(
        new DatabricksConfig()
            .setHost(simulator.workspaceUrl(side).toString())
            .setToken(simulator.workspaceToken(side))
            .setAuthType("pat"));
  }

  private Group accountGroup(String name) {
    return account
        .groups()
        .create(
            new Group()
                .setDisplayName(name)
                .setSchemas(List.of(GroupSchema.URN_IETF_PARAMS_SCIM_SCHEMAS_CORE_2_0_GROUP)));
  }

  private static List<String> workspaceGroupNames(WorkspaceClient client) {
    List<String> names = new ArrayList<>();
    client.groups().list(new ListGroupsRequest()).forEach(g -> names.add(g.getDisplayName()));
    return names;
  }

  @Test
  void aWorkspaceIsDescribedAsTheProvisioningApiDoes() {
    Workspace dr = account.workspaces().get(secondary);
    assertThat(dr.getWorkspaceId()).isEqualTo(secondary);
    assertThat(dr.getAccountId()).isEqualTo(Simulator.ACCOUNT_ID);
    assertThat(dr.getDeploymentName()).isEqualTo("dbc-acme-dr");
    assertThat(dr.getAwsRegion()).isEqualTo("us-west-2");
    assertThat(dr.getWorkspaceStatus()).isEqualTo(WorkspaceStatus.RUNNING);
    List<Long> ids = new ArrayList<>();
    account.workspaces().list().forEach(w -> ids.add(w.getWorkspaceId()));
    assertThat(ids).containsExactly(primary, secondary);

    simulator.account().setWorkspaceStatus(secondary, "PROVISIONING");
    assertThat(account.workspaces().get(secondary).getWorkspaceStatus())
        .isEqualTo(WorkspaceStatus.PROVISIONING);
  }

  @Test
  void anUnknownWorkspaceIsNotFound() {
    assertThatThrownBy(() -> account.workspaces().get(42L))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessageContaining("Workspace 42 does not exist");
    assertThatThrownBy(() -> account.workspaceAssignment().list(42L).iterator().hasNext())
        .isInstanceOf(ResourceDoesNotExist.class);
  }

  @Test
  void anotherTokenOrAccountIsRefused() {
    assertThatThrownBy(() -> client("dapi-wrong").workspaces().get(secondary))
        .isInstanceOf(Unauthenticated.class);
    AccountClient other =
        new AccountClient(
            new DatabricksConfig()
                .setHost(simulator.accountUrl().toString())
                .setAccountId("00000000-0000-0000-0000-000000000000")
                .setToken(simulator.accountToken())
                .setAuthType("pat"));
    assertThatThrownBy(() -> other.workspaces().get(secondary))
        .isInstanceOf(PermissionDenied.class);
  }

  @Test
  void accountGroupsAreListedPageByPageAndByFilter() {
    for (int i = 0; i < 7; i++) {
      accountGroup("team-" + i);
    }
    List<String> names = new ArrayList<>();
    account
        .groups()
        .list(new ListAccountGroupsRequest().setCount(3L).setAttributes("displayName"))
        .forEach(g -> names.add(g.getDisplayName()));
    assertThat(names).hasSize(DemoWorkspace.DEMO_GROUPS.size() + 7).doesNotHaveDuplicates();
    assertThat(names).contains("data-engineers", "team-0", "team-6");
    assertThat(names).doesNotContain("admins", "users");
    assertThat(
            simulator.requests().all().stream()
                .filter(r -> r.service().equals(Simulator.ACCOUNT_SERVICE))
                .filter(r -> r.method().equals("GET") && r.path().endsWith("/scim/v2/Groups"))
                .count())
        .as("one request per page of 3, and the empty page that ends the list")
        .isEqualTo((DemoWorkspace.DEMO_GROUPS.size() + 7) / 3 + 1);

    List<Group> found = new ArrayList<>();
    account
        .groups()
        .list(new ListAccountGroupsRequest().setFilter("displayName eq \"finance-team\""))
        .forEach(found::add);
    assertThat(found).extracting(Group::getDisplayName).containsExactly("finance-team");
    assertThat(account.groups().get(found.get(0).getId()).getMembers()).hasSize(2);
    assertThatThrownBy(() -> account.groups().get("999")).isInstanceOf(NotFound.class);
  }

  @Test
  void assignmentsAreListedPutAndDeletedAndDriveTheWorkspacesGroups() {
    List<PermissionAssignment> assigned = new ArrayList<>();
    account.workspaceAssignment().list(secondary).forEach(assigned::add);
    assertThat(assigned)
        .extracting(a -> a.getPrincipal().getGroupName(), a -> List.copyOf(a.getPermissions()))
        .contains(tuple("data-engineers", List.of(WorkspacePermission.USER)))
        .hasSize(DemoWorkspace.DEMO_GROUPS.size());

    Group newTeam = accountGroup("fraud-analysts");
    long id = Long.parseLong(newTeam.getId());
    assertThat(workspaceGroupNames(workspace("secondary"))).doesNotContain("fraud-analysts");
    PermissionAssignment put =
        account
            .workspaceAssignment()
            .update(
                new UpdateWorkspaceAssignments()
                    .setWorkspaceId(secondary)
                    .setPrincipalId(id)
                    .setPermissions(List.of(WorkspacePermission.USER)));
    assertThat(put.getPrincipal().getPrincipalId()).isEqualTo(id);
    assertThat(put.getPrincipal().getGroupName()).isEqualTo("fraud-analysts");
    assertThat(workspaceGroupNames(workspace("secondary"))).contains("fraud-analysts");
    assertThat(workspaceGroupNames(workspace("primary"))).doesNotContain("fraud-analysts");

    // A second PUT changes the permissions only.
    account
        .workspaceAssignment()
        .update(
            new UpdateWorkspaceAssignments()
                .setWorkspaceId(secondary)
                .setPrincipalId(id)
                .setPermissions(List.of(WorkspacePermission.ADMIN)));
    List<PermissionAssignment> after = new ArrayList<>();
    account.workspaceAssignment().list(secondary).forEach(after::add);
    assertThat(after)
        .filteredOn(a -> a.getPrincipal().getPrincipalId() == id)
        .singleElement()
        .satisfies(a -> assertThat(a.getPermissions()).containsExactly(WorkspacePermission.ADMIN));

    account.workspaceAssignment().delete(secondary, id);
    assertThat(workspaceGroupNames(workspace("secondary"))).doesNotContain("fraud-analysts");
    assertThatThrownBy(() -> account.workspaceAssignment().delete(secondary, id))
        .isInstanceOf(ResourceDoesNotExist.class);
  }

  @Test
  void badAssignmentsAreRefused() {
    long id = Long.parseLong(accountGroup("fraud-analysts").getId());
    assertThatThrownBy(
            () ->
                account
                    .workspaceAssignment()
                    .update(
                        new UpdateWorkspaceAssignments()
                            .setWorkspaceId(secondary)
                            .setPrincipalId(id)
                            .setPermissions(List.of(WorkspacePermission.UNKNOWN))))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(
            () ->
                account
                    .workspaceAssignment()
                    .update(
                        new UpdateWorkspaceAssignments()
                            .setWorkspaceId(secondary)
                            .setPrincipalId(123L)
                            .setPermissions(List.of(WorkspacePermission.USER))))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessageContaining("Principal 123 does not exist");
    assertThatThrownBy(
            () ->
                account
                    .workspaceAssignment()
                    .update(
                        new UpdateWorkspaceAssignments()
                            .setWorkspaceId(42L)
                            .setPrincipalId(id)
                            .setPermissions(List.of(WorkspacePermission.USER))))
        .isInstanceOf(ResourceDoesNotExist.class);
  }

  @Test
  void deletingAnAccountGroupRemovesItFromTheWorkspacesAndReadsAreRecorded() {
    Group auditors = findAccountGroup("auditors");
    account.groups().delete(auditors.getId());
    assertThat(workspaceGroupNames(workspace("primary"))).doesNotContain("auditors");
    assertThat(workspaceGroupNames(workspace("secondary"))).doesNotContain("auditors");
    assertThat(simulator.requests().mutating(Simulator.ACCOUNT_SERVICE, Simulator.ACCOUNT_SIDE))
        .extracting(RecordedRequest::method)
        .containsExactly("DELETE");
  }

  private Group findAccountGroup(String name) {
    List<Group> found = new ArrayList<>();
    account
        .groups()
        .list(new ListAccountGroupsRequest().setFilter("displayName eq \"" + name + "\""))
        .forEach(found::add);
    assertThat(found).hasSize(1);
    return found.get(0);
  }
}
