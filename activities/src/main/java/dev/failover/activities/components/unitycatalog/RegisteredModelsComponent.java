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
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.unitycatalog.UnityCatalogConverger;
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
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

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
 * <p>Between create and finalize, converge copies the version's files as MLflow's client does
 * ({@link ModelVersionFiles}): every object under the rewritten {@code source}, read with the
 * worker's own S3 client for the target side, is written at the same relative key into the storage
 * location Unity Catalog assigned, with the temporary credentials it hands out for the new version
 * ({@code generate-temporary-credentials}, {@code MODEL_VERSION_OPERATION_READ_WRITE}). Those
 * credentials are never logged, returned or put in a message. Converge stops with a {@code
 * NotReady} failure, before registering anything, when the replica of a source holds no files; a
 * model with a source that is not an {@code s3://} URL is skipped with the reason, since its files
 * cannot be copied. A DR version left {@code PENDING_REGISTRATION} (a converge that stopped between
 * create and finalize) gets its files copied again and is finalized; a {@code READY} one is left
 * alone. What was copied is in the result's differences.
 *
 * <p>A {@code READY} DR version whose storage location does not hold as many files and bytes as the
 * replica of its source differs in {@code version N files}: the check (smoke test) reports it, and
 * converge stops with a {@code NotReady} failure, since Unity Catalog lets no one write a ready
 * version's files (delete the model in DR and converge again). The storage location is listed with
 * the worker's client, or, when the worker's profile is refused there, with the version's temporary
 * read credentials. Comparing counts and bytes, not contents, keeps this at one listing per version
 * and side.
 *
 * <p>Extra DR versions are left alone. A drill's ledger records a model only when the drill created
 * it, so clean-up deletes such a model with its versions (Unity Catalog deletes their files from
 * its managed storage), and leaves versions a drill added to a model that was already in DR.
 *
 * <p>Not done: the source and the storage location are taken to be in the target workspace's region
 * (a replica bucket and Unity Catalog's managed storage are); the credentials are not refreshed
 * during a copy, so a version whose files take longer to copy than they last (an hour, usually)
 * fails the attempt, and the next one copies it again; files are compared by count and bytes only.
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

  /**
   * A model version; {@code source} is where its files were registered from. {@code files} is not
   * captured: it is what converge finds under the source's replica (wanted) or in the DR version's
   * storage location (held), or null when not looked at.
   */
  public record Version(
      long version,
      String source,
      String runId,
      String comment,
      String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) Files files) {
    public Version(long version, String source, String runId, String comment, String status) {
      this(version, source, runId, comment, status, null);
    }
  }

  /** How many objects a prefix holds, and their bytes. */
  public record Files(long count, long bytes) {
    static Files of(List<S3Object> objects) {
      return new Files(objects.size(), objects.stream().mapToLong(S3Object::size).sum());
    }

    String describe() {
      return count + " file(s), " + String.format(java.util.Locale.ROOT, "%,d", bytes) + " bytes";
    }
  }

  @Override
  public String name() {
    return "models";
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  @Override
  public boolean trustedWhenUnchanged() {
    return true;
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
    // Each model's versions, a few models at a time, in the listed order.
    return dev.failover.activities.clients.Concurrently.map(
        models(workspace),
        dev.failover.activities.clients.Concurrently.IN_FLIGHT,
        m -> item(m, versions(m.getFullName(), workspace)),
        n -> {});
  }

  private static List<RegisteredModelInfo> models(ComponentContext workspace) {
    return workspace
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
    return versionInfos(fullName, workspace).stream()
        .map(RegisteredModelsComponent::version)
        .toList();
  }

  private static List<ModelVersionInfo> versionInfos(String fullName, ComponentContext workspace) {
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
                    .sorted(Comparator.comparingLong(ModelVersionInfo::getVersion))
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
    for (Version v : ready) {
      if (ModelVersionFiles.Location.parse(v.source()) == null) {
        return "the source of its version "
            + v.version()
            + " ("
            + v.source()
            + ") is not an s3:// URL, so converge cannot copy its files; register it by hand";
      }
    }
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

  /** The versions' replicas are listed a few at a time, in the versions' order. */
  @Override
  public RegisteredModel expected(RegisteredModel captured, ComponentContext target) {
    return new RegisteredModel(
        captured.catalogName(),
        captured.schemaName(),
        captured.name(),
        captured.comment(),
        captured.owner(),
        dev.failover.activities.clients.Concurrently.map(
            ready(captured),
            dev.failover.activities.clients.Concurrently.IN_FLIGHT,
            v -> {
              String source = target.rewrite(v.source());
              return new Version(
                  v.version(), source, v.runId(), v.comment(), READY, sourceFiles(source, target));
            },
            n -> {}));
  }

  /** What the replica of a source holds, listed with the worker's client; null if not in S3. */
  private static Files sourceFiles(String source, ComponentContext target) {
    ModelVersionFiles.Location at = ModelVersionFiles.Location.parse(source);
    return at == null ? null : Files.of(ModelVersionFiles.listAsWorker(target, at));
  }

  /**
   * The target's models among the wanted ones, each {@code READY} version with what its storage
   * location holds when the wanted version's files are known, so that {@link #differences} can
   * compare them.
   */
  @Override
  public Map<String, RegisteredModel> current(
      ComponentContext target, List<RegisteredModel> wanted) {
    Map<String, RegisteredModel> byKey = new java.util.LinkedHashMap<>();
    wanted.forEach(w -> byKey.put(w.fullName(), w));
    List<RegisteredModelInfo> matching =
        models(target).stream().filter(info -> byKey.containsKey(info.getFullName())).toList();
    // Each model's versions, a few models at a time; each model's versions' files side by side.
    List<RegisteredModel> models =
        dev.failover.activities.clients.Concurrently.map(
            matching,
            dev.failover.activities.clients.Concurrently.IN_FLIGHT,
            info -> current(info, byNumber(byKey.get(info.getFullName())), target),
            n -> {});
    Map<String, RegisteredModel> found = new java.util.LinkedHashMap<>();
    models.forEach(m -> found.put(m.fullName(), m));
    return found;
  }

  private static RegisteredModel current(
      RegisteredModelInfo info, Map<Long, Version> wantedVersions, ComponentContext target) {
    List<Version> versions =
        dev.failover.activities.clients.Concurrently.map(
            versionInfos(info.getFullName(), target),
            dev.failover.activities.clients.Concurrently.IN_FLIGHT,
            v -> {
              Version have = version(v);
              Version wantedVersion = wantedVersions.get(have.version());
              if (READY.equals(have.status())
                  && wantedVersion != null
                  && wantedVersion.files() != null
                  && ModelVersionFiles.Location.parse(v.getStorageLocation()) != null) {
                have =
                    new Version(
                        have.version(),
                        have.source(),
                        have.runId(),
                        have.comment(),
                        have.status(),
                        storedFiles(info.getFullName(), v, target));
              }
              return have;
            },
            n -> {});
    return item(info, versions);
  }

  /**
   * What a version's storage location holds: listed with the worker's client for the target side,
   * or, when its profile is refused there, with Unity Catalog's temporary read credentials for the
   * version, as MLflow's client reads a version's files.
   */
  private static Files storedFiles(String fullName, ModelVersionInfo v, ComponentContext target) {
    ModelVersionFiles.Location at = ModelVersionFiles.Location.parse(v.getStorageLocation());
    return target
        .retry()
        .aws(
            "list " + at.url(),
            () -> {
              try {
                return Files.of(
                    ModelVersionFiles.list(
                        ModelVersionFiles.workerClient(target, at.bucket()), at));
              } catch (S3Exception e) {
                if (e.statusCode() != 403) {
                  throw e;
                }
              }
              AwsSessionCredentials read =
                  target
                      .retry()
                      .databricks(
                          "get read credentials for version "
                              + v.getVersion()
                              + " of "
                              + fullName
                              + " in "
                              + target.host(),
                          () ->
                              MlflowModelVersions.temporaryCredentials(
                                  target.workspace(),
                                  fullName,
                                  v.getVersion(),
                                  MlflowModelVersions.READ));
              try (S3Client s3 = target.clients().temporaryS3(target.target().region(), read)) {
                return Files.of(ModelVersionFiles.list(s3, at));
              }
            });
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
      } else if (lacksFiles(wanted, existing)) {
        differences.add(
            name
                + " files (DR holds "
                + existing.files().describe()
                + ", the source "
                + wanted.files().describe()
                + ")");
      }
    }
    return differences;
  }

  /** Whether a ready DR version's storage location does not hold what its source holds. */
  private static boolean lacksFiles(Version wanted, Version existing) {
    return wanted.files() != null
        && existing.files() != null
        && !wanted.files().equals(existing.files());
  }

  private static Map<Long, Version> byNumber(RegisteredModel model) {
    return model.versions().stream()
        .collect(Collectors.toMap(Version::version, Function.identity(), (a, b) -> a));
  }

  /**
   * Models are converged a few at a time: each model, with its versions and their files, is its own
   * (its versions go in order within it).
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  @Override
  public void create(RegisteredModel want, ComponentContext target) {
    createDescribed(want, target);
  }

  /**
   * Creates the model (another attempt having created it is success), then converges its owner and
   * versions from what DR then holds; says which files it copied.
   */
  @Override
  public List<String> createDescribed(RegisteredModel want, ComponentContext target) {
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
    return differences.isEmpty() ? List.of() : updateDescribed(want, have, differences, target);
  }

  @Override
  public void update(
      RegisteredModel want,
      RegisteredModel have,
      List<String> differences,
      ComponentContext target) {
    updateDescribed(want, have, differences, target);
  }

  @Override
  public List<String> updateDescribed(
      RegisteredModel want,
      RegisteredModel have,
      List<String> differences,
      ComponentContext target) {
    WorkspaceClient client = target.workspace();
    List<String> done = new ArrayList<>();
    String ownerRefused = null;
    if (differences.contains("comment") || differences.contains("owner")) {
      UpdateRegisteredModelRequest update =
          new UpdateRegisteredModelRequest().setFullName(want.fullName());
      if (differences.contains("comment")) {
        update.setComment(want.comment() == null ? "" : want.comment());
      }
      if (differences.contains("owner")) {
        update.setOwner(want.owner());
      }
      boolean updated =
          target
              .retry()
              .databricks(
                  "update registered model " + want.fullName() + " in " + target.host(),
                  () ->
                      UnityCatalogConverger.unlessPrincipalUnknown(
                          () -> client.registeredModels().update(update)));
      if (!updated) {
        // DR's Unity Catalog has no such principal: the rest converges, then the model is refused
        // naming it, still owned by whoever owns it now.
        ownerRefused =
            UnityCatalogConverger.ownerUnknown(want.owner(), have.owner(), target.host());
        if (differences.contains("comment")) {
          update.setOwner(null);
          target
              .retry()
              .databricks(
                  "update registered model " + want.fullName() + " in " + target.host(),
                  () -> client.registeredModels().update(update));
        }
      }
    }
    Map<Long, Version> existing = byNumber(have);
    for (Version wanted : want.versions()) {
      Version version = existing.get(wanted.version());
      if (version == null) {
        done.add(createVersion(want, wanted, target));
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
        // Registered by a converge that stopped before finalizing: its files may be partial.
        String copied = copyFiles(want, wanted, wanted.version(), target);
        finalizeVersion(want, wanted.version(), target);
        done.add(copied);
      } else if (lacksFiles(wanted, version)) {
        throw conflict(
            want,
            "its version "
                + wanted.version()
                + " in DR is READY but its storage location holds "
                + version.files().describe()
                + " where the replica of its source holds "
                + wanted.files().describe()
                + "; Unity Catalog lets no one write a ready version's files, so delete the model"
                + " in DR and converge again");
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
    if (ownerRefused != null) {
      throw new Component.Refused(ownerRefused);
    }
    return done;
  }

  /**
   * Registers one version, copies its files and finalizes it; a number other than the captured one
   * stops converge before anything else is registered. A source whose replica holds no files stops
   * converge before the version is registered, so that no number is spent on an empty version.
   */
  private static String createVersion(
      RegisteredModel model, Version wanted, ComponentContext target) {
    requireFiles(model, wanted);
    long number = register(model, wanted, target);
    String copied = copyFiles(model, wanted, number, target);
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
    return copied;
  }

  /**
   * Registers one version and returns its number. Registering has no idempotency key: an attempt
   * whose answer was lost may have registered the version, and another create would register it
   * again under the next number. So after such an attempt, the retry first waits for a version from
   * this source and run, numbered above those the model had before, to appear.
   */
  private static long register(RegisteredModel model, Version wanted, ComponentContext target) {
    long highestBefore =
        versions(model.fullName(), target).stream().mapToLong(Version::version).max().orElse(0);
    return target
        .retry()
        .databricksCreateWithoutKey(
            "register version "
                + wanted.version()
                + " of "
                + model.fullName()
                + " in "
                + target.host(),
            () ->
                versions(model.fullName(), target).stream()
                    .filter(
                        v ->
                            v.version() > highestBefore
                                && Objects.equals(v.source(), wanted.source())
                                && Objects.equals(v.runId(), wanted.runId()))
                    .map(Version::version)
                    .findFirst(),
            () ->
                Long.parseLong(
                    MlflowModelVersions.create(
                            target.workspace(),
                            new MlflowModelVersions.Create(
                                model.fullName(),
                                wanted.source(),
                                wanted.runId(),
                                wanted.comment()))
                        .version()),
            target.clients().httpTimeout());
  }

  private static void requireFiles(RegisteredModel model, Version wanted) {
    if (wanted.files() == null || wanted.files().count() == 0) {
      throw ApplicationFailure.newFailure(
          "registered model "
              + model.fullName()
              + " cannot be converged yet: the replica of version "
              + wanted.version()
              + "'s source "
              + wanted.source()
              + " holds no files (has replication carried the run's artifacts?)",
          FailureTypes.NOT_READY);
    }
  }

  /**
   * Copies the files of a version's source into the storage location of DR's version {@code
   * number}, with Unity Catalog's temporary write credentials for it (what MLflow's client does
   * between create and finalize). The storage location is read from DR, so that a resumed converge
   * copies into the same place; copying again overwrites.
   */
  private static String copyFiles(
      RegisteredModel model, Version wanted, long number, ComponentContext target) {
    requireFiles(model, wanted);
    ModelVersionFiles.Location source = ModelVersionFiles.Location.parse(wanted.source());
    // The version's storage location and the source's files: independent reads, side by side.
    dev.failover.activities.clients.Concurrently.Both<ModelVersionInfo, List<S3Object>> read =
        dev.failover.activities.clients.Concurrently.both(
            () ->
                target
                    .retry()
                    .databricks(
                        "read version "
                            + number
                            + " of "
                            + model.fullName()
                            + " in "
                            + target.host(),
                        () -> target.workspace().modelVersions().get(model.fullName(), number)),
            () -> ModelVersionFiles.listAsWorker(target, source));
    ModelVersionInfo info = read.first();
    ModelVersionFiles.Location destination =
        ModelVersionFiles.Location.parse(info.getStorageLocation());
    if (destination == null) {
      throw conflict(
          model,
          "DR gave its version "
              + number
              + " the storage location "
              + info.getStorageLocation()
              + ", which is not in S3");
    }
    List<S3Object> objects = read.second();
    AwsSessionCredentials credentials =
        target
            .retry()
            .databricks(
                "get write credentials for version "
                    + number
                    + " of "
                    + model.fullName()
                    + " in "
                    + target.host(),
                () ->
                    MlflowModelVersions.temporaryCredentials(
                        target.workspace(),
                        model.fullName(),
                        number,
                        MlflowModelVersions.READ_WRITE));
    Files copied = ModelVersionFiles.copy(target, source, objects, destination, credentials);
    return model.fullName()
        + " version "
        + number
        + ": copied "
        + copied.describe()
        + " from "
        + source.url()
        + " into its storage location "
        + destination.url();
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
