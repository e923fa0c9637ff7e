package dev.failover.activities.components.permissions;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.compute.ClusterDetails;
import com.databricks.sdk.service.compute.ClusterSource;
import com.databricks.sdk.service.compute.ListClusterPoliciesRequest;
import com.databricks.sdk.service.compute.ListClustersRequest;
import com.databricks.sdk.service.compute.Policy;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.sql.EndpointInfo;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import com.databricks.sdk.service.workspace.GetStatusRequest;
import com.databricks.sdk.service.workspace.ListReposRequest;
import com.databricks.sdk.service.workspace.ObjectInfo;
import com.databricks.sdk.service.workspace.ObjectType;
import com.databricks.sdk.service.workspace.RepoInfo;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.activities.components.workspace.NotebooksComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The objects whose permissions are converged, found the way their own components find them: jobs
 * by their identity key, clusters (all-purpose only), cluster policies and SQL warehouses by name,
 * notebooks outside Git folders and hidden folders, the folders that hold them, and Git folders
 * checked out at a branch, by path. Objects other components do not converge (job clusters, a Git
 * folder at a detached HEAD, a folder with no notebook in it) are left out, since DR never has
 * them.
 */
final class AclObjects {
  static final String JOBS = "jobs";
  static final String CLUSTERS = "clusters";
  static final String POLICIES = "cluster-policies";
  static final String WAREHOUSES = "warehouses";
  static final String NOTEBOOKS = "notebooks";
  static final String DIRECTORIES = "directories";
  static final String REPOS = "repos";

  /** The component that converges each type's objects, for "converge it first". */
  static final Map<String, String> COMPONENTS =
      Map.of(
          JOBS, "jobs",
          CLUSTERS, "clusters",
          POLICIES, "cluster-policies",
          WAREHOUSES, "warehouses",
          NOTEBOOKS, "notebooks",
          DIRECTORIES, "notebooks",
          REPOS, "repos");

  /** Folders the service keeps itself, whose permissions are not the workspace's to copy. */
  private static final Set<String> SYSTEM_FOLDERS = Set.of("/", "/Users", "/Repos");

  private static final Set<ClusterSource> ALL_PURPOSE = Set.of(ClusterSource.UI, ClusterSource.API);

  private static final List<String> REPO_PREFIXES = List.of("/Repos/", "/Users/", "/Shared/");

  /** An object: its type, its key across workspaces, its name and its id here. */
  record Found(String type, String key, String name, String id) {}

  private AclObjects() {}

  /** Every object of every type in the workspace; read-only. */
  static List<Found> all(ComponentContext workspace) {
    List<Found> all = new ArrayList<>();
    all.addAll(listed(workspace, JOBS).values());
    all.addAll(listed(workspace, CLUSTERS).values());
    all.addAll(listed(workspace, POLICIES).values());
    all.addAll(listed(workspace, WAREHOUSES).values());
    all.addAll(tree(workspace));
    all.addAll(repos(workspace));
    return all;
  }

  /** The objects of these types and keys that the workspace has, by type and key. */
  static Map<String, Found> find(ComponentContext workspace, Collection<Found> wanted) {
    // Each listed type is read once, and each object at a path looked up on its own: all of them
    // independent reads, a few at a time (within each family's pace), in the wanted order.
    List<String> types =
        wanted.stream().map(Found::type).filter(type -> !atPath(type)).distinct().toList();
    List<Map<String, Found>> lists =
        Concurrently.map(types, Concurrently.IN_FLIGHT, type -> listed(workspace, type), n -> {});
    Map<String, Map<String, Found>> listedByType = new TreeMap<>();
    for (int i = 0; i < types.size(); i++) {
      listedByType.put(types.get(i), lists.get(i));
    }
    Map<String, ObjectInfo> inFolders =
        inParentFolders(workspace, wanted.stream().filter(w -> atPath(w.type())).toList());
    List<Found> haves =
        Concurrently.map(
            List.copyOf(wanted),
            Concurrently.IN_FLIGHT,
            want ->
                atPath(want.type())
                    ? atPath(workspace, want, inFolders.get(plain(want.key())))
                    : listedByType.get(want.type()).get(want.key()),
            n -> {});
    Map<String, Found> found = new LinkedHashMap<>();
    int i = 0;
    for (Found want : wanted) {
      Found have = haves.get(i++);
      if (have != null) {
        found.put(want.type() + ":" + want.key(), have);
      }
    }
    return found;
  }

  /** Whether objects of a type are found by their path rather than in a listing. */
  private static boolean atPath(String type) {
    return switch (type) {
      case NOTEBOOKS, DIRECTORIES, REPOS -> true;
      default -> false;
    };
  }

  /** The objects of a type the list APIs answer, by key. */
  private static Map<String, Found> listed(ComponentContext workspace, String type) {
    Map<String, Found> byKey = new LinkedHashMap<>();
    // The jobs listing retries its own calls.
    List<Found> all =
        type.equals(JOBS)
            ? list(workspace, type)
            : workspace
                .retry()
                .databricks(
                    "list " + type + " in " + workspace.host(), () -> list(workspace, type));
    for (Found found : all) {
      byKey.putIfAbsent(found.key(), found);
    }
    return byKey;
  }

  private static List<Found> list(ComponentContext workspace, String type) {
    List<Found> all = new ArrayList<>();
    var client = workspace.workspace();
    switch (type) {
      case JOBS -> {
        for (BaseJob job : JobsComponent.list(workspace)) {
          String key =
              JobsComponent.keyOf(workspace, job.getJobId(), JobsComponent.tags(job.getSettings()));
          String name = job.getSettings() == null ? key : job.getSettings().getName();
          all.add(new Found(JOBS, key, name, Long.toString(job.getJobId())));
        }
      }
      case CLUSTERS -> {
        for (ClusterDetails cluster : client.clusters().list(new ListClustersRequest())) {
          if (cluster.getClusterSource() == null
              || ALL_PURPOSE.contains(cluster.getClusterSource())) {
            all.add(
                new Found(
                    CLUSTERS,
                    cluster.getClusterName(),
                    cluster.getClusterName(),
                    cluster.getClusterId()));
          }
        }
      }
      case POLICIES -> {
        for (Policy policy : client.clusterPolicies().list(new ListClusterPoliciesRequest())) {
          all.add(new Found(POLICIES, policy.getName(), policy.getName(), policy.getPolicyId()));
        }
      }
      case WAREHOUSES -> {
        for (EndpointInfo warehouse : client.warehouses().list(new ListWarehousesRequest())) {
          all.add(
              new Found(WAREHOUSES, warehouse.getName(), warehouse.getName(), warehouse.getId()));
        }
      }
      default -> throw new IllegalArgumentException("not a listed type: " + type);
    }
    return all;
  }

  /**
   * Notebooks outside Git folders and hidden folders (as the notebooks component captures them),
   * and the folders above them that converge creates, except the service's own.
   */
  private static List<Found> tree(ComponentContext workspace) {
    Map<String, String> folderIds = new TreeMap<>();
    List<Found> notebooks = new ArrayList<>();
    List<String> folders = new ArrayList<>(List.of("/"));
    while (!folders.isEmpty()) {
      String folder = folders.remove(folders.size() - 1);
      for (ObjectInfo object : NotebooksComponent.listFolder(workspace, folder)) {
        String path = object.getPath();
        if (object.getObjectType() == ObjectType.DIRECTORY && !hidden(path)) {
          folderIds.put(path, Long.toString(object.getObjectId()));
          folders.add(path);
        } else if (object.getObjectType() == ObjectType.NOTEBOOK) {
          notebooks.add(new Found(NOTEBOOKS, path, path, Long.toString(object.getObjectId())));
        }
      }
    }
    Set<String> holding = new TreeSet<>();
    notebooks.forEach(notebook -> holding.addAll(parents(notebook.key())));
    List<Found> found = new ArrayList<>();
    for (String folder : holding) {
      if (!SYSTEM_FOLDERS.contains(folder) && folderIds.containsKey(folder)) {
        found.add(new Found(DIRECTORIES, folder, folder, folderIds.get(folder)));
      }
    }
    found.addAll(notebooks);
    return found;
  }

  private static boolean hidden(String path) {
    return path.equals("/Repos")
        || path.startsWith("/Repos/")
        || path.substring(path.lastIndexOf('/') + 1).startsWith(".");
  }

  private static List<String> parents(String path) {
    List<String> parents = new ArrayList<>();
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      parents.add(path.substring(0, slash));
    }
    return parents;
  }

  /** Git folders checked out at a branch (the repos component skips the others). */
  private static List<Found> repos(ComponentContext workspace) {
    Map<String, Found> byPath = new TreeMap<>();
    for (String prefix : REPO_PREFIXES) {
      List<RepoInfo> repos =
          workspace
              .retry()
              .databricks(
                  "list Git folders under " + prefix + " in " + workspace.host(),
                  () -> {
                    List<RepoInfo> all = new ArrayList<>();
                    workspace
                        .workspace()
                        .repos()
                        .list(new ListReposRequest().setPathPrefix(prefix))
                        .forEach(all::add);
                    return all;
                  });
      for (RepoInfo repo : repos) {
        if (repo.getBranch() != null && !repo.getBranch().isEmpty()) {
          byPath.put(
              repo.getPath(),
              new Found(REPOS, repo.getPath(), repo.getPath(), Long.toString(repo.getId())));
        }
      }
    }
    return List.copyOf(byPath.values());
  }

  /**
   * The objects in the folders that hold these paths, by path: one list per folder instead of one
   * status per object (the workspace-objects family is paced at 30 requests a second). A folder
   * that is missing holds nothing.
   */
  private static Map<String, ObjectInfo> inParentFolders(
      ComponentContext workspace, List<Found> wanted) {
    Set<String> folders = new TreeSet<>();
    wanted.forEach(want -> folders.add(parent(plain(want.key()))));
    Map<String, ObjectInfo> byPath = new HashMap<>();
    for (List<ObjectInfo> objects :
        Concurrently.map(
            List.copyOf(folders),
            Concurrently.IN_FLIGHT,
            folder -> NotebooksComponent.listFolder(workspace, folder),
            n -> {})) {
      objects.forEach(object -> byPath.put(plain(object.getPath()), object));
    }
    return byPath;
  }

  /**
   * A path without the {@code /Workspace} prefix that the Workspace API also accepts, so that a
   * listing's paths and captured keys compare alike whichever form each came in.
   */
  private static String plain(String path) {
    return path.startsWith("/Workspace/") ? path.substring("/Workspace".length()) : path;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /**
   * A notebook, folder or Git folder by its path, or null when the path holds no such object: the
   * one its folder's listing showed, else its own status (a path the listing did not show, in
   * whatever form, is looked up rather than taken as missing).
   */
  private static Found atPath(ComponentContext workspace, Found want, ObjectInfo listed) {
    ObjectInfo info = listed != null ? listed : status(workspace, want);
    ObjectType expected =
        switch (want.type()) {
          case NOTEBOOKS -> ObjectType.NOTEBOOK;
          case DIRECTORIES -> ObjectType.DIRECTORY;
          default -> ObjectType.REPO;
        };
    if (info == null || info.getObjectType() != expected) {
      return null;
    }
    return new Found(want.type(), want.key(), want.name(), Long.toString(info.getObjectId()));
  }

  /** The status of the object at the wanted path, or null when there is none. */
  private static ObjectInfo status(ComponentContext workspace, Found want) {
    return workspace
        .retry()
        .databricks(
            "get the status of " + want.key() + " in " + workspace.host(),
            () -> {
              try {
                return workspace
                    .workspace()
                    .workspace()
                    .getStatus(new GetStatusRequest().setPath(want.key()));
              } catch (DatabricksError e) {
                if (e.getStatusCode() == 404) {
                  return null;
                }
                throw e;
              }
            });
  }
}
