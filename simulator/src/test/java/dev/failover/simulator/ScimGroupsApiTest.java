package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.BadRequest;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.core.error.platform.ResourceConflict;
import com.databricks.sdk.service.iam.ComplexValue;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.iam.GroupSchema;
import com.databricks.sdk.service.iam.ListGroupsRequest;
import com.databricks.sdk.service.iam.ListGroupsResponse;
import com.databricks.sdk.service.iam.ListSortOrder;
import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.PartialUpdate;
import com.databricks.sdk.service.iam.Patch;
import com.databricks.sdk.service.iam.PatchOp;
import com.databricks.sdk.service.iam.PatchSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated workspace SCIM Groups API, driven only through the real Databricks SDK for Java.
 */
class ScimGroupsApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    workspace = SdkClients.workspace(simulator, "primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private Group create(String name) {
    return workspace
        .groups()
        .create(
            new Group()
                .setDisplayName(name)
                .setSchemas(List.of(GroupSchema.URN_IETF_PARAMS_SCIM_SCHEMAS_CORE_2_0_GROUP)));
  }

  /** The one group with this display name, found by a filter. */
  private static Group named(WorkspaceClient client, String name) {
    List<Group> found = new ArrayList<>();
    client
        .groups()
        .list(new ListGroupsRequest().setFilter("displayName eq \"" + name + "\""))
        .forEach(found::add);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private List<String> names(Iterable<Group> groups) {
    List<String> names = new ArrayList<>();
    groups.forEach(g -> names.add(g.getDisplayName()));
    return names;
  }

  @Test
  void aNewWorkspaceHasTheBuiltInGroupsWithItsAdminAsMember() {
    List<Group> groups = new ArrayList<>();
    workspace.groups().list(new ListGroupsRequest()).forEach(groups::add);

    assertThat(groups).extracting(Group::getDisplayName).containsExactly("admins", "users");
    String me = workspace.currentUser().me(new MeRequest()).getId();
    assertThat(groups)
        .allSatisfy(
            g -> {
              assertThat(g.getMembers()).extracting(ComplexValue::getValue).containsExactly(me);
              assertThat(g.getMeta().getResourceType()).isEqualTo("WorkspaceGroup");
            });
  }

  @Test
  void createdGroupIsReadBackWithItsMembersAndEntitlements() {
    Group created =
        workspace
            .groups()
            .create(
                new Group()
                    .setDisplayName("data-engineers")
                    .setExternalId("okta-00g1")
                    .setMembers(
                        List.of(
                            new ComplexValue()
                                .setValue("7200000000000001")
                                .setDisplay("maria.garcia@acme.example")))
                    .setEntitlements(List.of(new ComplexValue().setValue("allow-cluster-create"))));

    Group read = workspace.groups().get(created.getId());

    assertThat(created.getId()).matches("\\d{15}");
    assertThat(read.getDisplayName()).isEqualTo("data-engineers");
    assertThat(read.getExternalId()).isEqualTo("okta-00g1");
    assertThat(read.getMembers())
        .extracting(ComplexValue::getValue, ComplexValue::getDisplay)
        .containsExactly(tuple("7200000000000001", "maria.garcia@acme.example"));
    assertThat(read.getEntitlements())
        .extracting(ComplexValue::getValue)
        .containsExactly("allow-cluster-create");
    assertThat(read.getSchemas())
        .containsExactly(GroupSchema.URN_IETF_PARAMS_SCIM_SCHEMAS_CORE_2_0_GROUP);
  }

  @Test
  void listFollowsEveryPageByStartIndexAndCount() {
    IntStream.rangeClosed(1, 23).forEach(i -> create(String.format("team-%02d", i)));

    List<String> names = names(workspace.groups().list(new ListGroupsRequest().setCount(5L)));

    assertThat(names).hasSize(25).doesNotHaveDuplicates().contains("admins", "team-01", "team-23");
    // GroupsAPI.list asks for startIndex 1, 6, ..., 26 and stops at the empty page.
    assertThat(simulator.requests().all())
        .filteredOn(
            r -> r.method().equals("GET") && r.path().equals("/api/2.0/preview/scim/v2/Groups"))
        .extracting(RecordedRequest::query)
        .hasSize(6)
        .allSatisfy(q -> assertThat(q).contains("count=5"))
        .last()
        .satisfies(q -> assertThat(q).contains("startIndex=26"));
  }

  @Test
  void onePageReportsTheTotalAndWhereItStarts() {
    IntStream.rangeClosed(1, 8).forEach(i -> create("team-" + i));

    // One request, as GroupsImpl sends it; GroupsAPI.list would follow every page.
    ListGroupsResponse page =
        workspace
            .groups()
            .impl()
            .list(
                new ListGroupsRequest()
                    .setStartIndex(3L)
                    .setCount(4L)
                    .setSortBy("displayName")
                    .setSortOrder(ListSortOrder.DESCENDING)
                    .setAttributes("displayName"));

    assertThat(page.getTotalResults()).isEqualTo(10);
    assertThat(page.getStartIndex()).isEqualTo(3);
    assertThat(page.getItemsPerPage()).isEqualTo(4);
    // Descending: users, team-8, team-7, team-6, team-5, ...; the page starts at the third.
    assertThat(page.getResources())
        .extracting(Group::getDisplayName)
        .containsExactly("team-7", "team-6", "team-5", "team-4");
    assertThat(page.getResources())
        .allSatisfy(
            g -> {
              assertThat(g.getId()).isNotNull();
              assertThat(g.getMeta()).isNull();
            });
  }

  @Test
  void filterSelectsByDisplayName() {
    create("analysts");
    create("analysts-eu");
    create("finance-team");

    assertThat(
            names(
                workspace
                    .groups()
                    .list(new ListGroupsRequest().setFilter("displayName eq \"Analysts\""))))
        .containsExactly("analysts");
    assertThat(
            names(
                workspace
                    .groups()
                    .list(new ListGroupsRequest().setFilter("displayName sw analysts"))))
        .containsExactly("analysts", "analysts-eu");
    assertThat(
            names(
                workspace
                    .groups()
                    .list(
                        new ListGroupsRequest()
                            .setFilter(
                                "displayName eq \"finance-team\" or displayName co \"-eu\""))))
        .containsExactlyInAnyOrder("finance-team", "analysts-eu");
    assertThat(
            names(
                workspace
                    .groups()
                    .list(new ListGroupsRequest().setFilter("displayName eq \"nobody\""))))
        .isEmpty();
  }

  @Test
  void anInvalidFilterIsABadRequestWithTheScimDetail() {
    assertThatThrownBy(
            () ->
                workspace
                    .groups()
                    .list(new ListGroupsRequest().setFilter("displayName gt \"a\""))
                    .iterator()
                    .hasNext())
        .isInstanceOf(BadRequest.class)
        .hasMessageStartingWith("invalidFilter Invalid filter: unsupported operator gt")
        .satisfies(e -> assertThat(((DatabricksError) e).getErrorCode()).isEqualTo("SCIM_400"));
  }

  @Test
  void patchAddsAndRemovesMembersAndRenames() {
    Group group = create("bi-service");
    workspace
        .groups()
        .patch(
            new PartialUpdate()
                .setId(group.getId())
                .setSchemas(List.of(PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP))
                .setOperations(
                    List.of(
                        new Patch()
                            .setOp(PatchOp.ADD)
                            .setPath("members")
                            .setValue(List.of(Map.of("value", "1"), Map.of("value", "2"))))));
    workspace
        .groups()
        .patch(
            new PartialUpdate()
                .setId(group.getId())
                .setOperations(
                    List.of(
                        new Patch().setOp(PatchOp.REMOVE).setPath("members[value eq \"1\"]"),
                        new Patch()
                            .setOp(PatchOp.REPLACE)
                            .setPath("displayName")
                            .setValue("bi-dashboards"))));

    Group read = workspace.groups().get(group.getId());
    assertThat(read.getDisplayName()).isEqualTo("bi-dashboards");
    assertThat(read.getMembers()).extracting(ComplexValue::getValue).containsExactly("2");
  }

  @Test
  void aTakenDisplayNameIsAConflict() {
    create("auditors");

    assertThatThrownBy(() -> create("auditors"))
        .isInstanceOf(ResourceConflict.class)
        .hasMessage("Group with name auditors already exists.");
    assertThatThrownBy(() -> create("admins")).isInstanceOf(ResourceConflict.class);
    assertThat(names(workspace.groups().list(new ListGroupsRequest())))
        .containsOnlyOnce("auditors");
  }

  @Test
  void aGroupWithoutDisplayNameIsRejected() {
    assertThatThrownBy(() -> workspace.groups().create(new Group()))
        .isInstanceOf(BadRequest.class)
        .hasMessageContaining("displayName is required");
  }

  @Test
  void deletedGroupIsNotFoundAfterwards() {
    Group group = create("ml-platform");

    workspace.groups().delete(group.getId());

    assertThatThrownBy(() -> workspace.groups().get(group.getId()))
        .isInstanceOf(NotFound.class)
        .hasMessage("Group with id " + group.getId() + " not found.");
    assertThatThrownBy(() -> workspace.groups().delete(group.getId())).isInstanceOf(NotFound.class);
    assertThat(names(workspace.groups().list(new ListGroupsRequest())))
        .doesNotContain("ml-platform");
  }

  @Test
  void builtInGroupsCannotBeDeleted() {
    String admins = named(workspace, "admins").getId();

    assertThatThrownBy(() -> workspace.groups().delete(admins)).isInstanceOf(BadRequest.class);
  }

  @Test
  void accountGroupsAssignedToBothWorkspacesKeepTheirAccountId() {
    DemoWorkspace.seed(simulator);
    WorkspaceClient dr = SdkClients.workspace(simulator, "secondary");

    Group primary = named(workspace, "finance-team");
    Group secondary = named(dr, "finance-team");

    assertThat(secondary.getId()).isEqualTo(primary.getId());
    assertThat(primary.getMeta().getResourceType()).isEqualTo("Group");
    assertThat(primary.getMembers()).hasSize(2);
  }
}
