package dev.failover.activities.unitycatalog;

import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.workflows.runbook.Runbook.PathRewrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the DR side must look like for one snapshot: the snapshot with storage paths rewritten to
 * the replica buckets. It also holds the comparison rules shared by converge (to decide what to
 * change) and the smoke test (to prove nothing differs), so the two can never disagree.
 */
public final class ExpectedState {
  /**
   * Property that marks an object this tool created, with the runbook's name as value, so that a
   * retry, a resumed run or a drill clean-up recognises its own objects. It is ignored when
   * comparing properties.
   */
  public static final String OWNERSHIP_PROPERTY = "failover.runbook";

  /**
   * Property that names the run that created an object, so that a drill removes exactly what it
   * created and nothing an earlier run left. Ignored when comparing properties.
   */
  public static final String RUN_PROPERTY = "failover.run";

  /**
   * Property that marks a {@code default} schema Unity Catalog made with a catalog this tool
   * created, which converge kept as the run's ({@link UnityCatalogConverger#catalogs(List, List)}):
   * a drill's clean-up removes it with its catalog without counting it as something converge
   * created. Ignored when comparing properties.
   */
  public static final String MADE_WITH_CATALOG_PROPERTY = "failover.madeWithCatalog";

  private final List<PathRewrite> rewrites;
  private final String drillRunId;

  public ExpectedState(List<PathRewrite> rewrites) {
    this(rewrites, null);
  }

  /**
   * @param drillRunId the drill whose objects keep the worker as owner until its clean-up removes
   *     them, or null outside a drill
   */
  public ExpectedState(List<PathRewrite> rewrites, String drillRunId) {
    this.rewrites = rewrites;
    this.drillRunId = drillRunId;
  }

  /**
   * Whether the object was created by this drill, which keeps it owned by the worker: the drill's
   * clean-up must remove it, and dropping an object takes its owner, an owner of its parent, {@code
   * MANAGE} or a metastore admin (Unity Catalog "Manage object ownership"), which a worker that is
   * no metastore admin only is while it owns the object.
   */
  public boolean ownerKeptByDrill(ControlPlaneSnapshot.Securable actual) {
    return drillRunId != null
        && actual.properties() != null
        && drillRunId.equals(actual.properties().get(RUN_PROPERTY));
  }

  /**
   * The fields that differ, as {@link #updatableDifferences}, without the owner of an object this
   * drill keeps.
   */
  List<String> differences(
      ControlPlaneSnapshot.Securable expected, ControlPlaneSnapshot.Securable actual) {
    List<String> differences = new ArrayList<>(updatableDifferences(expected, actual));
    if (ownerKeptByDrill(actual)) {
      differences.remove("owner");
    }
    return differences;
  }

  public ControlPlaneSnapshot.Catalog catalog(ControlPlaneSnapshot.Catalog captured) {
    return new ControlPlaneSnapshot.Catalog(
        captured.name(),
        captured.comment(),
        captured.owner(),
        captured.properties(),
        PathRewrite.apply(rewrites, captured.storageRoot()));
  }

  public ControlPlaneSnapshot.Schema schema(ControlPlaneSnapshot.Schema captured) {
    return new ControlPlaneSnapshot.Schema(
        captured.catalogName(),
        captured.name(),
        captured.comment(),
        captured.owner(),
        captured.properties(),
        PathRewrite.apply(rewrites, captured.storageRoot()));
  }

  /** The fields that differ and can be updated in place (comment, owner, properties). */
  static List<String> updatableDifferences(
      ControlPlaneSnapshot.Securable expected, ControlPlaneSnapshot.Securable actual) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(blankToNull(expected.comment()), blankToNull(actual.comment()))) {
      differences.add("comment");
    }
    if (expected.owner() != null && !expected.owner().equals(actual.owner())) {
      differences.add("owner");
    }
    if (!withoutOwnership(expected.properties()).equals(withoutOwnership(actual.properties()))) {
      differences.add("properties");
    }
    return differences;
  }

  /** The properties to send on update: the expected ones, keeping our ownership mark if set. */
  static Map<String, String> propertiesToApply(
      Map<String, String> expected, Map<String, String> actual) {
    Map<String, String> result = new TreeMap<>(withoutOwnership(expected));
    for (String mark : List.of(OWNERSHIP_PROPERTY, RUN_PROPERTY, MADE_WITH_CATALOG_PROPERTY)) {
      if (actual != null && actual.containsKey(mark)) {
        result.put(mark, actual.get(mark));
      }
    }
    return result;
  }

  static Map<String, String> withoutOwnership(Map<String, String> properties) {
    Map<String, String> result = new TreeMap<>(properties == null ? Map.of() : properties);
    result.remove(OWNERSHIP_PROPERTY);
    result.remove(RUN_PROPERTY);
    result.remove(MADE_WITH_CATALOG_PROPERTY);
    return result;
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
