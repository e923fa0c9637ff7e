package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.CreateMetastore;
import com.databricks.sdk.service.catalog.CreateMetastoreAssignment;
import com.databricks.sdk.service.catalog.GetMetastoreSummaryResponse;
import com.databricks.sdk.service.catalog.ListMetastoresRequest;
import com.databricks.sdk.service.catalog.MetastoreAssignment;
import com.databricks.sdk.service.catalog.MetastoreInfo;
import com.databricks.sdk.service.catalog.UnassignRequest;
import com.databricks.sdk.service.catalog.UpdateMetastoreAssignment;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * The workspace's Unity Catalog metastore assignment: DR must be assigned a metastore of its own
 * region, with the captured default catalog.
 *
 * <p>A workspace has at most one assignment, so every item has the same {@link #KEY}: converge
 * finds the DR assignment when there is one (and at most updates its default catalog), and only
 * when DR has none does it create one, which is then the only case a drill's ledger records the
 * key. A drill's clean-up therefore unassigns the metastore only from a workspace the drill
 * assigned it to, and never deletes a metastore: metastores belong to the account and hold every
 * workspace's catalogs. (Clean-up must run in reverse converge order, so that the drill's catalogs
 * are gone before the assignment is.)
 *
 * <p>Create assigns the metastore that serves the DR region. If the account has none there, it
 * creates one named {@code <runbook>-<region>} without a storage root (catalogs then need their own
 * managed locations, which the captured catalogs carry). If it has several there it stops: which
 * one DR should use is a person's choice. A DR workspace assigned to a metastore of another region
 * is not moved either, since moving it would hide every catalog it has.
 *
 * <p>The item keeps the metastore's id because the permissions API names a metastore by its id;
 * what DR must hold ({@link #expected}) names only the region, since DR's metastore is another one.
 */
public final class MetastoreComponent implements Component<MetastoreComponent.Assignment> {
  /** The key of every item: the workspace's one assignment. */
  public static final String KEY = "workspace-assignment";

  /**
   * A metastore assignment.
   *
   * @param metastoreId the assigned metastore's id; null in what DR must hold
   * @param metastoreName its name; null in what DR must hold
   * @param region the region the metastore serves
   * @param defaultCatalogName the workspace's default catalog
   */
  public record Assignment(
      String metastoreId, String metastoreName, String region, String defaultCatalogName) {}

  @Override
  public String name() {
    return "metastore";
  }

  @Override
  public Class<Assignment> type() {
    return Assignment.class;
  }

  @Override
  public String key(Assignment item) {
    return KEY;
  }

  @Override
  public List<Assignment> read(ComponentContext workspace) {
    WorkspaceClient client = workspace.workspace();
    Optional<MetastoreAssignment> assignment =
        workspace
            .retry()
            .databricks(
                "read the metastore assignment of " + workspace.host(),
                () -> {
                  try {
                    return Optional.of(client.metastores().current());
                  } catch (NotFound e) {
                    if (noMetastore(e)) {
                      return Optional.empty();
                    }
                    throw e;
                  }
                });
    if (assignment.isEmpty()) {
      return List.of();
    }
    GetMetastoreSummaryResponse summary =
        workspace
            .retry()
            .databricks(
                "read the metastore summary of " + workspace.host(),
                () -> client.metastores().summary());
    return List.of(
        new Assignment(
            assignment.get().getMetastoreId(),
            summary.getName(),
            summary.getRegion(),
            assignment.get().getDefaultCatalogName()));
  }

  /** The answer of a workspace without a metastore: 404 {@code METASTORE_DOES_NOT_EXIST}. */
  private static boolean noMetastore(DatabricksError e) {
    return "METASTORE_DOES_NOT_EXIST".equals(e.getErrorCode());
  }

  @Override
  public Assignment expected(Assignment captured, ComponentContext target) {
    return new Assignment(null, null, target.target().region(), captured.defaultCatalogName());
  }

  @Override
  public List<String> differences(Assignment want, Assignment have) {
    List<String> differences = new ArrayList<>();
    if (want.region() != null && !want.region().equals(have.region())) {
      differences.add("region");
    }
    if (!Objects.equals(want.defaultCatalogName(), have.defaultCatalogName())) {
      differences.add("default_catalog_name");
    }
    return differences;
  }

  @Override
  public void create(Assignment want, ComponentContext target) {
    WorkspaceClient client = target.workspace();
    long workspaceId = workspaceId(target);
    String metastoreId = metastoreOfRegion(want.region(), target);
    target
        .retry()
        .databricks(
            "assign metastore " + metastoreId + " to " + target.host(),
            () -> {
              client
                  .metastores()
                  .assign(
                      new CreateMetastoreAssignment()
                          .setWorkspaceId(workspaceId)
                          .setMetastoreId(metastoreId)
                          .setDefaultCatalogName(want.defaultCatalogName()));
              return null;
            });
  }

  @Override
  public void update(
      Assignment want, Assignment have, List<String> differences, ComponentContext target) {
    if (differences.contains("region")) {
      throw ApplicationFailure.newFailure(
          target.host()
              + " is assigned metastore "
              + have.metastoreName()
              + " of region "
              + have.region()
              + ", not one of its region "
              + want.region()
              + "; converge does not move a workspace between metastores (its catalogs would"
              + " disappear): reassign it by hand",
          FailureTypes.NOT_READY);
    }
    long workspaceId = workspaceId(target);
    target
        .retry()
        .databricks(
            "set the default catalog of " + target.host() + " to " + want.defaultCatalogName(),
            () -> {
              target
                  .workspace()
                  .metastores()
                  .updateAssignment(
                      new UpdateMetastoreAssignment()
                          .setWorkspaceId(workspaceId)
                          .setDefaultCatalogName(want.defaultCatalogName()));
              return null;
            });
  }

  /** Unassigns the metastore from the workspace; the metastore itself stays. */
  @Override
  public void delete(Assignment have, ComponentContext target) {
    long workspaceId = workspaceId(target);
    target
        .retry()
        .databricks(
            "unassign metastore " + have.metastoreId() + " from " + target.host(),
            () -> {
              try {
                target
                    .workspace()
                    .metastores()
                    .unassign(
                        new UnassignRequest()
                            .setWorkspaceId(workspaceId)
                            .setMetastoreId(have.metastoreId()));
              } catch (NotFound e) {
                // Already unassigned.
              }
              return null;
            });
  }

  @Override
  public List<Securable> securables(Assignment item) {
    return item.metastoreId() == null
        ? List.of()
        : List.of(new Securable("metastore", item.metastoreId()));
  }

  /** The id of the metastore serving {@code region}, created when the account has none there. */
  private static String metastoreOfRegion(String region, ComponentContext target) {
    List<MetastoreInfo> inRegion = metastoresIn(region, target);
    if (inRegion.isEmpty()) {
      String name = target.runbook() + "-" + region;
      target
          .retry()
          .databricksCreate(
              "create metastore " + name + " for " + target.host(),
              () ->
                  target
                      .workspace()
                      .metastores()
                      .create(new CreateMetastore().setName(name).setRegion(region)));
      inRegion = metastoresIn(region, target);
    }
    if (inRegion.size() != 1) {
      throw ApplicationFailure.newFailure(
          "the account has "
              + inRegion.size()
              + " metastores in "
              + region
              + " "
              + inRegion.stream().map(MetastoreInfo::getName).toList()
              + "; assign the one "
              + target.host()
              + " should use by hand",
          FailureTypes.NOT_READY);
    }
    return inRegion.get(0).getMetastoreId();
  }

  private static List<MetastoreInfo> metastoresIn(String region, ComponentContext target) {
    return target
        .retry()
        .databricks(
            "list metastores from " + target.host(),
            () ->
                StreamSupport.stream(
                        target
                            .workspace()
                            .metastores()
                            .list(new ListMetastoresRequest())
                            .spliterator(),
                        false)
                    .filter(m -> region.equals(m.getRegion()))
                    .toList());
  }

  /**
   * The workspace's id, which the SDK resolves from the host's {@code
   * /.well-known/databricks-config} (or the profile's {@code workspace_id}).
   */
  private static long workspaceId(ComponentContext target) {
    String id = target.workspace().config().getWorkspaceId();
    if (id == null || id.isBlank()) {
      throw ApplicationFailure.newFailure(
          "the workspace id of "
              + target.host()
              + " is unknown: set workspace_id in its credential profile",
          FailureTypes.INVALID_REQUEST);
    }
    return Long.parseLong(id);
  }
}
