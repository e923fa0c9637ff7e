package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated Repos API (Git folders), driven only through the real Databricks SDK for Java. */
class ReposApiTest {
  private static final String USER = "sre-automation@acme.example";
  private static final String URL = "https://github.com/acme-data/lakehouse-pipelines.git";

  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private CreateRepoResponse create(String path) {
    return workspace
        .repos()
        .create(new CreateRepoRequest().setUrl(URL).setProvider("gitHub").setPath(path));
  }

  @Test
  void createdRepoChecksOutMainAtAFakeCommitAndIsAGitFolderInTheWorkspace() {
    workspace.workspace().mkdirs("/Repos/etl");

    CreateRepoResponse created = create("/Repos/etl/lakehouse-pipelines");

    assertThat(created.getPath()).isEqualTo("/Repos/etl/lakehouse-pipelines");
    assertThat(created.getUrl()).isEqualTo(URL);
    assertThat(created.getProvider()).isEqualTo("gitHub");
    assertThat(created.getBranch()).isEqualTo("main");
    assertThat(created.getHeadCommitId()).matches("[0-9a-f]{40}");
    assertThat(created.getSparseCheckout()).isNull();
    GetRepoResponse got = workspace.repos().get(created.getId());
    assertThat(got.getPath()).isEqualTo(created.getPath());
    assertThat(got.getBranch()).isEqualTo("main");
    assertThat(got.getHeadCommitId()).isEqualTo(created.getHeadCommitId());
    ObjectInfo status = workspace.workspace().getStatus("/Repos/etl/lakehouse-pipelines");
    assertThat(status.getObjectType()).isEqualTo(ObjectType.REPO);
    assertThat(status.getObjectId()).isEqualTo(created.getId());
  }

  @Test
  void sameRemoteAndBranchGiveTheSameCommitInAnyWorkspaceOrPath() {
    workspace.workspace().mkdirs("/Repos/etl");
    workspace.workspace().mkdirs("/Repos/copy");

    String first = create("/Repos/etl/lakehouse-pipelines").getHeadCommitId();
    String second = create("/Repos/copy/lakehouse-pipelines").getHeadCommitId();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void withoutPathTheRepoGoesToTheUsersReposFolderNamedAfterTheRemote() {
    CreateRepoResponse created =
        workspace.repos().create(new CreateRepoRequest().setUrl(URL).setProvider("gitHub"));

    assertThat(created.getPath()).isEqualTo("/Repos/" + USER + "/lakehouse-pipelines");
  }

  @Test
  void providerIsMatchedWithoutRegardToCaseAndAnsweredInItsOwnSpelling() {
    CreateRepoResponse created =
        workspace
            .repos()
            .create(
                new CreateRepoRequest()
                    .setUrl("https://dev.azure.com/acme/platform/_git/dr-runbooks")
                    .setProvider("AZUREDEVOPSSERVICES")
                    .setPath("/Repos/" + USER + "/dr-runbooks"));

    assertThat(created.getProvider()).isEqualTo("azureDevOpsServices");
    assertThatThrownBy(
            () ->
                workspace
                    .repos()
                    .create(
                        new CreateRepoRequest()
                            .setUrl(URL)
                            .setProvider("sourceForge")
                            .setPath("/Repos/" + USER + "/other")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("sourceForge");
  }

  @Test
  void creatingAtAnExistingPathIsRefusedInTheServicesWords() {
    create("/Repos/" + USER + "/lakehouse-pipelines");

    assertThatThrownBy(() -> create("/Repos/" + USER + "/lakehouse-pipelines"))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("/Repos/" + USER + "/lakehouse-pipelines already exists");
    assertThat(workspace.repos().list(new ListReposRequest())).hasSize(1);
  }

  @Test
  void theParentFolderMustExistAndAReposPathHasExactlyTwoParts() {
    assertThatThrownBy(() -> create("/Repos/etl/lakehouse-pipelines"))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessageContaining("/Repos/etl");
    assertThatThrownBy(() -> create("/Repos/" + USER + "/nested/lakehouse-pipelines"))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(
            () -> workspace.repos().create(new CreateRepoRequest().setProvider("gitHub")))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void updateChecksOutABranchOrATagAndReplacesSparsePatterns() {
    CreateRepoResponse created =
        workspace
            .repos()
            .create(
                new CreateRepoRequest()
                    .setUrl(URL)
                    .setProvider("gitHub")
                    .setPath("/Repos/" + USER + "/lakehouse-pipelines")
                    .setSparseCheckout(new SparseCheckout().setPatterns(List.of("jobs"))));

    workspace
        .repos()
        .update(new UpdateRepoRequest().setRepoId(created.getId()).setBranch("release/2024.06"));
    GetRepoResponse onBranch = workspace.repos().get(created.getId());
    assertThat(onBranch.getBranch()).isEqualTo("release/2024.06");
    assertThat(onBranch.getHeadCommitId()).isNotEqualTo(created.getHeadCommitId());

    workspace.repos().update(new UpdateRepoRequest().setRepoId(created.getId()).setTag("v1.4.0"));
    GetRepoResponse onTag = workspace.repos().get(created.getId());
    assertThat(onTag.getBranch()).isNull();

    workspace
        .repos()
        .update(
            new UpdateRepoRequest()
                .setRepoId(created.getId())
                .setSparseCheckout(
                    new SparseCheckoutUpdate().setPatterns(List.of("jobs", "notebooks"))));
    assertThat(workspace.repos().get(created.getId()).getSparseCheckout().getPatterns())
        .containsExactly("jobs", "notebooks");
  }

  @Test
  void updateRejectsBothBranchAndTagAndSparsePatternsOnARepoWithoutSparseCheckout() {
    long id = create("/Repos/" + USER + "/lakehouse-pipelines").getId();

    assertThatThrownBy(
            () ->
                workspace
                    .repos()
                    .update(new UpdateRepoRequest().setRepoId(id).setBranch("dev").setTag("v1")))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(
            () ->
                workspace
                    .repos()
                    .update(
                        new UpdateRepoRequest()
                            .setRepoId(id)
                            .setSparseCheckout(
                                new SparseCheckoutUpdate().setPatterns(List.of("jobs")))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("Sparse checkout is not enabled");
  }

  @Test
  void deleteRemovesTheRepoAndItsFolderAndAMissingRepoIsResourceDoesNotExist() {
    long id = create("/Repos/" + USER + "/lakehouse-pipelines").getId();

    workspace.repos().delete(id);

    assertThatThrownBy(() -> workspace.repos().get(id)).isInstanceOf(ResourceDoesNotExist.class);
    assertThatThrownBy(() -> workspace.repos().delete(id)).isInstanceOf(ResourceDoesNotExist.class);
    assertThatThrownBy(
            () -> workspace.workspace().getStatus("/Repos/" + USER + "/lakehouse-pipelines"))
        .isInstanceOf(ResourceDoesNotExist.class);
  }

  @Test
  void listFollowsPagesOfTwentyReposSortedByPath() {
    workspace.workspace().mkdirs("/Repos/team");
    List<String> paths =
        IntStream.range(0, 45).mapToObj(i -> String.format("/Repos/team/repo-%02d", i)).toList();
    paths.forEach(this::create);
    simulator.requests().clear();

    List<String> listed = new ArrayList<>();
    workspace.repos().list(new ListReposRequest()).forEach(r -> listed.add(r.getPath()));

    assertThat(listed).containsExactlyElementsOf(paths);
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.path().equals("/api/2.0/repos"))
        .hasSize(3);
  }

  @Test
  void listServesReposFolderByDefaultAndOtherFoldersByPathPrefix() {
    workspace.workspace().mkdirs("/Users/" + USER + "/projects");
    create("/Repos/" + USER + "/lakehouse-pipelines");
    create("/Users/" + USER + "/projects/lakehouse-pipelines");

    assertThat(workspace.repos().list(new ListReposRequest()))
        .extracting(RepoInfo::getPath)
        .containsExactly("/Repos/" + USER + "/lakehouse-pipelines");
    assertThat(workspace.repos().list(new ListReposRequest().setPathPrefix("/Workspace")))
        .extracting(RepoInfo::getPath)
        .containsExactly("/Repos/" + USER + "/lakehouse-pipelines");
    assertThat(workspace.repos().list(new ListReposRequest().setPathPrefix("/Users")))
        .extracting(RepoInfo::getPath)
        .containsExactly("/Users/" + USER + "/projects/lakehouse-pipelines");
  }
}
