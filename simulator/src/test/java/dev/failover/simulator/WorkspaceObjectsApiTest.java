package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.ResourceAlreadyExists;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.service.workspace.Delete;
import com.databricks.sdk.service.workspace.ExportFormat;
import com.databricks.sdk.service.workspace.ExportRequest;
import com.databricks.sdk.service.workspace.ExportResponse;
import com.databricks.sdk.service.workspace.Import;
import com.databricks.sdk.service.workspace.ImportFormat;
import com.databricks.sdk.service.workspace.Language;
import com.databricks.sdk.service.workspace.ObjectInfo;
import com.databricks.sdk.service.workspace.ObjectType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated Workspace API (notebooks and folders), driven only through the real Databricks SDK
 * for Java.
 */
class WorkspaceObjectsApiTest {
  private static final String USER = "sre-automation@acme.example";

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

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private void importNotebook(String path, Language language, String source, boolean overwrite) {
    workspace
        .workspace()
        .importContent(
            new Import()
                .setPath(path)
                .setFormat(ImportFormat.SOURCE)
                .setLanguage(language)
                .setContent(base64(source))
                .setOverwrite(overwrite));
  }

  private String export(String path) {
    return text(
        workspace
            .workspace()
            .export(new ExportRequest().setPath(path).setFormat(ExportFormat.SOURCE))
            .getContent());
  }

  @Test
  void aNewWorkspaceHasTheUsersHomeSharedAndReposFolders() {
    assertThat(workspace.workspace().list("/"))
        .extracting(ObjectInfo::getPath, ObjectInfo::getObjectType)
        .containsExactly(
            tuple("/Repos", ObjectType.DIRECTORY),
            tuple("/Shared", ObjectType.DIRECTORY),
            tuple("/Users", ObjectType.DIRECTORY));
    assertThat(workspace.workspace().list("/Users"))
        .extracting(ObjectInfo::getPath)
        .containsExactly("/Users/" + USER);
    assertThat(workspace.workspace().list("/Shared")).isEmpty();
  }

  @Test
  void importedNotebookExportsWithItsHeaderAndReimportsUnchanged() {
    importNotebook("/Shared/ingest", Language.PYTHON, "print('orders')\n", false);

    ExportResponse exported =
        workspace
            .workspace()
            .export(new ExportRequest().setPath("/Shared/ingest").setFormat(ExportFormat.SOURCE));
    assertThat(text(exported.getContent()))
        .isEqualTo("# Databricks notebook source\nprint('orders')\n");
    assertThat(exported.getFileType()).isEqualTo("py");

    importNotebook("/Shared/ingest", Language.PYTHON, text(exported.getContent()), true);
    assertThat(export("/Shared/ingest")).isEqualTo(text(exported.getContent()));

    importNotebook("/Shared/ledger", Language.SQL, "SELECT 1;\n", false);
    assertThat(export("/Shared/ledger")).isEqualTo("-- Databricks notebook source\nSELECT 1;\n");
    ObjectInfo status = workspace.workspace().getStatus("/Shared/ledger");
    assertThat(status.getObjectType()).isEqualTo(ObjectType.NOTEBOOK);
    assertThat(status.getLanguage()).isEqualTo(Language.SQL);
  }

  @Test
  void importIntoAMissingFolderIsResourceDoesNotExist() {
    assertThatThrownBy(
            () -> importNotebook("/Shared/etl/ingest", Language.PYTHON, "print(1)\n", false))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessageContaining("/Shared/etl");
  }

  @Test
  void importOverAnExistingNotebookNeedsOverwriteWhichKeepsItsId() {
    importNotebook("/Shared/ingest", Language.PYTHON, "print(1)\n", false);
    long id = workspace.workspace().getStatus("/Shared/ingest").getObjectId();

    assertThatThrownBy(() -> importNotebook("/Shared/ingest", Language.PYTHON, "print(2)\n", false))
        .isInstanceOf(ResourceAlreadyExists.class)
        .hasMessageContaining("/Shared/ingest");

    importNotebook("/Shared/ingest", Language.SCALA, "println(2)\n", true);
    ObjectInfo status = workspace.workspace().getStatus("/Shared/ingest");
    assertThat(status.getObjectId()).isEqualTo(id);
    assertThat(status.getLanguage()).isEqualTo(Language.SCALA);
    assertThat(export("/Shared/ingest")).isEqualTo("// Databricks notebook source\nprintln(2)\n");
  }

  @Test
  void importAsSourceNeedsALanguage() {
    assertThatThrownBy(
            () ->
                workspace
                    .workspace()
                    .importContent(
                        new Import()
                            .setPath("/Shared/ingest")
                            .setFormat(ImportFormat.SOURCE)
                            .setContent(base64("print(1)"))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("language");
  }

  @Test
  void mkdirsCreatesEveryParentAndFailsOverANotebook() {
    workspace.workspace().mkdirs("/Shared/etl/daily/orders");
    workspace.workspace().mkdirs("/Shared/etl/daily/orders");

    assertThat(workspace.workspace().list("/Shared/etl/daily"))
        .extracting(ObjectInfo::getPath, ObjectInfo::getObjectType)
        .containsExactly(tuple("/Shared/etl/daily/orders", ObjectType.DIRECTORY));
    importNotebook("/Shared/etl/ingest", Language.PYTHON, "print(1)\n", false);
    assertThatThrownBy(() -> workspace.workspace().mkdirs("/Shared/etl/ingest/more"))
        .isInstanceOf(ResourceAlreadyExists.class)
        .hasMessageContaining("not a folder");
  }

  @Test
  void listIsOnePageHoweverManyObjectsAFolderHolds() {
    workspace.workspace().mkdirs("/Shared/many");
    IntStream.range(0, 150)
        .forEach(
            i ->
                importNotebook(
                    String.format("/Shared/many/nb-%03d", i), Language.SQL, "SELECT 1;\n", false));
    simulator.requests().clear();

    assertThat(workspace.workspace().list("/Shared/many")).hasSize(150);
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.path().equals("/api/2.0/workspace/list"))
        .hasSize(1);
  }

  @Test
  void listOfANotebookIsTheNotebookAndAMissingPathIsResourceDoesNotExist() {
    importNotebook("/Shared/ingest", Language.PYTHON, "print(1)\n", false);

    assertThat(workspace.workspace().list("/Shared/ingest"))
        .extracting(ObjectInfo::getPath, ObjectInfo::getLanguage)
        .containsExactly(tuple("/Shared/ingest", Language.PYTHON));
    assertThatThrownBy(() -> workspace.workspace().list("/Shared/missing"))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessage("Path (/Shared/missing) doesn't exist.");
    assertThatThrownBy(() -> workspace.workspace().getStatus("/Shared/missing"))
        .isInstanceOf(ResourceDoesNotExist.class);
  }

  @Test
  void theWorkspaceMountPrefixNamesTheSameObject() {
    importNotebook("/Workspace/Shared/ingest", Language.PYTHON, "print(1)\n", false);

    assertThat(workspace.workspace().getStatus("/Shared/ingest").getPath())
        .isEqualTo("/Shared/ingest");
    assertThat(workspace.workspace().getStatus("/Workspace/Shared/ingest").getObjectId())
        .isEqualTo(workspace.workspace().getStatus("/Shared/ingest").getObjectId());
  }

  @Test
  void deletingAFolderWithChildrenNeedsRecursive() {
    workspace.workspace().mkdirs("/Shared/etl");
    importNotebook("/Shared/etl/ingest", Language.PYTHON, "print(1)\n", false);

    assertThatThrownBy(() -> workspace.workspace().delete(new Delete().setPath("/Shared/etl")))
        .isInstanceOf(DatabricksError.class)
        .satisfies(
            e -> assertThat(((DatabricksError) e).getErrorCode()).isEqualTo("DIRECTORY_NOT_EMPTY"));

    workspace.workspace().delete(new Delete().setPath("/Shared/etl/ingest"));
    assertThatThrownBy(() -> workspace.workspace().getStatus("/Shared/etl/ingest"))
        .isInstanceOf(ResourceDoesNotExist.class);
    importNotebook("/Shared/etl/ingest", Language.PYTHON, "print(1)\n", false);
    workspace.workspace().delete(new Delete().setPath("/Shared/etl").setRecursive(true));
    assertThat(workspace.workspace().list("/Shared")).isEmpty();
    assertThatThrownBy(() -> workspace.workspace().delete(new Delete().setPath("/Shared/etl")))
        .isInstanceOf(ResourceDoesNotExist.class);
  }

  @Test
  void formatsOtherThanSourceAreRejectedAsUnsupported() {
    importNotebook("/Shared/ingest", Language.PYTHON, "print(1)\n", false);

    assertThatThrownBy(
            () ->
                workspace
                    .workspace()
                    .export(
                        new ExportRequest().setPath("/Shared/ingest").setFormat(ExportFormat.HTML)))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("not supported by the simulator");
    assertThat(
            text(
                workspace
                    .workspace()
                    .export(
                        new ExportRequest().setPath("/Shared/ingest").setFormat(ExportFormat.AUTO))
                    .getContent()))
        .isEqualTo("# Databricks notebook source\nprint(1)\n");
  }
}
