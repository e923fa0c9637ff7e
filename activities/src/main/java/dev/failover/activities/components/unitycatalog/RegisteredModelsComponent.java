package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.CreateRegisteredModelRequest;
import com.databricks.sdk.service.catalog.DeleteRegisteredModelRequest;
import com.databricks.sdk.service.catalog.ListModelVersionsRequest;
import com.databricks.sdk.service.catalog.ListRegisteredModelsRequest;
import com.databricks.sdk.service.catalog.ModelVersionInfo;
import com.databricks.sdk.service.catalog.RegisteredModelInfo;
import com.databricks.sdk.service.catalog.UpdateModelVersionRequest;
import com.databricks.sdk.service.catalog.UpdateRegisteredModelRequest;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Unity Catalog registered models with their versions, by full name. The model's catalog and schema
 * are converged before it.
 *
 * <p>A version keeps its number, run id and comment; its {@code source} is rewritten to the replica
 * bucket, where replication has carried the run's artifacts, so that the DR version is registered
 * from the replicated files. Its storage location is not part of the item: Unity Catalog assigns it
 * under DR's managed storage, with ids of its own.
 *
 * <p>Versions are created as MLflow's client creates them ({@link MlflowModelVersions}), in the
 * order of their numbers, and finalized. Unity Catalog numbers a model's versions 1, 2, 3, ... and
 * never reuses a number, so:
 *
 * <ul>
 *   <li>only {@code READY} versions are converged (one still registering, or failed, on the primary
 *       has no complete files);
 *   <li>a model whose {@code READY} versions are not exactly 1..n (a version was deleted or failed)
 *       is skipped with the reason: DR could not give its versions the same numbers;
 *   <li>when DR gives a new version another number than the captured one (its copy of the model
 *       lost versions), converge stops there with a {@code NotReady} failure for a person to
 *       decide, as it does when a DR version with the captured number has another source or run.
 * </ul>
 *
 * Not done: the MLflow client also copies the model's files from {@code source} into the new
 * version's storage location (with temporary credentials) between create and finalize; converge
 * registers and finalizes the version without copying them. Extra DR versions are left alone. A
 * drill's ledger records a model only when the drill created it, so clean-up deletes such a model
 * with its versions, and leaves versions a drill added to a model that was already in DR.
 *
 * <p>As the Unity Catalog permissions API of SDK 0.141.0 has no registered-model securable type
 * ({@code SecurableType} lists none), grants on a model are those of securable type {@code
 * function}, which the API uses for models.
 */
public final class RegisteredModelsComponent
    implements Component<RegisteredModelsComponent.RegisteredModel> {

  /** The status of a version whose files are complete. */
  static final String READY = "READY";

  /** A registered model and its versions, sorted by number. */
  public record RegisteredModel(
      String catalogName,
      String schemaName,
      String name,
      String comment,
      String owner,
      List<Version> versions) {
    public String fullName() {
      return catalogName + "." + schemaName + "." + name;
    }
  }

  /** A model version; {@code source} is where its files were registered from. */
  public record Version(long version, String source, String runId, String comment, String status) {}

  @Override
  public String name() {
    return "models";
  }

  @Override
  public Class<RegisteredModel> type() {
    return RegisteredModel.class;
  }

  @Override
  public String key(RegisteredModel item) {
    return item.fullName();
  }

  /** Every model of the catalogs in scope, with one list of versions per model. */
  @Override
  public List<RegisteredModel> read(ComponentContext workspace) {
    List<RegisteredModelInfo> models =
        workspace
            .retry()
            .databricks(
                "list registered models in " + workspace.host(),
                () ->
                    StreamSupport.stream(
                            workspace
                                .workspace()
                                .registeredModels()
                                .list(new ListRegisteredModelsRequest())
                                .spliterator(),
                            false)
                        .filter(m -> workspace.inScope(m.getCatalogName()))
                        .toList());
    return models.stream().map(m -> item(m, versions(m.getFullName(), workspace))).toList();
  }

  private static RegisteredModel item(RegisteredModelInfo info, List<Version> versions) {
    return new RegisteredModel(
        info.getCatalogName(),
        info.getSchemaName(),
        info.getName(),
        info.getComment(),
        info.getOwner(),
        versions);
  }

  private static List<Version> versions(String fullName, ComponentContext workspace) {
    return workspace
        .retry()
        .databricks(
            "list versions of model " + fullName + " in " + workspace.host(),
            () ->
                StreamSupport.stream(
                        workspace
                            .workspace()
                            .modelVersions()
                            .list(new ListModelVersionsRequest().setFullName(fullName))
                            .spliterator(),
                        false)
                    .map(RegisteredModelsComponent::version)
                    .sorted(Comparator.comparingLong(Version::version))
                    .toList());
  }

  private static Version version(ModelVersionInfo info) {
    return new Version(
        info.getVersion(),
        info.getSource(),
        info.getRunId(),
        info.getComment(),
        info.getStatus() == null ? null : info.getStatus().name());
  }

  @Override
  public String skipReason(RegisteredModel captured) {
    List<Version> ready = ready(captured);
    for (int i = 0; i < ready.size(); i++) {
      if (ready.get(i).version() != i + 1) {
        return "its ready versions are "
            + ready.stream().map(Version::version).toList()
            + ", not 1.."
            + ready.size()
            + ": Unity Catalog numbers new versions in sequence, so DR could not keep these"
            + " numbers; register them by hand";
      }
    }
    return null;
  }

  private static List<Version> ready(RegisteredModel model) {
    return model.versions().stream().filter(v -> READY.equals(v.status())).toList();
  }

  @Override
  public RegisteredModel expected(RegisteredModel captured, ComponentContext target) {
    return new RegisteredModel(
        captured.catalogName(),
        captured.schemaName(),
        captured.name(),
        captured.comment(),
        captured.owner(),
        ready(captured).stream()
            .map(
                v ->
                    new Version(
                        v.version(), target.rewrite(v.source()), v.runId(), v.comment(), READY))
            .toList());
  }

  @Override
  public List<String> differences(RegisteredModel want, RegisteredModel have) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(want.comment(), have.comment())) {
      differences.add("comment");
    }
    if (want.owner() != null && !want.owner().equals(have.owner())) {
      differences.add("owner");
    }
    Map<Long, Version> versions = byNumber(have);
    for (Version wanted : want.versions()) {
      Version existing = versions.get(wanted.version());
      String name = "version " + wanted.version();
      if (existing == null) {
        differences.add(name);
        continue;
      }
      if (!Objects.equals(wanted.source(), existing.source())) {
        differences.add(name + " source");
      }
      if (!Objects.equals(wanted.runId(), existing.runId())) {
        differences.add(name + " run_id");
      }
      if (!Objects.equals(wanted.comment(), existing.comment())) {
        differences.add(name + " comment");
      }
      if (!Objects.equals(wanted.status(), existing.status())) {
        differences.add(name + " status");
      }
    }
    return differences;
  }

  private static Map<Long, Version> byNumber(RegisteredModel model) {
    return model.versions().stream()
        .collect(Collectors.toMap(Version::version, Function.identity(), (a, b) -> a));
  }

  /**
   * Creates the model (another attempt having created it is success), then converges its owner and
   * versions from what DR then holds.
   */
  @Override
  public void create(RegisteredModel want, ComponentContext target) {
    target
        .retry()
        .databricksCreate(
            "create registered model " + want.fullName() + " in " + target.host(),
            () ->
                target
                    .workspace()
                    .registeredModels()
                    .create(
                        new CreateRegisteredModelRequest()
                            .setCatalogName(want.catalogName())
                            .setSchemaName(want.schemaName())
                            .setName(want.name())
                            .setComment(want.comment())));
    RegisteredModelInfo info =
        target
            .retry()
            .databricks(
                "read registered model " + want.fullName() + " in " + target.host(),
                () -> target.workspace().registeredModels().get(want.fullName()));
    RegisteredModel have = item(info, versions(want.fullName(), target));
    List<String> differences = differences(want, have);
    if (!differences.isEmpty()) {
      update(want, have, differences, target);
    }
  }

  @Override
  public void update(
      RegisteredModel want,
      RegisteredModel have,
      List<String> differences,
      ComponentContext target) {
    WorkspaceClient client = target.workspace();
    if (differences.contains("comment") || differences.contains("owner")) {
      UpdateRegisteredModelRequest update =
          new UpdateRegisteredModelRequest().setFullName(want.fullName());
      if (differences.contains("comment")) {
        update.setComment(want.comment() == null ? "" : want.comment());
      }
      if (differences.contains("owner")) {
        update.setOwner(want.owner());
      }
      target
          .retry()
          .databricks(
              "update registered model " + want.fullName() + " in " + target.host(),
              () -> client.registeredModels().update(update));
    }
    Map<Long, Version> existing = byNumber(have);
    for (Version wanted : want.versions()) {
      Version version = existing.get(wanted.version());
      if (version == null) {
        createVersion(want, wanted, target);
        continue;
      }
      if (!Objects.equals(wanted.source(), version.source())
          || !Objects.equals(wanted.runId(), version.runId())) {
        throw conflict(
            want,
            "its version "
                + wanted.version()
                + " in DR was registered from "
                + version.source()
                + " (run "
                + version.runId()
                + "), not from "
                + wanted.source()
                + " (run "
                + wanted.runId()
                + ")");
      }
      if (!READY.equals(version.status())) {
        finalizeVersion(want, wanted.version(), target);
      }
      if (!Objects.equals(wanted.comment(), version.comment())) {
        target
            .retry()
            .databricks(
                "update version " + wanted.version() + " of " + want.fullName(),
                () ->
                    client
                        .modelVersions()
                        .update(
                            new UpdateModelVersionRequest()
                                .setFullName(want.fullName())
                                .setVersion(wanted.version())
                                .setComment(wanted.comment() == null ? "" : wanted.comment())));
      }
    }
  }

  /**
   * Registers one version and finalizes it; a number other than the captured one stops converge
   * before anything else is registered.
   */
  private static void createVersion(
      RegisteredModel model, Version wanted, ComponentContext target) {
    MlflowModelVersions.ModelVersion created =
        target
            .retry()
            .databricks(
                "register version "
                    + wanted.version()
                    + " of "
                    + model.fullName()
                    + " in "
                    + target.host(),
                () ->
                    MlflowModelVersions.create(
                        target.workspace(),
                        new MlflowModelVersions.Create(
                            model.fullName(), wanted.source(), wanted.runId(), wanted.comment())));
    long number = Long.parseLong(created.version());
    finalizeVersion(model, number, target);
    if (number != wanted.version()) {
      throw conflict(
          model,
          "DR registered the replica of version "
              + wanted.version()
              + " as version "
              + number
              + " (its copy of the model has lost versions)");
    }
  }

  private static void finalizeVersion(RegisteredModel model, long number, ComponentContext target) {
    target
        .retry()
        .databricks(
            "finalize version " + number + " of " + model.fullName() + " in " + target.host(),
            () -> MlflowModelVersions.finalize(target.workspace(), model.fullName(), number));
  }

  private static ApplicationFailure conflict(RegisteredModel model, String what) {
    return ApplicationFailure.newFailure(
        "registered model "
            + model.fullName()
            + " cannot be converged: "
            + what
            + "; Unity Catalog cannot renumber or re-source a version, so a person must decide",
        FailureTypes.NOT_READY);
  }

  /** Deletes the model with all its versions. */
  @Override
  public void delete(RegisteredModel have, ComponentContext target) {
    target
        .retry()
        .databricks(
            "delete registered model " + have.fullName() + " in " + target.host(),
            () -> {
              try {
                target
                    .workspace()
                    .registeredModels()
                    .delete(new DeleteRegisteredModelRequest().setFullName(have.fullName()));
              } catch (NotFound e) {
                // Already gone.
              }
              return null;
            });
  }

  @Override
  public List<Securable> securables(RegisteredModel item) {
    return List.of(new Securable("function", item.fullName()));
  }
}
