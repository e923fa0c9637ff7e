package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.workflows.TestRunbooks;
import org.junit.jupiter.api.Test;

/** The plan as {@code failover plan} shows it: each step with what it waits for. */
class PlanLayoutTest {
  @Test
  void eachStepIsShownWithTheStepsItWaitsFor() {
    assertThat(PlanLayout.describe(TestRunbooks.example(), Mode.FAILOVER))
        .startsWith(
            "each step starts once the steps it waits for have run, at most 8 steps at once:",
            "  readiness",
            "  approval  (after readiness)",
            "  fence-source  (after approval)",
            "  promote-storage  (after fence-source)",
            "  capture  (after fence-source)",
            "  converge-groups  (after capture)")
        .contains(
            "  converge-catalogs  (after converge-groups, converge-metastore,"
                + " converge-external-locations)",
            "  check-delta-tables  (after capture, promote-storage)",
            "  converge-jobs  (after converge-groups, converge-warehouses, converge-clusters;"
                + " it reads DR's copies of the captured jobs once capture has run)",
            "  converge-grants  (after converge-tables, converge-models)",
            "  smoke-test  (after converge-permissions, converge-grants, check-delta-tables;"
                + " it checks the jobs once converge-jobs has run, the access lists once"
                + " converge-permissions has, and Unity Catalog and the groups once"
                + " converge-grants has (without a failover group or custom step))",
            "  restore-schedules  (after smoke-test)")
        .endsWith("  report  (after restore-schedules)");
  }

  @Test
  void aDrillHasNoFenceAndNoStorageStep() {
    assertThat(PlanLayout.describe(TestRunbooks.example(), Mode.DRILL))
        .contains(
            "  capture",
            "  converge-groups  (after readiness, capture)",
            "  check-delta-tables  (after capture, readiness)",
            "  converge-jobs  (after converge-groups, converge-warehouses, converge-clusters;"
                + " once readiness has passed it reads DR's copies of every job and writes each"
                + " job that names no other object as capture reads it)",
            "  converge-permissions  (after converge-repos, converge-notebooks, converge-jobs)")
        .endsWith("  clean-up  (after smoke-test)", "  report  (after clean-up)");
  }
}
