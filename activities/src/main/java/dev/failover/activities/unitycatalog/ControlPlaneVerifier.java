package dev.failover.activities.unitycatalog;

import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Compares a workspace with the expected state, read-only, using the same rules as {@link
 * UnityCatalogConverger}; returns every difference as a sentence an operator can act on.
 */
public final class ControlPlaneVerifier {
  private final UnityCatalogReader reader;
  private final ExpectedState expected;
  private final IntConsumer progress;

  public ControlPlaneVerifier(
      UnityCatalogReader reader, ExpectedState expected, IntConsumer progress) {
    this.reader = reader;
    this.expected = expected;
    this.progress = progress;
  }

  /** The differences between the workspace and the snapshot; empty when they match. */
  public List<String> differences(ControlPlaneSnapshot snapshot) {
    List<String> differences = new ArrayList<>();
    Map<String, ControlPlaneSnapshot.Catalog> catalogs = new HashMap<>();
    reader.catalogs().forEach(c -> catalogs.put(c.name(), c));
    int done = 0;
    for (ControlPlaneSnapshot.Catalog captured : snapshot.catalogs()) {
      ControlPlaneSnapshot.Catalog want = expected.catalog(captured);
      ControlPlaneSnapshot.Catalog have = catalogs.get(want.name());
      compare("catalog", want, have, differences);
      progress.accept(++done);
    }
    Map<String, ControlPlaneSnapshot.Schema> schemas = schemasOf(snapshot, catalogs);
    for (ControlPlaneSnapshot.Schema captured : snapshot.schemas()) {
      ControlPlaneSnapshot.Schema want = expected.schema(captured);
      ControlPlaneSnapshot.Schema have = schemas.get(want.fullName());
      compare("schema", want, have, differences);
      progress.accept(++done);
    }
    extraSchemas(snapshot, catalogs, schemas, differences);
    List<ControlPlaneSnapshot.Grants> wanted =
        snapshot.grants().stream()
            .filter(
                want ->
                    want.securableType().equals("catalog")
                        ? catalogs.containsKey(want.fullName())
                        : schemas.containsKey(want.fullName()))
            .toList();
    int before = done;
    // Each securable's grants, a few at a time; compared in the snapshot's order.
    List<ControlPlaneSnapshot.Grants> have =
        Concurrently.map(
            wanted,
            Concurrently.IN_FLIGHT,
            want -> reader.grants(want.securableType(), want.fullName()),
            n -> progress.accept(before + n));
    for (int i = 0; i < wanted.size(); i++) {
      compareGrants(wanted.get(i), have.get(i), differences);
    }
    return differences;
  }

  /**
   * Adds each schema the target holds in a catalog this tool created (it carries the ownership
   * mark) that the snapshot lacks: such a catalog should hold the primary's schemas only (Unity
   * Catalog creates a {@code default} schema with every catalog, which converge drops when the
   * snapshot has none; one that stays, owned by the worker, would hold more rights than anything
   * the primary has). Schemas in catalogs the target had before are its own business.
   */
  private static void extraSchemas(
      ControlPlaneSnapshot snapshot,
      Map<String, ControlPlaneSnapshot.Catalog> catalogs,
      Map<String, ControlPlaneSnapshot.Schema> schemas,
      List<String> differences) {
    java.util.Set<String> captured = new java.util.HashSet<>();
    snapshot.schemas().forEach(s -> captured.add(s.fullName()));
    schemas.values().stream()
        .filter(s -> !captured.contains(s.fullName()))
        .filter(s -> createdByThisTool(catalogs.get(s.catalogName())))
        .map(ControlPlaneSnapshot.Schema::fullName)
        .sorted()
        .forEach(
            fullName ->
                differences.add(
                    "schema "
                        + fullName
                        + " is in DR but not in the snapshot (its catalog was created by this"
                        + " tool and should hold the primary's schemas only: drop it if it is"
                        + " not wanted)"));
  }

  private static boolean createdByThisTool(ControlPlaneSnapshot.Catalog catalog) {
    return catalog != null
        && catalog.properties() != null
        && catalog.properties().containsKey(ExpectedState.OWNERSHIP_PROPERTY);
  }

  /** The target's schemas of the snapshot's catalogs that exist there, a few catalogs at a time. */
  private Map<String, ControlPlaneSnapshot.Schema> schemasOf(
      ControlPlaneSnapshot snapshot, Map<String, ControlPlaneSnapshot.Catalog> catalogs) {
    List<ControlPlaneSnapshot.Catalog> present =
        snapshot.catalogs().stream().filter(c -> catalogs.containsKey(c.name())).toList();
    Map<String, ControlPlaneSnapshot.Schema> schemas = new HashMap<>();
    Concurrently.map(present, Concurrently.IN_FLIGHT, c -> reader.schemas(c.name()), n -> {})
        .forEach(listed -> listed.forEach(s -> schemas.put(s.fullName(), s)));
    return schemas;
  }

  /** Adds each principal whose privileges on the securable differ from the snapshot's. */
  private static void compareGrants(
      ControlPlaneSnapshot.Grants want,
      ControlPlaneSnapshot.Grants have,
      List<String> differences) {
    UnityCatalogConverger.GrantChanges.between(want, have)
        .requests()
        .forEach(
            change ->
                differences.add(
                    "grants of "
                        + change.getPrincipal()
                        + " on "
                        + want.securableType()
                        + " "
                        + want.fullName()
                        + " differ (missing "
                        + (change.getAdd() == null ? "[]" : change.getAdd())
                        + ", extra "
                        + (change.getRemove() == null ? "[]" : change.getRemove())
                        + ")"));
  }

  /** Adds what differs between the wanted and the actual object, or that it is missing. */
  private void compare(
      String kind,
      ControlPlaneSnapshot.Securable want,
      ControlPlaneSnapshot.Securable have,
      List<String> differences) {
    String what = kind + " " + want.fullName();
    if (have == null) {
      differences.add(what + " is missing");
      return;
    }
    List<String> updatable = expected.differences(want, have);
    if (!updatable.isEmpty()) {
      differences.add(what + " differs in " + String.join(", ", updatable));
    }
    if (!Objects.equals(want.storageRoot(), have.storageRoot())) {
      differences.add(
          what
              + " has storage root "
              + have.storageRoot()
              + ", expected "
              + want.storageRoot()
              + " (a storage root cannot be changed in place: drop and re-create the object)");
    }
  }
}
