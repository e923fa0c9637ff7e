package dev.failover.activities.components.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.identity.GroupsComponent.GroupItem;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.Simulator;
import dev.failover.simulator.databricks.GroupsState;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The groups component against the simulated demo lakehouse, through the real SDK. */
class GroupsComponentTest {
  private static final String DRILL = "drill-7f3a";

  @TempDir Path dir;
  private ComponentHarness<GroupItem> harness;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new GroupsComponent());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private GroupsState groups(String side) {
    return harness.cloud.simulator.workspace(side).groups();
  }

  private void unassignFromDr(String... names) {
    for (String name : names) {
      groups("secondary").delete(groups("secondary").named(name).orElseThrow().id());
    }
  }

  @Test
  void captureReadsTheDemoGroupsWithTheirMemberCountsButNotTheBuiltInOnes() {
    assertThat(harness.capturePrimary())
        .containsExactly(
            new GroupItem("analysts", 3),
            new GroupItem("auditors", 1),
            new GroupItem("bi-service", 1),
            new GroupItem("data-engineers", 2),
            new GroupItem("finance-team", 2),
            new GroupItem("ml-engineers", 2),
            new GroupItem("ml-platform", 1),
            new GroupItem("platform-admins", 1));
  }

  @Test
  void convergeIntoADrThatHasEveryGroupChangesNothingAndRecordsNothing() {
    List<GroupItem> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result result = harness.converge(captured, DRILL, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 0, 8, 0));
    assertThat(result.differences()).isEmpty();
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    assertThat(harness.ledger.created("groups")).isEmpty();
    assertThat(harness.removeCreated(DRILL)).isEqualTo(ChangeCounts.NONE);
  }

  @Test
  void membershipIsTheIdentityProvidersAndIsNotCompared() {
    GroupsState.Group analysts = groups("secondary").named("analysts").orElseThrow();
    groups("secondary").update(analysts.id(), g -> withoutMembers(g));

    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 0, 8, 0));
    assertThat(groups("secondary").get(analysts.id()).members()).isEmpty();
  }

  @Test
  void missingGroupsFailTheStepOnceWithoutRetriesNamingEveryOne() {
    List<GroupItem> captured = harness.capturePrimary();
    unassignFromDr("auditors", "ml-platform");
    harness.cloud.simulator.requests().clear();

    assertThatThrownBy(() -> harness.converge(captured, DRILL, false))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(failure.getOriginalMessage())
                  .isEqualTo(
                      "The groups auditors, ml-platform are missing in "
                          + SimulatedCloud.SECONDARY_HOST
                          + ". Groups are not created by this tool: assign the account groups"
                          + " auditors, ml-platform to workspace "
                          + SimulatedCloud.SECONDARY_HOST
                          + " in the account console or through SCIM provisioning from the IdP;"
                          + " the grants and ACLs that name them cannot be converged before");
            });
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    assertThat(harness.ledger.created("groups")).isEmpty();
  }

  @Test
  void dryRunCountsTheMissingGroupsAsCreatedWithoutWriting() {
    List<GroupItem> captured = harness.capturePrimary();
    unassignFromDr("analysts", "bi-service");
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result preview = harness.converge(captured, null, true);

    assertThat(preview.counts()).isEqualTo(new ChangeCounts(2, 0, 6, 0));
    assertThat(preview.differences())
        .containsExactly("analysts is missing", "bi-service is missing");
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void captureAndConvergeFollowEveryPageOfGroups() {
    IntStream.rangeClosed(1, 250)
        .forEach(
            i -> {
              String id = Long.toString(720_000_000_000_000L + i);
              String name = String.format("project-%03d-readers", i);
              groups("primary").assignAccountGroup(id, name, List.of());
              groups("secondary").assignAccountGroup(id, name, List.of());
            });
    harness.cloud.simulator.requests().clear();

    List<GroupItem> captured = harness.capturePrimary();

    assertThat(captured).hasSize(258);
    assertThat(captured)
        .contains(new GroupItem("project-001-readers", 0), new GroupItem("project-250-readers", 0));
    // 260 groups with the built-in ones: pages at 1, 101 and 201, then an empty one at 261.
    assertThat(harness.cloud.simulator.requests().all())
        .filteredOn(r -> r.side().equals("primary") && r.path().endsWith("/scim/v2/Groups"))
        .extracting(RecordedRequest::query)
        .hasSize(4)
        .allSatisfy(q -> assertThat(q).contains("count=100"))
        .last()
        .satisfies(q -> assertThat(q).contains("startIndex=261"));

    groups("secondary").delete(groups("secondary").named("project-250-readers").orElseThrow().id());
    assertThatThrownBy(() -> harness.converge(captured, null, false))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("The group project-250-readers is missing");
  }

  @Test
  void groupsAreNeverDeletedOrChanged() {
    GroupItem analysts = new GroupItem("analysts", 3);

    assertThatThrownBy(
            () ->
                harness.component.delete(
                    analysts, harness.context(SimulatedCloud.secondary(), DRILL)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("groups are never created by this tool");
    assertThatThrownBy(
            () ->
                harness.component.update(
                    analysts,
                    new GroupItem("analysts", 1),
                    List.of("members"),
                    harness.context(SimulatedCloud.secondary(), null)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(groups("secondary").named("analysts")).isPresent();
  }

  private static GroupsState.Group withoutMembers(GroupsState.Group group) {
    return new GroupsState.Group(
        group.id(),
        group.displayName(),
        group.externalId(),
        group.resourceType(),
        List.of(),
        group.entitlements(),
        group.roles());
  }

  // With the runbook's account: groups are checked in the account and assigned to DR.

  private ComponentContext drWithAccount(String runId) {
    ComponentContext plain = harness.context(SimulatedCloud.secondary(), runId);
    return new ComponentContext(
        plain.target(),
        plain.clients(),
        plain.rewrites(),
        plain.catalogs(),
        plain.runbook(),
        plain.runId(),
        plain.retry(),
        harness.cloud.account("secondary"));
  }

  private ComponentConverger.Result convergeWithAccount(
      List<GroupItem> captured, String runId, boolean dryRun) {
    return new ComponentConverger<>(harness.component, drWithAccount(runId), done -> {})
        .converge(captured, runId == null ? null : harness.ledger, dryRun);
  }

  private long secondaryId() {
    return Long.parseLong(harness.cloud.simulator.workspace("secondary").workspaceId());
  }

  /** Removes the account's assignment of a demo group to DR, as if it had never been made. */
  private void unassignInAccount(String name) {
    long id = Long.parseLong(groups("secondary").named(name).orElseThrow().id());
    harness.cloud.simulator.account().unassign(secondaryId(), id);
  }

  private List<RecordedRequest> mutatingAnywhere() {
    return harness.cloud.simulator.requests().all().stream()
        .filter(RecordedRequest::mutating)
        .toList();
  }

  @Test
  void withAnAccountAGroupNotAssignedToDrIsAssignedOnceAndTheDrillRemovesOnlyThatAssignment() {
    List<GroupItem> captured = harness.capturePrimary();
    unassignInAccount("auditors");
    assertThat(groups("secondary").named("auditors")).isEmpty();
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result result = convergeWithAccount(captured, DRILL, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(1, 0, 7, 0));
    assertThat(result.differences()).containsExactly("auditors is missing");
    assertThat(mutatingAnywhere())
        .extracting(RecordedRequest::service, RecordedRequest::method, RecordedRequest::path)
        .containsExactly(
            tuple(
                Simulator.ACCOUNT_SERVICE,
                "PUT",
                "/api/2.0/accounts/"
                    + Simulator.ACCOUNT_ID
                    + "/workspaces/"
                    + secondaryId()
                    + "/permissionassignments/principals/"
                    + groups("primary").named("auditors").orElseThrow().id()));
    assertThat(groups("secondary").named("auditors")).isPresent();
    assertThat(harness.ledger.created("groups")).containsExactly("auditors");

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result again = convergeWithAccount(captured, DRILL, false);
    assertThat(again.counts()).isEqualTo(new ChangeCounts(0, 0, 8, 0));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    assertThat(
            harness
                .cloud
                .simulator
                .requests()
                .mutating(Simulator.ACCOUNT_SERVICE, Simulator.ACCOUNT_SIDE))
        .isEmpty();

    harness.cloud.simulator.requests().clear();
    ChangeCounts removed =
        new ComponentConverger<>(harness.component, drWithAccount(DRILL), done -> {})
            .removeCreated(harness.ledger.created("groups"));
    assertThat(removed).isEqualTo(new ChangeCounts(0, 0, 0, 1));
    assertThat(mutatingAnywhere())
        .extracting(RecordedRequest::method, RecordedRequest::status)
        .containsExactly(tuple("DELETE", 200));
    assertThat(groups("secondary").named("auditors")).isEmpty();
    assertThat(groups("secondary").named("analysts")).isPresent();
    assertThat(groups("primary").named("auditors")).isPresent();
    assertThat(harness.cloud.simulator.account().groups().named("auditors")).isPresent();
  }

  @Test
  void withAnAccountAGroupMissingInTheAccountFailsNamingThemAllAndNothingIsAssigned() {
    List<GroupItem> captured = harness.capturePrimary();
    var account = harness.cloud.simulator.account();
    account.groups().delete(account.groups().named("ml-platform").orElseThrow().id());
    account.groups().delete(account.groups().named("auditors").orElseThrow().id());
    unassignInAccount("analysts");
    harness.cloud.simulator.requests().clear();

    assertThatThrownBy(() -> convergeWithAccount(captured, DRILL, false))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(failure.getOriginalMessage())
                  .startsWith(
                      "The groups auditors, ml-platform are missing in account "
                          + Simulator.ACCOUNT_ID
                          + ". Identity is the IdP's: provision the groups auditors, ml-platform"
                          + " into the account")
                  .doesNotContain("analysts")
                  .doesNotContain("\n");
            });
    assertThat(mutatingAnywhere()).isEmpty();
    assertThat(harness.ledger.created("groups")).isEmpty();
  }

  @Test
  void withAnAccountADryRunCountsTheUnassignedGroupWithoutWriting() {
    List<GroupItem> captured = harness.capturePrimary();
    unassignInAccount("bi-service");
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result preview = convergeWithAccount(captured, null, true);

    assertThat(preview.counts()).isEqualTo(new ChangeCounts(1, 0, 7, 0));
    assertThat(mutatingAnywhere()).isEmpty();
  }
}
