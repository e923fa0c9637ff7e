package dev.failover.simulator.databricks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The workspace file tree of one simulated workspace: folders, notebooks and Git folders (repos),
 * as the Workspace API ({@link WorkspaceObjectsApi}) and the Repos API ({@link ReposApi}) see it.
 * Both APIs share this one tree, as they do in Databricks: a repo is a {@code REPO} object at its
 * path, whose {@code object_id} is the repo's id, and its parent folder must exist.
 *
 * <p>A new workspace holds {@code /Users/<user>}, {@code /Shared} and {@code /Repos/<user>} for the
 * token's user, as a real one does once the user has signed in. Workspace files, libraries and
 * dashboards are not simulated. All methods are synchronized; the HTTP handler and tests share one
 * instance.
 */
public final class WorkspaceTree {
  /** The object types of {@code ObjectInfo.object_type} that the simulator holds. */
  public enum ObjectType {
    DIRECTORY,
    NOTEBOOK,
    REPO
  }

  /**
   * A workspace object.
   *
   * @param language a notebook's language ({@code PYTHON}, {@code SQL}, {@code SCALA}, {@code R});
   *     null otherwise
   * @param source a notebook's source as {@code SOURCE} export returns it; null otherwise
   */
  public record Node(long objectId, String path, ObjectType type, String language, String source) {
    boolean container() {
      return type != ObjectType.NOTEBOOK;
    }
  }

  /**
   * A Git folder, with the fields of {@code RepoInfo}.
   *
   * @param branch the branch checked out, or null at a detached HEAD (a tag was checked out)
   * @param sparseCheckout the cone patterns, or null when sparse checkout is off
   */
  public record Repo(
      long id,
      String path,
      String url,
      String provider,
      String branch,
      String headCommitId,
      List<String> sparseCheckout) {}

  /**
   * The Git providers {@code CreateRepoRequest.provider} lists, spelled as the API answers them;
   * the request's value is matched without regard to case.
   */
  static final List<String> PROVIDERS =
      List.of(
          "gitHub",
          "bitbucketCloud",
          "gitLab",
          "azureDevOpsServices",
          "gitHubEnterprise",
          "bitbucketServer",
          "gitLabEnterpriseEdition",
          "awsCodeCommit");

  /** The branch a new repo checks out: the simulator cannot ask the remote for its default. */
  static final String DEFAULT_BRANCH = "main";

  /** {@code Import.content}: "This has a limit of 10 MB". */
  static final int MAX_NOTEBOOK_BYTES = 10 * 1024 * 1024;

  private final String userName;
  private final NavigableMap<String, Node> nodes = new TreeMap<>();
  private final Map<Long, Repo> repos = new TreeMap<>();
  private long nextObjectId;

  /**
   * @param firstObjectId the first object id; each workspace starts elsewhere, so that the same
   *     notebook or repo has different ids in the two workspaces, as it does in reality
   */
  WorkspaceTree(String userName, long firstObjectId) {
    this.userName = userName;
    this.nextObjectId = firstObjectId;
    for (String folder :
        List.of("/", "/Users", "/Users/" + userName, "/Shared", "/Repos", "/Repos/" + userName)) {
      nodes.put(folder, new Node(nextObjectId++, folder, ObjectType.DIRECTORY, null, null));
    }
  }

  /**
   * A path as the API takes it: absolute, with or without the {@code /Workspace} mount prefix,
   * without a trailing slash or doubled slashes. The simulator answers with paths without the
   * prefix.
   */
  static String normalize(String path) {
    if (path == null || path.isEmpty()) {
      throw ApiError.invalid("Missing required field: path");
    }
    if (!path.startsWith("/")) {
      throw ApiError.invalid("Path (" + path + ") is not an absolute path.");
    }
    String clean = path.replaceAll("/{2,}", "/");
    if (clean.equals("/Workspace") || clean.startsWith("/Workspace/")) {
      clean = clean.substring("/Workspace".length());
    }
    if (clean.length() > 1 && clean.endsWith("/")) {
      clean = clean.substring(0, clean.length() - 1);
    }
    return clean.isEmpty() ? "/" : clean;
  }

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  /** {@code get-status}: the object at the path; 404 {@code RESOURCE_DOES_NOT_EXIST} if none. */
  public synchronized Node status(String path) {
    return existing(normalize(path));
  }

  /** The object with this object id, or null (the Permissions API addresses objects by id). */
  public synchronized Node byId(long objectId) {
    return nodes.values().stream().filter(n -> n.objectId() == objectId).findFirst().orElse(null);
  }

  /** The folders above a path, nearest first, up to the root. */
  public synchronized List<Node> foldersAbove(String path) {
    List<Node> folders = new ArrayList<>();
    for (String p = path; !p.equals("/"); ) {
      p = parent(p);
      Node folder = nodes.get(p);
      if (folder != null) {
        folders.add(folder);
      }
    }
    return folders;
  }

  /**
   * {@code list}: the children of a folder or repo, sorted by path, or the object itself if it is a
   * notebook. The API does not page this list.
   */
  public synchronized List<Node> list(String path) {
    Node node = existing(normalize(path));
    return node.container() ? children(node.path()) : List.of(node);
  }

  /**
   * {@code mkdirs}: creates the folder and any missing parent; an existing folder is success. An
   * object that is not a folder at any prefix is 400 {@code RESOURCE_ALREADY_EXISTS}.
   */
  public synchronized void mkdirs(String path) {
    String target = normalize(path);
    List<String> missing = new ArrayList<>();
    for (String p = target; ; p = parent(p)) {
      Node node = nodes.get(p);
      if (node != null) {
        if (!node.container()) {
          throw new ApiError(
              400, "RESOURCE_ALREADY_EXISTS", p + " already exists and it is not a folder");
        }
        break;
      }
      missing.add(0, p);
    }
    for (String p : missing) {
      nodes.put(p, new Node(nextObjectId++, p, ObjectType.DIRECTORY, null, null));
    }
  }

  /**
   * {@code import} in the {@code SOURCE} format: the source gets the notebook header of its
   * language unless it starts with it (as the service stores it, so that an export imported again
   * is unchanged). The parent must exist (404 {@code RESOURCE_DOES_NOT_EXIST}); an existing object
   * is 400 {@code RESOURCE_ALREADY_EXISTS} unless {@code overwrite} and it is a notebook, which
   * keeps its object id.
   */
  public synchronized Node importNotebook(
      String path, String language, String source, boolean overwrite) {
    String target = normalize(path);
    String lang = language(language);
    if (source.getBytes(StandardCharsets.UTF_8).length > MAX_NOTEBOOK_BYTES) {
      throw new ApiError(
          400, "MAX_NOTEBOOK_SIZE_EXCEEDED", "The notebook exceeds the limit of 10 MB.");
    }
    Node parent = nodes.get(parent(target));
    if (parent == null || !parent.container()) {
      throw new ApiError(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          "The parent folder (" + parent(target) + ") does not exist.");
    }
    Node existing = nodes.get(target);
    if (existing != null && (!overwrite || existing.type() != ObjectType.NOTEBOOK)) {
      throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", "Path (" + target + ") already exists.");
    }
    String header = header(lang);
    String stored = source.startsWith(header) ? source : header + "\n" + source;
    Node node =
        new Node(
            existing == null ? nextObjectId++ : existing.objectId(),
            target,
            ObjectType.NOTEBOOK,
            lang,
            stored);
    nodes.put(target, node);
    return node;
  }

  /**
   * {@code delete}: a folder or repo with children needs {@code recursive} (else 400 {@code
   * DIRECTORY_NOT_EMPTY}); deleting a repo's path deletes the repo.
   */
  public synchronized void delete(String path, boolean recursive) {
    String target = normalize(path);
    if (target.equals("/")) {
      throw ApiError.invalid("The root folder cannot be deleted.");
    }
    Node node = existing(target);
    if (!children(target).isEmpty() && !recursive) {
      throw new ApiError(400, "DIRECTORY_NOT_EMPTY", "Folder (" + target + ") is not empty.");
    }
    removeSubtree(node.path());
  }

  /** A notebook's language and header line, from {@code Language}. */
  static String language(String language) {
    if (language == null || language.isEmpty()) {
      throw ApiError.invalid("To import a single file as SOURCE, you must set the language field.");
    }
    String upper = language.toUpperCase(Locale.ROOT);
    if (!List.of("PYTHON", "SQL", "SCALA", "R").contains(upper)) {
      throw ApiError.invalid("Invalid language: " + language);
    }
    return upper;
  }

  /** The first line of a notebook's source in the {@code SOURCE} format. */
  static String header(String language) {
    return switch (language) {
      case "SQL" -> "-- Databricks notebook source";
      case "SCALA" -> "// Databricks notebook source";
      default -> "# Databricks notebook source";
    };
  }

  /** The {@code file_type} of a {@code SOURCE} export. */
  static String fileType(String language) {
    return switch (language) {
      case "SQL" -> "sql";
      case "SCALA" -> "scala";
      case "R" -> "r";
      default -> "py";
    };
  }

  /**
   * {@code POST /repos}: links a Git folder at {@code path} (by default {@code /Repos/<user>/<name
   * of the remote>}). A path in {@code /Repos} must be {@code /Repos/<folder>/<name>}; the parent
   * must exist (404 {@code RESOURCE_DOES_NOT_EXIST}, the API does not create it); an object at the
   * path is refused in the service's words (terraform-provider-databricks#2122 quotes them, cut
   * short after "before creating the"; the simulator ends the sentence). Its status and code are
   * not recorded anywhere public: the simulator answers 400 {@code INVALID_PARAMETER_VALUE}, the
   * harsher guess, since a client that waits for an {@code *_ALREADY_EXISTS} code then fails. The
   * simulator cannot clone: the repo checks out {@link #DEFAULT_BRANCH} at a fake commit derived
   * from the URL and branch.
   */
  public synchronized Repo createRepo(
      String url, String provider, String path, List<String> sparseCheckout) {
    if (url == null || url.isBlank()) {
      throw ApiError.invalid("Git repository URL missing for project");
    }
    String canonical = provider(provider);
    String target = path == null || path.isEmpty() ? defaultPath(url) : normalize(path);
    if (target.startsWith("/Repos/") && target.split("/").length != 4) {
      throw ApiError.invalid(
          "Invalid repo path " + target + ": a repo in /Repos must be /Repos/{folder}/{repo-name}");
    }
    Node parent = nodes.get(parent(target));
    if (parent == null || parent.type() != ObjectType.DIRECTORY) {
      throw new ApiError(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          "Parent directory " + parent(target) + " does not exist.");
    }
    if (nodes.containsKey(target)) {
      throw ApiError.invalid(
          "Repo "
              + target
              + " already exists. If you would like to create two repos from the same remote Git"
              + " repo, rename the first repo before creating the second one.");
    }
    long id = nextObjectId++;
    Repo repo =
        new Repo(
            id,
            target,
            url,
            canonical,
            DEFAULT_BRANCH,
            commit(url, DEFAULT_BRANCH),
            sparseCheckout == null ? null : List.copyOf(sparseCheckout));
    nodes.put(target, new Node(id, target, ObjectType.REPO, null, null));
    repos.put(id, repo);
    return repo;
  }

  /** {@code GET /repos/{id}}; 404 {@code RESOURCE_DOES_NOT_EXIST} if there is none. */
  public synchronized Repo repo(long id) {
    Repo repo = repos.get(id);
    if (repo == null) {
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Repo " + id + " does not exist.");
    }
    return repo;
  }

  /**
   * The repos whose path starts with {@code pathPrefix}, sorted by path; without a prefix (or with
   * an effectively empty one, {@code /} or {@code /Workspace}) the repos in {@code /Repos}, as
   * {@code ListReposRequest.path_prefix} documents.
   */
  public synchronized List<Repo> repos(String pathPrefix) {
    String prefix = pathPrefix == null || pathPrefix.isEmpty() ? "/Repos/" : normalize(pathPrefix);
    String effective = prefix.equals("/") ? "/Repos/" : prefix;
    return repos.values().stream()
        .filter(r -> r.path().startsWith(effective))
        .sorted((a, b) -> a.path().compareTo(b.path()))
        .toList();
  }

  /**
   * {@code PATCH /repos/{id}}: checks out a branch, or a tag (a detached HEAD: no branch), or,
   * without either, pulls the branch (which changes nothing here, since the remote is not
   * simulated); and replaces the sparse checkout patterns, which fails when the repo was created
   * without sparse checkout.
   */
  public synchronized Repo updateRepo(
      long id, String branch, String tag, List<String> sparseCheckout) {
    Repo repo = repo(id);
    if (branch != null && tag != null) {
      throw ApiError.invalid("Only one of branch or tag can be given.");
    }
    if (sparseCheckout != null && repo.sparseCheckout() == null) {
      throw ApiError.invalid(
          "Sparse checkout is not enabled for repo "
              + repo.path()
              + "; it can only be enabled when the repo is created.");
    }
    String newBranch = tag != null ? null : branch != null ? branch : repo.branch();
    String ref = tag != null ? tag : newBranch;
    Repo updated =
        new Repo(
            id,
            repo.path(),
            repo.url(),
            repo.provider(),
            newBranch,
            branch == null && tag == null ? repo.headCommitId() : commit(repo.url(), ref),
            sparseCheckout == null ? repo.sparseCheckout() : List.copyOf(sparseCheckout));
    repos.put(id, updated);
    return updated;
  }

  /** {@code DELETE /repos/{id}}: removes the Git folder and everything in it. */
  public synchronized void deleteRepo(long id) {
    removeSubtree(repo(id).path());
  }

  private Node existing(String path) {
    Node node = nodes.get(path);
    if (node == null) {
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Path (" + path + ") doesn't exist.");
    }
    return node;
  }

  private List<Node> children(String path) {
    String prefix = path.equals("/") ? "/" : path + "/";
    return nodes.subMap(prefix, false, prefix + Character.MAX_VALUE, false).values().stream()
        .filter(n -> n.path().indexOf('/', prefix.length()) < 0)
        .toList();
  }

  private void removeSubtree(String path) {
    String prefix = path + "/";
    nodes.subMap(prefix, true, prefix + Character.MAX_VALUE, false).clear();
    nodes.remove(path);
    repos.values().removeIf(r -> r.path().equals(path) || r.path().startsWith(prefix));
  }

  private String defaultPath(String url) {
    String name = url.replaceAll("/+$", "");
    name = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\.git$", "");
    return "/Repos/" + userName + "/" + name;
  }

  private static String provider(String provider) {
    if (provider == null || provider.isEmpty()) {
      throw ApiError.invalid("Missing required field: provider");
    }
    return PROVIDERS.stream()
        .filter(p -> p.equalsIgnoreCase(provider))
        .findFirst()
        .orElseThrow(
            () ->
                ApiError.invalid(
                    "Invalid Git provider '"
                        + provider
                        + "'. The available Git providers are "
                        + String.join(", ", PROVIDERS)));
  }

  /** The fake commit a checkout reaches: the SHA-1 of the remote and the branch or tag. */
  static String commit(String url, String ref) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1")
                  .digest((url + "\n" + ref).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
    }
  }
}
