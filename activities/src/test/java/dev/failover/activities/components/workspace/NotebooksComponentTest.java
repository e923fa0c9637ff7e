package dev.failover.activities.components.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.workspace.NotebooksComponent.Notebook;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.simulator.databricks.WorkspaceTree;
import dev.failover.workflows.steps.ChangeCounts;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notebooks component against the simulated demo lakehouse, through the real SDK. */
class NotebooksComponentTest {
  private static final String USER = "sre-automation@acme.example";
  private static final String INGEST = "/Shared/etl/ingest_orders";
  private static final String LEDGER = "/Shared/etl/refresh_ledger";
  private static final String CLOSE = "/Shared/finance/quarterly_close";
  private static final String REVENUE = "/Shared/finance/revenue_model";
  private static final String EXPLORE = "/Users/" + USER + "/scratch/explore_orders";

  @TempDir Path dir;
  private ComponentHarness<Notebook> harness;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new NotebooksComponent());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private WorkspaceTree tree(String side) {
    return harness.cloud.simulator.workspace(side).workspaceTree();
  }

  private List<Notebook> readSecondary() {
    return harness.component.read(harness.context(SimulatedCloud.secondary(), null));
  }

  private static String source(Notebook notebook) {
    return new String(Base64.getDecoder().decode(notebook.content()), StandardCharsets.UTF_8);
  }

  @Test
  void captureWalksTheWorkspaceButNotReposGitFoldersOrHiddenFolders() {
    WorkspaceTree primary = tree("primary");
    primary.mkdirs("/Users/" + USER + "/.bundle/etl/files");
    primary.importNotebook(
        "/Users/" + USER + "/.bundle/etl/files/deployed", "PYTHON", "print(1)\n", false);
    primary.mkdirs("/Users/" + USER + "/projects");
    primary.createRepo(
        "https://github.com/acme-data/app.git", "gitHub", "/Users/" + USER + "/projects/app", null);
    primary.importNotebook("/Users/" + USER + "/projects/app/main", "PYTHON", "print(2)\n", false);
    primary.importNotebook("/Repos/" + USER + "/dr-runbooks/check", "SQL", "SELECT 1;\n", false);

    List<Notebook> captured = harness.capturePrimary();

    assertThat(captured)
        .extracting(Notebook::path, Notebook::language, Notebook::format)
        .containsExactly(
            tuple(INGEST, "PYTHON", "SOURCE"),
            tuple(LEDGER, "SQL", "SOURCE"),
            tuple(CLOSE, "SQL", "SOURCE"),
            tuple(REVENUE, "PYTHON", "SOURCE"),
            tuple(EXPLORE, "SCALA", "SOURCE"));
    Notebook ingest = captured.get(0);
    assertThat(source(ingest))
        .startsWith("# Databricks notebook source\n")
        .contains("s3://acme-lakehouse-use1/landing/orders/");
    assertThat(ingest.sha256())
        .isEqualTo(SnapshotStore.sha256(Base64.getDecoder().decode(ingest.content())));
  }

  @Test
  void convergeImportsEachNotebookOnceWithItsSourceUnchangedThenChangesNothing() {
    List<Notebook> captured = harness.capturePrimary();

    ComponentConverger.Result first = harness.converge(captured, null, false);

    assertThat(first.counts()).isEqualTo(new ChangeCounts(5, 0, 0, 0));
    assertThat(readSecondary()).containsExactlyElementsOf(captured);
    assertThat(tree("secondary").status(INGEST).source())
        .contains("s3://acme-lakehouse-use1/landing/orders/");

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result second = harness.converge(captured, null, false);

    assertThat(second.counts()).isEqualTo(new ChangeCounts(0, 0, 5, 0));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void changedSourceAndLanguageAreImportedOverTheTargetsNotebook() {
    harness.converge(harness.capturePrimary(), null, false);
    long revenueId = tree("secondary").status(REVENUE).objectId();
    tree("primary").importNotebook(REVENUE, "PYTHON", "display(spark.table('x'))\n", true);
    tree("primary").importNotebook(LEDGER, "PYTHON", "spark.sql('REFRESH TABLE t')\n", true);

    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 2, 3, 0));
    assertThat(result.differences())
        .containsExactly(LEDGER + " differs in content, language", REVENUE + " differs in content");
    assertThat(tree("secondary").status(LEDGER).language()).isEqualTo("PYTHON");
    assertThat(tree("secondary").status(REVENUE).source())
        .isEqualTo("# Databricks notebook source\ndisplay(spark.table('x'))\n");
    assertThat(tree("secondary").status(REVENUE).objectId()).isEqualTo(revenueId);
  }

  @Test
  void notebooksInNestedFoldersAreAllFoundAndConverged() {
    IntStream.range(0, 6).forEach(f -> tree("primary").mkdirs("/Shared/team-" + f + "/daily"));
    IntStream.range(0, 30)
        .forEach(
            i ->
                tree("primary")
                    .importNotebook(
                        String.format("/Shared/team-%d/daily/nb-%03d", i % 6, i),
                        "SQL",
                        "SELECT " + i + ";\n",
                        false));

    List<Notebook> captured = harness.capturePrimary();

    assertThat(captured).hasSize(35);
    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(35, 0, 0, 0));
    assertThat(readSecondary()).containsExactlyElementsOf(captured);
    // Each folder is made once, not once per notebook: 6 team folders and the demo's folders.
    long folders =
        captured.stream()
            .map(n -> n.path().substring(0, n.path().lastIndexOf('/')))
            .distinct()
            .count();
    assertThat(
            harness.cloud.simulator.requests().mutating("databricks", "secondary").stream()
                .filter(r -> r.path().endsWith("/workspace/mkdirs")))
        .hasSize((int) folders);
  }

  @Test
  void aFolderRemovedAfterItWasMadeIsMadeAgainForTheImport() {
    List<Notebook> captured = harness.capturePrimary();
    NotebooksComponent removing =
        new NotebooksComponent() {
          @Override
          public void beforeCreating(List<Notebook> missing, ComponentContext target) {
            super.beforeCreating(missing, target);
            tree("secondary").delete("/Shared/etl", true);
          }
        };

    ComponentConverger.Result result =
        new ComponentConverger<>(
                removing, harness.context(SimulatedCloud.secondary(), null), d -> {})
            .converge(captured, null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(5, 0, 0, 0));
    assertThat(readSecondary()).containsExactlyElementsOf(captured);
  }

  @Test
  void aNotebookImportedBetweenTheReadAndTheImportIsNotDuplicated() {
    List<Notebook> captured = harness.capturePrimary();
    Notebook ingest = captured.get(0);
    NotebooksComponent racing =
        new NotebooksComponent() {
          @Override
          public Map<String, Notebook> current(ComponentContext target, List<Notebook> wanted) {
            Map<String, Notebook> current = super.current(target, wanted);
            tree("secondary").mkdirs("/Shared/etl");
            tree("secondary").importNotebook(INGEST, "PYTHON", source(ingest), false);
            return current;
          }
        };

    ComponentConverger.Result result =
        new ComponentConverger<>(racing, harness.context(SimulatedCloud.secondary(), null), d -> {})
            .converge(captured, null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(5, 0, 0, 0));
    assertThat(tree("secondary").list("/Shared/etl"))
        .extracting(WorkspaceTree.Node::path)
        .containsExactly(INGEST, LEDGER);
    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(0, 0, 5, 0));
  }

  @Test
  void aFolderWhereANotebookBelongsFailsTheStepWithoutRetries() {
    tree("secondary").mkdirs(INGEST);
    List<Notebook> captured = harness.capturePrimary();

    assertThatThrownBy(() -> harness.converge(captured, null, false))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining(INGEST)
        .hasMessageContaining("is a DIRECTORY, not a notebook")
        .satisfies(e -> assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue());
  }

  @Test
  void drillCleanUpRemovesExactlyTheNotebooksTheDrillImported() {
    tree("secondary").mkdirs("/Shared/etl");
    tree("secondary").importNotebook("/Shared/etl/legacy_export", "SCALA", "println(1)\n", false);

    harness.converge(harness.capturePrimary(), "drill-1", false);
    assertThat(harness.ledger.created("notebooks")).hasSize(5);

    ChangeCounts removed = harness.removeCreated("drill-1");

    assertThat(removed).isEqualTo(new ChangeCounts(0, 0, 0, 5));
    assertThat(readSecondary())
        .extracting(Notebook::path)
        .containsExactly("/Shared/etl/legacy_export");
  }

  @Test
  void dryRunCountsWithoutAnyMutatingRequest() {
    List<Notebook> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result result = harness.converge(captured, null, true);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(5, 0, 0, 0));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    assertThat(readSecondary()).isEmpty();
  }
}
