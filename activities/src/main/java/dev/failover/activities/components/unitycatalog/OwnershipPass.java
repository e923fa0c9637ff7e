package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.service.catalog.UpdateExternalLocation;
import com.databricks.sdk.service.catalog.UpdateRegisteredModelRequest;
import com.databricks.sdk.service.catalog.UpdateStorageCredential;
import com.databricks.sdk.service.catalog.UpdateTableRequest;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.tables.TableItem;
import dev.failover.activities.components.tables.TablesComponent;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.unitycatalog.UnityCatalogConverger;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The owners given last, in the grants step: tables, views and registered models first (their
 * catalogs' and schemas' owners follow, {@code UnityCatalogConverger.owners}), then external
 * locations and storage credentials.
 *
 * <p>Tables, views and models are created owned by the worker, their creator, and keep it until
 * every one of them is converged: creating a view needs {@code SELECT} on the tables and views it
 * reads, with {@code USE CATALOG} and {@code USE SCHEMA} ("You must be able to read the tables and
 * views referenced in the view", Databricks "Create views", Requirements), and a metastore admin
 * does not hold it by being admin; creating a model's versions needs the model's owner ("To ...
 * create a new model version ... users must be owners of the registered model", {@code
 * RegisteredModelsAPI}, SDK 0.141.0). A table's or view's owner is changed with {@code
 * TablesAPI.update} (the caller owns the table, or the catalog and schema; Terraform's {@code
 * databricks_sql_table} sets views' owners the same way), a model's with {@code
 * RegisteredModelsAPI.update} (its owner or a metastore admin). Both go before the schemas and
 * catalogs change owner, while the worker still holds {@code USE CATALOG} and {@code USE SCHEMA} as
 * their owner. A drill gives tables and views their owners (its clean-up drops them as the owner of
 * the schema it created, or as metastore admin) but leaves models to the worker ({@link #owner}):
 * deleting a model takes its owner or a metastore admin ({@code RegisteredModelsAPI.delete}).
 *
 * <p>The owners of external locations and storage credentials, given last. Creating an external
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
   * Gives every converged table and view, then every converged registered model, its captured owner
   * where the target holds it with another. An owner change is idempotent, so a retry after a lost
   * answer sends it again or finds it done. An owner Unity Catalog in the target does not resolve
   * ({@code PRINCIPAL_DOES_NOT_EXIST}) is refused by name: the object keeps its owner (the worker,
   * for one converge created), and the step fails naming it once everything else is done.
   */
  public static ComponentResult tablesAndModels(
      List<TableItem> tables,
      List<RegisteredModelsComponent.RegisteredModel> models,
      ComponentContext target,
      IntConsumer progress) {
    return tables(tables, target, progress).plus(models(models, target, progress));
  }

  private static ComponentResult tables(
      List<TableItem> captured, ComponentContext target, IntConsumer progress) {
    TablesComponent component = new TablesComponent();
    List<TableItem> wanted =
        captured.stream()
            .filter(t -> component.skipReason(t) == null)
            .map(t -> component.expected(t, target))
            .filter(t -> t.owner() != null)
            .toList();
    if (wanted.isEmpty()) {
      return ComponentResult.NONE;
    }
    Map<String, TableItem> actual = component.current(target, wanted);
    List<TableItem> toGive =
        wanted.stream()
            .filter(
                want -> {
                  TableItem have = actual.get(want.fullName());
                  return have != null && !want.owner().equals(have.owner());
                })
            .toList();
    List<String> refused =
        Concurrently.map(
                toGive,
                Concurrently.IN_FLIGHT,
                want -> giveTable(want, actual.get(want.fullName()), target),
                progress)
            .stream()
            .filter(java.util.Objects::nonNull)
            .toList();
    return given(wanted.size(), toGive.size(), refused);
  }

  /** Gives a table or view its owner; the refusal when the principal is unknown, else null. */
  private static String giveTable(TableItem want, TableItem have, ComponentContext target) {
    return giveOwner(
        (want.view() ? "view " : "table ") + want.fullName(),
        want.owner(),
        have.owner(),
        target,
        () ->
            target
                .workspace()
                .tables()
                .update(
                    new UpdateTableRequest().setFullName(want.fullName()).setOwner(want.owner())));
  }

  /**
   * Gives {@code what} its owner by {@code update}, retried as any call; the refusal naming it when
   * Unity Catalog in the target does not resolve the owner ({@code PRINCIPAL_DOES_NOT_EXIST}), else
   * null.
   */
  private static String giveOwner(
      String what, String owner, String keptOwner, ComponentContext target, Runnable update) {
    boolean given =
        target
            .retry()
            .databricks(
                "give " + what + " its owner in " + target.host(),
                () -> UnityCatalogConverger.unlessPrincipalUnknown(update));
    return given ? null : UnityCatalogConverger.ownerRefused(what, owner, keptOwner, target.host());
  }

  private static ComponentResult models(
      List<RegisteredModelsComponent.RegisteredModel> captured,
      ComponentContext target,
      IntConsumer progress) {
    RegisteredModelsComponent component = new RegisteredModelsComponent();
    Map<String, String> wanted = new java.util.LinkedHashMap<>();
    for (RegisteredModelsComponent.RegisteredModel model : captured) {
      String owner = owner(model.owner(), target);
      if (owner != null && component.skipReason(model) == null) {
        wanted.put(model.fullName(), owner);
      }
    }
    if (wanted.isEmpty()) {
      return ComponentResult.NONE;
    }
    Map<String, String> actual = new HashMap<>();
    RegisteredModelsComponent.models(target)
        .forEach(m -> actual.put(m.getFullName(), m.getOwner()));
    List<Map.Entry<String, String>> toGive =
        wanted.entrySet().stream()
            .filter(e -> actual.containsKey(e.getKey()))
            .filter(e -> !e.getValue().equals(actual.get(e.getKey())))
            .toList();
    List<String> refused =
        Concurrently.map(
                toGive,
                Concurrently.IN_FLIGHT,
                e -> giveModel(e.getKey(), e.getValue(), actual.get(e.getKey()), target),
                progress)
            .stream()
            .filter(java.util.Objects::nonNull)
            .toList();
    return given(wanted.size(), toGive.size(), refused);
  }

  /** Gives a registered model its owner; the refusal when the principal is unknown, else null. */
  private static String giveModel(
      String fullName, String owner, String keptOwner, ComponentContext target) {
    return giveOwner(
        "registered model " + fullName,
        owner,
        keptOwner,
        target,
        () ->
            target
                .workspace()
                .registeredModels()
                .update(new UpdateRegisteredModelRequest().setFullName(fullName).setOwner(owner)));
  }

  /** What giving owners did: the owners given, those already so, and the refusals. */
  private static ComponentResult given(int wanted, int toGive, List<String> refused) {
    return new ComponentResult(
        new ChangeCounts(0, toGive - refused.size(), wanted - toGive, 0),
        List.of(),
        List.of(),
        refused);
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
      String refusal =
          giveOwner(
              "external location " + want.name(),
              want.owner(),
              have.owner(),
              target,
              () ->
                  target
                      .workspace()
                      .externalLocations()
                      .update(
                          new UpdateExternalLocation()
                              .setName(want.name())
                              .setOwner(want.owner())));
      if (refusal == null) {
        changed++;
      } else {
        refused.add(refusal);
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
      String refusal =
          giveOwner(
              "storage credential " + want.name(),
              want.owner(),
              have.owner(),
              target,
              () ->
                  target
                      .workspace()
                      .storageCredentials()
                      .update(
                          new UpdateStorageCredential()
                              .setName(want.name())
                              .setOwner(want.owner())));
      if (refusal == null) {
        changed++;
      } else {
        refused.add(refusal);
      }
    }
    return new ComponentResult(
        new ChangeCounts(0, changed, unchanged, 0), List.of(), List.of(), refused);
  }
}
