package dev.failover.activities.components.workspace;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.service.workspace.CreateRepoRequest;
import com.databricks.sdk.service.workspace.CreateRepoResponse;
import com.databricks.sdk.service.workspace.GetRepoResponse;
import com.databricks.sdk.service.workspace.ListReposRequest;
import com.databricks.sdk.service.workspace.ObjectInfo;
import com.databricks.sdk.service.workspace.ObjectType;
import com.databricks.sdk.service.workspace.RepoInfo;
import com.databricks.sdk.service.workspace.SparseCheckout;
import com.databricks.sdk.service.workspace.SparseCheckoutUpdate;
import com.databricks.sdk.service.workspace.UpdateRepoRequest;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Git folders (the Repos API): each is created in the target at the same path, linked to the same
 * remote, and checked out to the same branch. The remote holds the code, so DR clones it afresh;
 * the captured {@code head_commit_id} is not kept, since the API cannot check out a commit and DR
 * should run what the branch holds now.
 *
 * <p>Captured: the Git folders in {@code /Repos} (what {@code GET /repos} serves by default) and
 * those in {@code /Users} and {@code /Shared}, where Databricks now creates Git folders too. A Git
 * folder at a detached HEAD (a tag was checked out) is skipped with the action it needs, because
 * the API reports no tag and DR must not run other code silently.
 *
 * <p>The Repos API has no tags or properties, so what a drill creates is known by the ledger only.
 */
public class ReposComponent implements Component<ReposComponent.Repo> {
  /**
   * A Git folder.
   *
   * @param path the folder's workspace path, the key
   * @param url the remote Git repository
   * @param provider the Git provider ({@code gitHub}, {@code gitLab}, ...; the API ignores case)
   * @param branch the branch checked out, or null at a detached HEAD
   * @param sparseCheckout the sparse checkout cone patterns, or null when sparse checkout is off
   */
  public record Repo(
      String path, String url, String provider, String branch, List<String> sparseCheckout) {}

  /** The folders whose Git folders are captured, as {@code path_prefix} values. */
  static final List<String> PREFIXES = List.of("/Repos/", "/Users/", "/Shared/");

  @Override
  public String name() {
    return "repos";
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  @Override
  public boolean trustedWhenUnchanged() {
    return true;
  }

  @Override
  public Class<Repo> type() {
    return Repo.class;
  }

  @Override
  public String key(Repo item) {
    return item.path();
  }

  @Override
  public List<Repo> read(ComponentContext workspace) {
    WorkspaceClient client = workspace.workspace();
    Map<String, Repo> byPath = new TreeMap<>();
    for (String prefix : PREFIXES) {
      List<RepoInfo> repos =
          workspace
              .retry()
              .databricks(
                  "list Git folders under " + prefix + " in " + workspace.host(),
                  () -> {
                    List<RepoInfo> all = new ArrayList<>();
                    client
                        .repos()
                        .list(new ListReposRequest().setPathPrefix(prefix))
                        .forEach(all::add);
                    return all;
                  });
      for (RepoInfo info : repos) {
        byPath.put(
            info.getPath(),
            new Repo(
                info.getPath(),
                info.getUrl(),
                info.getProvider(),
                info.getBranch(),
                patterns(info.getSparseCheckout())));
      }
    }
    return List.copyOf(byPath.values());
  }

  @Override
  public String skipReason(Repo captured) {
    if (captured.branch() == null || captured.branch().isEmpty()) {
      return "checked out at a tag or commit (detached HEAD), which the Repos API does not report:"
          + " create it in the target and check out the same tag by hand";
    }
    return null;
  }

  /** A Git URL is not storage: the item is converged as captured, in a drill too. */
  @Override
  public Repo expected(Repo captured, ComponentContext target) {
    return captured;
  }

  @Override
  public List<String> differences(Repo want, Repo have) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(want.url(), have.url())) {
      differences.add("url");
    }
    if (want.provider() == null
        ? have.provider() != null
        : !want.provider().equalsIgnoreCase(have.provider())) {
      differences.add("provider");
    }
    if (!Objects.equals(want.branch(), have.branch())) {
      differences.add("branch");
    }
    if (!Objects.equals(want.sparseCheckout(), have.sparseCheckout())) {
      differences.add("sparse_checkout");
    }
    return differences;
  }

  /**
   * Git folders are created a few at a time: each is its own create at its own path (a shared
   * parent folder is made by whichever comes first; mkdirs of a folder that exists succeeds).
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  /**
   * Creates the parent folder (the API does not), links the Git folder and checks out the branch
   * when it is not the one the clone took. When the folder already exists (an earlier attempt
   * created it and perhaps failed before the checkout), the checkout is still made.
   */
  @Override
  public void create(Repo want, ComponentContext target) {
    WorkspaceClient client = target.workspace();
    String parent = want.path().substring(0, want.path().lastIndexOf('/'));
    target
        .retry()
        .databricks(
            "create folder " + parent + " in " + target.host(),
            () -> {
              client.workspace().mkdirs(parent);
              return null;
            });
    CreateRepoRequest request =
        new CreateRepoRequest()
            .setPath(want.path())
            .setUrl(want.url())
            .setProvider(want.provider())
            .setSparseCheckout(
                want.sparseCheckout() == null
                    ? null
                    : new SparseCheckout().setPatterns(want.sparseCheckout()));
    AtomicReference<CreateRepoResponse> created = new AtomicReference<>();
    boolean isNew =
        target
            .retry()
            .databricksCreate(
                "create Git folder " + want.path() + " in " + target.host(),
                () -> created.set(client.repos().create(request)),
                ReposComponent::pathTaken);
    long id;
    String branch;
    if (isNew) {
      id = created.get().getId();
      branch = created.get().getBranch();
    } else {
      GetRepoResponse existing = existing(want.path(), target);
      id = existing.getId();
      branch = existing.getBranch();
    }
    if (!Objects.equals(branch, want.branch())) {
      patch(want.path(), new UpdateRepoRequest().setRepoId(id).setBranch(want.branch()), target);
    }
  }

  /**
   * Checks out the branch and replaces the sparse patterns in one request. A different remote or
   * provider, or sparse checkout switched on or off, cannot be changed in place: the Git folder is
   * deleted and cloned again (as Terraform's {@code databricks_repo} replaces it), which is safe
   * because the code lives in the remote.
   */
  @Override
  public void update(Repo want, Repo have, List<String> differences, ComponentContext target) {
    boolean reclone =
        differences.contains("url")
            || differences.contains("provider")
            || (want.sparseCheckout() == null) != (have.sparseCheckout() == null);
    if (reclone) {
      delete(have, target);
      create(want, target);
      return;
    }
    UpdateRepoRequest request =
        new UpdateRepoRequest().setRepoId(existing(want.path(), target).getId());
    if (differences.contains("branch")) {
      request.setBranch(want.branch());
    }
    if (differences.contains("sparse_checkout")) {
      request.setSparseCheckout(new SparseCheckoutUpdate().setPatterns(want.sparseCheckout()));
    }
    patch(want.path(), request, target);
  }

  @Override
  public void delete(Repo have, ComponentContext target) {
    WorkspaceClient client = target.workspace();
    target
        .retry()
        .databricks(
            "delete Git folder " + have.path() + " from " + target.host(),
            () -> {
              try {
                ObjectInfo status = client.workspace().getStatus(have.path());
                if (status.getObjectType() == ObjectType.REPO) {
                  client.repos().delete(status.getObjectId());
                }
              } catch (ResourceDoesNotExist e) {
                // Already gone: what the clean-up wants.
              }
              return null;
            });
  }

  private static void patch(String path, UpdateRepoRequest request, ComponentContext target) {
    target
        .retry()
        .databricks(
            "check out Git folder " + path + " in " + target.host(),
            () -> {
              target.workspace().repos().update(request);
              return null;
            });
  }

  /**
   * The Git folder at a path: its workspace object's id is the repo id. Something else at the path
   * (a folder, a notebook) needs a person to decide, so it fails the step without retries.
   */
  /**
   * The service's words for a taken path are recorded ("Repo /Repos/U/NAME already exists. If you
   * would like to create two repos from the same remote Git repo, rename the first repo before
   * creating the...", terraform-provider-databricks#2122), its status and error code are not: any
   * 400 in those words, or an {@code *_ALREADY_EXISTS} code, counts. {@link #existing} then checks
   * that the path holds a Git folder.
   */
  static boolean pathTaken(DatabricksError error) {
    String code = error.getErrorCode() == null ? "" : error.getErrorCode();
    String message = error.getMessage() == null ? "" : error.getMessage();
    return code.endsWith("ALREADY_EXISTS")
        || (error.getStatusCode() == 400 && message.contains(" already exists"));
  }

  private static GetRepoResponse existing(String path, ComponentContext target) {
    WorkspaceClient client = target.workspace();
    ObjectInfo status =
        target
            .retry()
            .databricks(
                "get status of " + path + " in " + target.host(),
                () -> client.workspace().getStatus(path));
    if (status.getObjectType() != ObjectType.REPO) {
      throw ApplicationFailure.newNonRetryableFailure(
          path
              + " in "
              + target.host()
              + " is a "
              + status.getObjectType()
              + ", not a Git folder: move it away so that the Git folder can be created there",
          FailureTypes.INVALID_REQUEST);
    }
    return target
        .retry()
        .databricks(
            "get Git folder " + path + " in " + target.host(),
            () -> client.repos().get(status.getObjectId()));
  }

  private static List<String> patterns(SparseCheckout sparse) {
    return sparse == null || sparse.getPatterns() == null
        ? null
        : List.copyOf(sparse.getPatterns());
  }
}
