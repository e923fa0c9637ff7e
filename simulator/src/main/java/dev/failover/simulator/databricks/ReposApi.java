package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;
import static dev.failover.simulator.databricks.UcJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The Repos API (Git folders) of a simulated workspace, with the paths, methods and fields of the
 * SDK's {@code ReposImpl}: {@code ListReposRequest}/{@code ListReposResponse} (pages of {@link
 * #PAGE} repos, the token in the {@code next_page_token} query parameter), {@code
 * CreateRepoRequest}/{@code CreateRepoResponse}, {@code GetRepoResponse}, {@code UpdateRepoRequest}
 * and {@code RepoInfo}. Repos live in the workspace tree ({@link WorkspaceTree}), so that the
 * Workspace API lists them as {@code REPO} objects.
 *
 * <p>Simplified: nothing is cloned or pulled. A new repo checks out {@code main} (the remote's
 * default branch is unknown here) and every checkout gets a fake {@code head_commit_id}, the SHA-1
 * of the URL and the branch or tag. {@code git_credential_id} and {@code
 * dangerously_force_discard_all} are accepted and ignored; repo permissions are not simulated.
 */
final class ReposApi {
  static final String PREFIX = "/api/2.0/repos";

  /** Repos per list page: "Results are paginated with each page containing twenty repos." */
  static final int PAGE = 20;

  private final WorkspaceTree tree;

  ReposApi(WorkspaceTree tree) {
    this.tree = tree;
  }

  /** Answers one request under {@link #PREFIX}; null for a path or method it does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
    String rest = path.substring(PREFIX.length());
    if (rest.isEmpty() || rest.equals("/")) {
      return switch (method) {
        case "GET" -> list(query);
        case "POST" -> create(body.read());
        default -> null;
      };
    }
    String id = rest.substring(1);
    if (id.contains("/")) {
      return null;
    }
    return switch (method) {
      case "GET" -> repo(tree.repo(repoId(id)));
      case "PATCH" -> update(repoId(id), body.read());
      case "DELETE" -> {
        tree.deleteRepo(repoId(id));
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  /**
   * {@code GET /repos}: repos sorted by path, filtered by {@code path_prefix}; the page token is a
   * cursor on the path, so a page stays correct when repos are added or removed between requests.
   */
  private JsonNode list(Map<String, String> query) {
    Pages.Page<WorkspaceTree.Repo> page =
        Pages.page(
            tree.repos(query.get("path_prefix")),
            WorkspaceTree.Repo::path,
            query.get("next_page_token"),
            PAGE);
    ObjectNode response = JSON.createObjectNode();
    ArrayNode array = response.putArray("repos");
    page.items().forEach(r -> array.add(repo(r)));
    if (page.nextPageToken() != null) {
      response.put("next_page_token", page.nextPageToken());
    }
    return response;
  }

  private JsonNode create(JsonNode request) {
    JsonNode sparse = request.path("sparse_checkout");
    return repo(
        tree.createRepo(
            text(request, "url"),
            text(request, "provider"),
            text(request, "path"),
            sparse.isObject() ? UcJson.strings(sparse.get("patterns")) : null));
  }

  /** {@code PATCH /repos/{id}}; the service answers the updated repo (the SDK ignores it). */
  private JsonNode update(long id, JsonNode request) {
    JsonNode sparse = request.path("sparse_checkout");
    List<String> patterns = sparse.isObject() ? UcJson.strings(sparse.get("patterns")) : null;
    return repo(tree.updateRepo(id, text(request, "branch"), text(request, "tag"), patterns));
  }

  /** {@code RepoInfo}; no {@code branch} at a detached HEAD, no {@code sparse_checkout} if off. */
  private static ObjectNode repo(WorkspaceTree.Repo r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", r.id());
    node.put("path", r.path());
    node.put("url", r.url());
    node.put("provider", r.provider());
    if (r.branch() != null) {
      node.put("branch", r.branch());
    }
    node.put("head_commit_id", r.headCommitId());
    if (r.sparseCheckout() != null) {
      ArrayNode patterns = node.putObject("sparse_checkout").putArray("patterns");
      r.sparseCheckout().forEach(patterns::add);
    }
    return node;
  }

  private static long repoId(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("Invalid repo id: '" + value + "'");
    }
  }
}
