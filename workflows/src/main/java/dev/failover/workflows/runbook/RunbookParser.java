package dev.failover.workflows.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a runbook from its tree (the CLI reads the YAML file into one) and checks every field,
 * collecting all problems rather than stopping at the first, so that an operator fixes a file in
 * one pass. Unknown fields are errors: a typo in a field name must never silently fall back to a
 * default during a failover. Each group of sections has a reader of its own; they share one {@link
 * RunbookFields}, which names every problem by the field's path.
 */
public final class RunbookParser {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?");

  /** The runbook's top-level fields. */
  private static final String[] SECTIONS = {
    "version",
    "name",
    "primary",
    "secondary",
    "bucketPairs",
    "replication",
    "storagePathRewrites",
    "objectives",
    "approval",
    "onStepFailure",
    "steps",
    "scope",
    "account",
    "capture",
    "compute",
    "storageCredentials",
    "fence",
    "managedDr"
  };

  private final RunbookFields f = new RunbookFields();
  private final WorkspaceSections workspaces = new WorkspaceSections(f);
  private final StorageSections storage = new StorageSections(f);
  private final StepSections plan = new StepSections(f);
  private final SettingSections settings = new SettingSections(f);
  private final ManagedDrSections managedDr = new ManagedDrSections(f);

  private RunbookParser() {}

  /**
   * Whether {@code name} is a valid runbook name (it becomes part of workflow and schedule ids).
   */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Validates a runbook's tree and builds the runbook.
   *
   * @param root the runbook file read into a tree (null for an empty file)
   * @param source a name for the input (a file path) used in the exception message
   * @throws InvalidRunbookException listing every problem found
   */
  public static Runbook parse(JsonNode root, String source) throws InvalidRunbookException {
    RunbookParser parser = new RunbookParser();
    Runbook runbook = parser.runbook(root);
    if (!parser.f.problems().isEmpty()) {
      throw new InvalidRunbookException(source, parser.f.problems());
    }
    return runbook;
  }

  private Runbook runbook(JsonNode root) {
    if (root == null || !root.isObject()) {
      f.problem("(file)", "must be a YAML mapping with the runbook's fields");
      return null;
    }
    f.allowOnly(root, "", SECTIONS);
    Integer version = version(root);
    String name = name(root);
    Runbook.Side primary = workspaces.side(root, "primary");
    Runbook.Side secondary = workspaces.side(root, "secondary");
    workspaces.crossCheckSides(primary, secondary);
    List<Runbook.BucketPair> pairs = storage.bucketPairs(root);
    AccountSettings account = workspaces.account(root);
    Runbook runbook =
        new Runbook(
            version == null ? 0 : version,
            name,
            primary,
            secondary,
            pairs,
            storage.replication(root),
            storage.rewrites(root, pairs),
            settings.objectives(root),
            plan.approval(root),
            settings.scope(root),
            plan.onStepFailure(root),
            plan.steps(root),
            account,
            settings.capture(root),
            settings.compute(root, primary, secondary),
            storage.storageCredentials(root),
            settings.fence(root),
            managedDr.managedDr(root, account));
    return f.problems().isEmpty() ? runbook : null;
  }

  private Integer version(JsonNode root) {
    Integer version = f.integer(root, "", "version", true);
    if (version != null && version != 1) {
      f.problem("version", "must be 1 (the only runbook version this tool reads), got " + version);
    }
    return version;
  }

  private String name(JsonNode root) {
    String name = f.text(root, "", "name", true);
    if (name != null && !validName(name)) {
      f.problem(
          "name",
          "must be 1-50 lowercase letters, digits or '-', starting and ending with a letter or"
              + " digit (it becomes part of the workflow id), got '"
              + name
              + "'");
    }
    return name;
  }
}
