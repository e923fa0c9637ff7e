package dev.failover.activities.components.workspace;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.service.workspace.Delete;
import com.databricks.sdk.service.workspace.ExportFormat;
import com.databricks.sdk.service.workspace.ExportRequest;
import com.databricks.sdk.service.workspace.Import;
import com.databricks.sdk.service.workspace.ImportFormat;
import com.databricks.sdk.service.workspace.Language;
import com.databricks.sdk.service.workspace.ObjectInfo;
import com.databricks.sdk.service.workspace.ObjectType;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Notebooks outside Git folders (the Workspace API): each is imported into the target at the same
 * path, in the same language, with the source exported from the active side.
 *
 * <p>Captured: every notebook found by walking the workspace from {@code /}, in {@code /Users} and
 * {@code /Shared} alike, except under {@code /Repos} and inside any Git folder (the {@code repos}
 * component clones those from their remotes) and in hidden folders (a name starting with a dot,
 * such as the {@code .bundle} folders that Databricks Asset Bundles deploy and own). Workspace
 * files, libraries and dashboards are not captured.
 *
 * <p>Storage paths in a notebook's source are not rewritten: the source is code, which may build
 * paths in ways no rewrite can follow; a notebook should take its paths from a parameter or a
 * table's name. Folders the converge creates for a notebook stay after a drill's clean-up, which
 * removes only the notebooks it imported (the Workspace API has no marks, so the ledger decides).
 */
public class NotebooksComponent implements Component<NotebooksComponent.Notebook> {
  /**
   * A notebook.
   *
   * @param path the notebook's workspace path, the key
   * @param language {@code PYTHON}, {@code SQL}, {@code SCALA} or {@code R}
   * @param format the export format of {@code content}, always {@code SOURCE}
   * @param content the source, base64 as the export returns it
   * @param sha256 the SHA-256 of the decoded source, in hex; what differences compare
   */
  public record Notebook(
      String path, String language, String format, String content, String sha256) {}

  static final String FORMAT = "SOURCE";

  /** The folder the repos component owns. */
  static final String REPOS = "/Repos";

  @Override
  public String name() {
    return "notebooks";
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  /** Reads a request per object ({@link Component#readsEachObject}). */
  @Override
  public boolean readsEachObject() {
    return true;
  }

  @Override
  public boolean trustedWhenUnchanged() {
    return true;
  }

  @Override
  public Class<Notebook> type() {
    return Notebook.class;
  }

  @Override
  public String key(Notebook item) {
    return item.path();
  }

  @Override
  public List<Notebook> read(ComponentContext workspace) {
    List<Notebook> notebooks = new ArrayList<>();
    // One level of folders at a time: its folders listed, then its notebooks exported, a few at a
    // time each; the sort below makes the order independent of which answer came first.
    List<String> level = List.of("/");
    while (!level.isEmpty()) {
      List<String> next = new ArrayList<>();
      List<ObjectInfo> found = new ArrayList<>();
      for (List<ObjectInfo> objects :
          Concurrently.map(
              level, Concurrently.IN_FLIGHT, folder -> listFolder(workspace, folder), n -> {})) {
        for (ObjectInfo object : objects) {
          if (object.getObjectType() == ObjectType.DIRECTORY && !skipped(object.getPath())) {
            next.add(object.getPath());
          } else if (object.getObjectType() == ObjectType.NOTEBOOK) {
            found.add(object);
          }
        }
      }
      Concurrently.map(found, Concurrently.IN_FLIGHT, object -> export(object, workspace), n -> {})
          .stream()
          .filter(Objects::nonNull)
          .forEach(notebooks::add);
      level = next;
    }
    notebooks.sort((a, b) -> a.path().compareTo(b.path()));
    return notebooks;
  }

  /**
   * Only the wanted notebooks' folders are listed, and only the wanted notebooks exported, instead
   * of walking the whole target.
   */
  @Override
  public Map<String, Notebook> current(ComponentContext target, List<Notebook> wanted) {
    return withKeys(target, wanted.stream().map(Notebook::path).collect(Collectors.toSet()));
  }

  /**
   * The notebooks at these paths: only their folders are listed, only they are exported, a few at a
   * time each (one after another, a batch would wait on round trips instead of the rate limit).
   */
  @Override
  public Map<String, Notebook> withKeys(ComponentContext target, Set<String> keys) {
    Set<String> folders = new TreeSet<>();
    keys.forEach(path -> folders.add(parent(path)));
    List<ObjectInfo> found = new ArrayList<>();
    for (List<ObjectInfo> objects :
        Concurrently.map(
            List.copyOf(folders),
            Concurrently.IN_FLIGHT,
            folder -> listFolder(target, folder),
            n -> {})) {
      for (ObjectInfo object : objects) {
        if (object.getObjectType() == ObjectType.NOTEBOOK && keys.contains(object.getPath())) {
          found.add(object);
        }
      }
    }
    Map<String, Notebook> current = new LinkedHashMap<>();
    Concurrently.map(found, Concurrently.IN_FLIGHT, object -> export(object, target), n -> {})
        .stream()
        .filter(Objects::nonNull)
        .forEach(notebook -> current.put(notebook.path(), notebook));
    return current;
  }

  /**
   * Makes the folders the missing notebooks go in, each once: import does not make a notebook's
   * folder, and a mkdirs per notebook would double the requests of a folder of many.
   */
  @Override
  public void beforeCreating(List<Notebook> missing, ComponentContext target) {
    Set<String> folders = new TreeSet<>();
    missing.forEach(notebook -> folders.add(parent(notebook.path())));
    Concurrently.map(
        List.copyOf(folders), Concurrently.IN_FLIGHT, folder -> mkdirs(folder, target), n -> {});
  }

  /** Source is code: it is imported as exported, storage paths included, in a drill too. */
  @Override
  public Notebook expected(Notebook captured, ComponentContext target) {
    return captured;
  }

  @Override
  public List<String> differences(Notebook want, Notebook have) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(want.sha256(), have.sha256())) {
      differences.add("content");
    }
    if (!Objects.equals(want.language(), have.language())) {
      differences.add("language");
    }
    return differences;
  }

  /**
   * Notebooks are imported a few at a time: each is its own import (a shared parent folder is made
   * by whichever comes first; mkdirs of a folder that exists succeeds).
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  /**
   * Imports the notebook into the folder {@link #beforeCreating} made; a folder removed since is
   * made again. When the notebook already exists (another attempt imported it), that is success;
   * something else at the path fails the step.
   */
  @Override
  public void create(Notebook want, ComponentContext target) {
    WorkspaceClient client = target.workspace();
    boolean imported =
        target
            .retry()
            .databricksCreate(
                "import notebook " + want.path() + " into " + target.host(),
                () -> {
                  try {
                    client.workspace().importContent(request(want, false));
                  } catch (ResourceDoesNotExist e) {
                    // The folder is missing: the import documents RESOURCE_DOES_NOT_EXIST for it.
                    client.workspace().mkdirs(parent(want.path()));
                    client.workspace().importContent(request(want, false));
                  }
                });
    if (!imported) {
      ObjectInfo status =
          target
              .retry()
              .databricks(
                  "get status of " + want.path() + " in " + target.host(),
                  () -> client.workspace().getStatus(want.path()));
      if (status.getObjectType() != ObjectType.NOTEBOOK) {
        throw ApplicationFailure.newNonRetryableFailure(
            want.path()
                + " in "
                + target.host()
                + " is a "
                + status.getObjectType()
                + ", not a notebook: move it away so that the notebook can be imported there",
            FailureTypes.INVALID_REQUEST);
      }
    }
  }

  /** Imports the notebook again over the target's, which keeps its object id. */
  @Override
  public void update(
      Notebook want, Notebook have, List<String> differences, ComponentContext target) {
    target
        .retry()
        .databricks(
            "import notebook " + want.path() + " over the one in " + target.host(),
            () -> {
              target.workspace().workspace().importContent(request(want, true));
              return null;
            });
  }

  /** Deletes the notebook only (not recursive: a notebook has no children). */
  @Override
  public void delete(Notebook have, ComponentContext target) {
    target
        .retry()
        .databricks(
            "delete notebook " + have.path() + " from " + target.host(),
            () -> {
              try {
                target.workspace().workspace().delete(new Delete().setPath(have.path()));
              } catch (ResourceDoesNotExist e) {
                // Already gone: what the clean-up wants.
              }
              return null;
            });
  }

  /** Whether a folder's notebooks are left out: {@code /Repos} and hidden folders. */
  static boolean skipped(String folder) {
    if (folder.equals(REPOS) || folder.startsWith(REPOS + "/")) {
      return true;
    }
    return folder.substring(folder.lastIndexOf('/') + 1).startsWith(".");
  }

  private static Import request(Notebook want, boolean overwrite) {
    return new Import()
        .setPath(want.path())
        .setFormat(ImportFormat.valueOf(want.format()))
        .setLanguage(Language.valueOf(want.language()))
        .setContent(want.content())
        .setOverwrite(overwrite);
  }

  /** Makes the folder and its parents; one that exists is success. */
  private static Void mkdirs(String folder, ComponentContext target) {
    return target
        .retry()
        .databricks(
            "create folder " + folder + " in " + target.host(),
            () -> {
              target.workspace().workspace().mkdirs(folder);
              return null;
            });
  }

  /** The objects in a folder; none when the folder does not exist. */
  public static List<ObjectInfo> listFolder(ComponentContext workspace, String folder) {
    WorkspaceClient client = workspace.workspace();
    return workspace
        .retry()
        .databricks(
            "list " + folder + " in " + workspace.host(),
            () -> {
              List<ObjectInfo> objects = new ArrayList<>();
              try {
                client.workspace().list(folder).forEach(objects::add);
              } catch (ResourceDoesNotExist e) {
                return List.of();
              }
              return objects;
            });
  }

  /** The notebook's source, or null when it was deleted since the folder was listed. */
  private static Notebook export(ObjectInfo object, ComponentContext workspace) {
    WorkspaceClient client = workspace.workspace();
    String content =
        workspace
            .retry()
            .databricks(
                "export notebook " + object.getPath() + " from " + workspace.host(),
                () -> {
                  try {
                    return client
                        .workspace()
                        .export(
                            new ExportRequest()
                                .setPath(object.getPath())
                                .setFormat(ExportFormat.valueOf(FORMAT)))
                        .getContent();
                  } catch (ResourceDoesNotExist e) {
                    return null;
                  }
                });
    if (content == null) {
      return null;
    }
    return new Notebook(
        object.getPath(),
        object.getLanguage() == null ? null : object.getLanguage().name(),
        FORMAT,
        content,
        SnapshotStore.sha256(Base64.getDecoder().decode(content)));
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }
}
