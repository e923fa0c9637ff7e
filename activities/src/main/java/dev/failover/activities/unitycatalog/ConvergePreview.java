package dev.failover.activities.unitycatalog;

import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentPreview;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A dry run of converge: the same comparisons converge makes (expected state with rewritten
 * storage, updatable differences, exact privilege sets), counted instead of applied. Only reads.
 */
public final class ConvergePreview {
  private final UnityCatalogReader source;
  private final UnityCatalogReader target;
  private final ExpectedState expected;

  public ConvergePreview(
      UnityCatalogReader source, UnityCatalogReader target, ExpectedState expected) {
    this.source = source;
    this.target = target;
    this.expected = expected;
  }

  public List<ComponentPreview> preview(List<String> scope, String sourceHost) {
    List<ControlPlaneSnapshot.Catalog> catalogs = new ArrayList<>();
    Map<String, ControlPlaneSnapshot.Catalog> all =
        index(source.catalogs(), ControlPlaneSnapshot.Catalog::name);
    if (scope.isEmpty()) {
      catalogs.addAll(all.values());
    } else {
      for (String name : scope) {
        ControlPlaneSnapshot.Catalog catalog = all.get(name);
        if (catalog == null) {
          throw ApplicationFailure.newFailure(
              "the runbook's scope names catalog "
                  + name
                  + ", which "
                  + sourceHost
                  + " does not have",
              FailureTypes.NOT_FOUND);
        }
        catalogs.add(catalog);
      }
    }
    Map<String, ControlPlaneSnapshot.Catalog> targetCatalogs =
        index(target.catalogs(), ControlPlaneSnapshot.Catalog::name);
    ChangeCounts catalogChanges = ChangeCounts.NONE;
    ChangeCounts schemaChanges = ChangeCounts.NONE;
    ChangeCounts grantChanges = ChangeCounts.NONE;
    for (ControlPlaneSnapshot.Catalog captured : catalogs) {
      ControlPlaneSnapshot.Catalog want = expected.catalog(captured);
      ControlPlaneSnapshot.Catalog have = targetCatalogs.get(want.name());
      catalogChanges = catalogChanges.plus(compare(want, have));
      grantChanges = grantChanges.plus(grants("catalog", want.name(), have != null));
      Map<String, ControlPlaneSnapshot.Schema> targetSchemas =
          have == null
              ? Map.of()
              : index(target.schemas(want.name()), ControlPlaneSnapshot.Schema::name);
      for (ControlPlaneSnapshot.Schema capturedSchema : source.schemas(captured.name())) {
        ControlPlaneSnapshot.Schema wantSchema = expected.schema(capturedSchema);
        ControlPlaneSnapshot.Schema haveSchema = targetSchemas.get(wantSchema.name());
        schemaChanges = schemaChanges.plus(compare(wantSchema, haveSchema));
        grantChanges =
            grantChanges.plus(grants("schema", wantSchema.fullName(), haveSchema != null));
      }
    }
    return List.of(
        new ComponentPreview("catalogs", catalogChanges),
        new ComponentPreview("schemas", schemaChanges),
        new ComponentPreview("grants", grantChanges));
  }

  private static ChangeCounts compare(
      ControlPlaneSnapshot.Securable want, ControlPlaneSnapshot.Securable have) {
    if (have == null) {
      return new ChangeCounts(1, 0, 0, 0);
    }
    return ExpectedState.updatableDifferences(want, have).isEmpty()
        ? new ChangeCounts(0, 0, 1, 0)
        : new ChangeCounts(0, 1, 0, 0);
  }

  private ChangeCounts grants(String type, String fullName, boolean existsInTarget) {
    ControlPlaneSnapshot.Grants want = source.grants(type, fullName);
    ControlPlaneSnapshot.Grants have =
        existsInTarget
            ? target.grants(type, fullName)
            : new ControlPlaneSnapshot.Grants(type, fullName, List.of());
    return UnityCatalogConverger.GrantChanges.between(want, have).counts();
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
    return items.stream()
        .collect(Collectors.toMap(key, t -> t, (a, b) -> a, java.util.LinkedHashMap::new));
  }
}
