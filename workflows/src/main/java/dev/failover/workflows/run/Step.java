package dev.failover.workflows.run;

/** The steps of a drill, in plan order. Their names are what the CLI and report show. */
public enum Step {
  READINESS("readiness", "both workspaces answer; replica bucket versioned and replicated"),
  CAPTURE("capture", "read the primary's catalogs, schemas and grants into a snapshot"),
  CONVERGE_CATALOGS("converge-catalogs", "create or update catalogs in the DR workspace"),
  CONVERGE_SCHEMAS("converge-schemas", "create or update schemas in the DR workspace"),
  CONVERGE_GRANTS("converge-grants", "set exact privileges per principal in the DR workspace"),
  SMOKE_TEST("smoke-test", "DR catalogs, schemas and grants equal the snapshot"),
  REPORT("report", "store the run report next to the snapshot");

  private final String stepName;
  private final String description;

  Step(String stepName, String description) {
    this.stepName = stepName;
    this.description = description;
  }

  public String stepName() {
    return stepName;
  }

  public String description() {
    return description;
  }
}
