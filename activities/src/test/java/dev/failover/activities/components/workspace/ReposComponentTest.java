package dev.failover.activities.components.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.workspace.ReposComponent.Repo;
import dev.failover.simulator.databricks.WorkspaceTree;
import dev.failover.workflows.steps.ChangeCounts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repos component against the simulated demo lakehouse, through the real SDK. */
class ReposComponentTest {
  private static final String USER = "sre-automation@acme.example";
  private static final String PIPELINES = "/Repos/etl/lakehouse-pipelines";
  private static final String DASHBOARDS = "/Repos/analytics/finance-dashboards";
  private static final String RUNBOOKS = "/Repos/" + USER + "/dr-runbooks";

  @TempDir Path dir;
  private ComponentHarness<Repo> harness;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new ReposComponent());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private WorkspaceTree tree(String side) {
    return harness.cloud.simulator.workspace(side).workspaceTree();
  }

  private List<Repo> readSecondary() {
    return harness.component.read(harness.context(SimulatedCloud.secondary(), null));
  }

  private WorkspaceTree.Repo repoAt(String side, String path) {
    return tree(side).repos("/").stream()
        .filter(r -> r.path().equals(path))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void captureReadsEveryGitFolderOfTheDemoPrimary() {
    assertThat(harness.capturePrimary())
        .containsExactly(
            new Repo(
                DASHBOARDS,
                "https://gitlab.com/acme-analytics/finance-dashboards.git",
                "gitLab",
                "release/2024.06",
                null),
            new Repo(
                PIPELINES,
                "https://github.com/acme-data/lakehouse-pipelines.git",
                "gitHub",
                "main",
                null),
            new Repo(
                RUNBOOKS,
                "https://dev.azure.com/acme/platform/_git/dr-runbooks",
                "azureDevOpsServices",
                "main",
                List.of("runbooks", "checks")));
  }

  @Test
  void convergeCreatesEachGitFolderOnceOnItsBranchThenChangesNothing() {
    List<Repo> captured = harness.capturePrimary();

    ComponentConverger.Result first = harness.converge(captured, null, false);

    assertThat(first.counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    assertThat(readSecondary()).containsExactlyElementsOf(captured);
    assertThat(repoAt("secondary", DASHBOARDS).headCommitId())
        .isEqualTo(repoAt("primary", DASHBOARDS).headCommitId());
    assertThat(repoAt("secondary", DASHBOARDS).id())
        .isNotEqualTo(repoAt("primary", DASHBOARDS).id());

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result second = harness.converge(captured, null, false);

    assertThat(second.counts()).isEqualTo(new ChangeCounts(0, 0, 3, 0));
    assertThat(second.differences()).isEmpty();
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void aNewBranchOrSparsePatternsAreCheckedOutInPlace() {
    harness.converge(harness.capturePrimary(), null, false);
    long dashboards = repoAt("secondary", DASHBOARDS).id();
    tree("primary").updateRepo(repoAt("primary", DASHBOARDS).id(), "release/2024.09", null, null);
    tree("primary")
        .updateRepo(repoAt("primary", RUNBOOKS).id(), null, null, List.of("runbooks", "drills"));

    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 2, 1, 0));
    assertThat(result.differences())
        .containsExactly(
            DASHBOARDS + " differs in branch", RUNBOOKS + " differs in sparse_checkout");
    assertThat(repoAt("secondary", DASHBOARDS).branch()).isEqualTo("release/2024.09");
    assertThat(repoAt("secondary", DASHBOARDS).id()).isEqualTo(dashboards);
    assertThat(repoAt("secondary", RUNBOOKS).sparseCheckout())
        .containsExactly("runbooks", "drills");
  }

  @Test
  void aGitFolderLinkedToAnotherRemoteIsClonedAgain() {
    tree("secondary").mkdirs("/Repos/etl");
    long stale =
        tree("secondary")
            .createRepo("https://github.com/acme-data/old-pipelines.git", "gitHub", PIPELINES, null)
            .id();

    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(2, 1, 0, 0));
    assertThat(result.differences()).contains(PIPELINES + " differs in url");
    assertThat(repoAt("secondary", PIPELINES).url())
        .isEqualTo("https://github.com/acme-data/lakehouse-pipelines.git");
    assertThat(repoAt("secondary", PIPELINES).id()).isNotEqualTo(stale);
  }

  @Test
  void providerSpelledInAnotherCaseIsNoDifference() {
    ReposComponent component = new ReposComponent();
    Repo want = new Repo(PIPELINES, "https://github.com/a/b.git", "gitHub", "main", null);

    assertThat(
            component.differences(
                want, new Repo(PIPELINES, "https://github.com/a/b.git", "GITHUB", "main", null)))
        .isEmpty();
  }

  @Test
  void captureAndConvergeFollowEveryPageOfGitFolders() {
    tree("primary").mkdirs("/Repos/team");
    IntStream.range(0, 45)
        .forEach(
            i ->
                tree("primary")
                    .createRepo(
                        "https://github.com/acme-data/service-" + i + ".git",
                        "gitHub",
                        String.format("/Repos/team/service-%02d", i),
                        null));
    harness.cloud.simulator.requests().clear();

    List<Repo> captured = harness.capturePrimary();

    assertThat(captured).hasSize(48);
    assertThat(harness.cloud.simulator.requests().all())
        .filteredOn(r -> r.side().equals("primary") && r.path().equals("/api/2.0/repos"))
        .hasSize(3 + 1 + 1);
    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(48, 0, 0, 0));
    assertThat(readSecondary()).containsExactlyElementsOf(captured);
  }

  @Test
  void aGitFolderCreatedBetweenTheReadAndTheCreateIsCheckedOutNotDuplicated() {
    ReposComponent racing =
        new ReposComponent() {
          @Override
          public Map<String, Repo> current(ComponentContext target, List<Repo> wanted) {
            Map<String, Repo> current = super.current(target, wanted);
            tree("secondary").mkdirs("/Repos/analytics");
            tree("secondary")
                .createRepo(
                    "https://gitlab.com/acme-analytics/finance-dashboards.git",
                    "gitLab",
                    DASHBOARDS,
                    null);
            return current;
          }
        };
    List<Repo> captured = harness.capturePrimary();

    ComponentConverger.Result result =
        new ComponentConverger<>(racing, harness.context(SimulatedCloud.secondary(), null), d -> {})
            .converge(captured, null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    assertThat(tree("secondary").repos("/"))
        .filteredOn(r -> r.path().equals(DASHBOARDS))
        .singleElement()
        .satisfies(r -> assertThat(r.branch()).isEqualTo("release/2024.06"));
    assertThat(readSecondary()).containsExactlyElementsOf(captured);
  }

  @Test
  void drillCleanUpRemovesExactlyTheGitFoldersTheDrillCreated() {
    tree("secondary").mkdirs("/Repos/etl");
    tree("secondary")
        .createRepo(
            "https://github.com/acme-data/legacy-jobs.git",
            "gitHub",
            "/Repos/etl/legacy-jobs",
            null);
    tree("secondary")
        .createRepo(
            "https://dev.azure.com/acme/platform/_git/dr-runbooks",
            "azureDevOpsServices",
            RUNBOOKS,
            List.of("runbooks", "checks"));

    ComponentConverger.Result converged =
        harness.converge(harness.capturePrimary(), "drill-1", false);
    assertThat(converged.counts()).isEqualTo(new ChangeCounts(2, 0, 1, 0));
    assertThat(harness.ledger.created("repos")).containsExactly(DASHBOARDS, PIPELINES);

    ChangeCounts removed = harness.removeCreated("drill-1");

    assertThat(removed).isEqualTo(new ChangeCounts(0, 0, 0, 2));
    assertThat(readSecondary())
        .extracting(Repo::path)
        .containsExactly("/Repos/etl/legacy-jobs", RUNBOOKS);
  }

  @Test
  void dryRunCountsWithoutAnyMutatingRequest() {
    List<Repo> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result result = harness.converge(captured, null, true);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    assertThat(result.differences())
        .containsExactly(
            DASHBOARDS + " is missing", PIPELINES + " is missing", RUNBOOKS + " is missing");
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    assertThat(readSecondary()).isEmpty();
  }

  @Test
  void aGitFolderAtATagIsSkippedWithTheActionItNeeds() {
    tree("primary").updateRepo(repoAt("primary", PIPELINES).id(), null, "v2.3.0", null);

    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(2, 0, 0, 0));
    assertThat(result.skipped())
        .singleElement()
        .asString()
        .startsWith(PIPELINES + ": checked out at a tag or commit");
    assertThat(readSecondary()).extracting(Repo::path).containsExactly(DASHBOARDS, RUNBOOKS);
  }
}
