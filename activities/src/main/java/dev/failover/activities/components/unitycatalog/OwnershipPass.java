package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.service.catalog.UpdateExternalLocation;
import com.databricks.sdk.service.catalog.UpdateStorageCredential;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.unitycatalog.UnityCatalogConverger;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The owners of external locations and storage credentials, given last. Creating an external
 * location takes {@code CREATE EXTERNAL LOCATION} on its credential and an external table {@code
 * CREATE EXTERNAL TABLE} on its location; an owner holds both, and loses them when the ownership
 * moves ("Manage Unity Catalog object ownership"). So converge creates them owned by the worker and
 * this pass, after the grants, gives each its captured owner. A drill leaves their owners as they
 * are: what it creates it removes afterwards, which needs ownership (or MANAGE, or metastore
 * admin), and a pre-existing one is set up ahead of time by whoever owns it.
 */
public final class OwnershipPass {
  private OwnershipPass() {}

  /** The owner converge wants: the captured one, or none in a drill (not compared). */
  static String owner(String captured, ComponentContext target) {
    return target.drill() ? null : captured;
  }

  /**
   * Gives every external location, then every storage credential, its captured owner. An owner
   * Unity Catalog in the target does not resolve ({@code PRINCIPAL_DOES_NOT_EXIST}) is refused by
   * name: the object keeps its owner (the worker, for one converge created), and the step fails
   * naming it once everything else is done.
   */
  public static ComponentResult storage(ControlPlaneSnapshot snapshot, ComponentContext target) {
    if (target.drill()) {
      return ComponentResult.NONE;
    }
    return locations(snapshot, target).plus(credentials(snapshot, target));
  }

  private static ComponentResult locations(ControlPlaneSnapshot snapshot, ComponentContext target) {
    ExternalLocationsComponent component = new ExternalLocationsComponent();
    Map<String, ExternalLocationsComponent.ExternalLocation> actual = new HashMap<>();
    component.read(target).forEach(l -> actual.put(l.name(), l));
    int changed = 0;
    int unchanged = 0;
    List<String> refused = new ArrayList<>();
    for (ExternalLocationsComponent.ExternalLocation captured :
        snapshot.items(component.name(), component.type())) {
      ExternalLocationsComponent.ExternalLocation want = component.expected(captured, target);
      ExternalLocationsComponent.ExternalLocation have = actual.get(want.name());
      if (have == null || want.owner() == null || want.owner().equals(have.owner())) {
        unchanged++;
        continue;
      }
      boolean given =
          target
              .retry()
              .databricks(
                  "give external location " + want.name() + " its owner in " + target.host(),
                  () ->
                      UnityCatalogConverger.unlessPrincipalUnknown(
                          () ->
                              target
                                  .workspace()
                                  .externalLocations()
                                  .update(
                                      new UpdateExternalLocation()
                                          .setName(want.name())
                                          .setOwner(want.owner()))));
      if (given) {
        changed++;
      } else {
        refused.add(
            UnityCatalogConverger.ownerRefused(
                "external location " + want.name(), want.owner(), have.owner(), target.host()));
      }
    }
    return new ComponentResult(
        new ChangeCounts(0, changed, unchanged, 0), List.of(), List.of(), refused);
  }

  private static ComponentResult credentials(
      ControlPlaneSnapshot snapshot, ComponentContext target) {
    StorageCredentialsComponent component = new StorageCredentialsComponent();
    List<StorageCredentialsComponent.StorageCredential> captured =
        snapshot.items(component.name(), component.type());
    Map<String, StorageCredentialsComponent.StorageCredential> actual = new HashMap<>();
    component.read(target).forEach(c -> actual.put(c.name(), c));
    int changed = 0;
    int unchanged = 0;
    List<String> refused = new ArrayList<>();
    for (StorageCredentialsComponent.StorageCredential credential : captured) {
      StorageCredentialsComponent.StorageCredential want = component.expected(credential, target);
      StorageCredentialsComponent.StorageCredential have = actual.get(want.name());
      // A mapped credential belongs to whoever set it up ahead of time: never changed.
      boolean mapped = target.storageCredentials().isMappedTarget(want.name());
      if (mapped || have == null || want.owner() == null || want.owner().equals(have.owner())) {
        unchanged++;
        continue;
      }
      boolean given =
          target
              .retry()
              .databricks(
                  "give storage credential " + want.name() + " its owner in " + target.host(),
                  () ->
                      UnityCatalogConverger.unlessPrincipalUnknown(
                          () ->
                              target
                                  .workspace()
                                  .storageCredentials()
                                  .update(
                                      new UpdateStorageCredential()
                                          .setName(want.name())
                                          .setOwner(want.owner()))));
      if (given) {
        changed++;
      } else {
        refused.add(
            UnityCatalogConverger.ownerRefused(
                "storage credential " + want.name(), want.owner(), have.owner(), target.host()));
      }
    }
    return new ComponentResult(
        new ChangeCounts(0, changed, unchanged, 0), List.of(), List.of(), refused);
  }
}
