package dev.failover.activities.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.ApiClient;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.utils.Timer;
import com.databricks.sdk.service.iam.CurrentUserAPI;
import com.databricks.sdk.service.iam.MeRequest;
import dev.failover.activities.errors.CloudFailures;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workspace endpoint overrides match hosts with or without their scheme, and never silently. */
class WorkspaceEndpointsTest {
  private static final String RUNBOOK_HOST = "https://dbc-123.cloud.databricks.com";
  private static final URI LOCAL = URI.create("http://127.0.0.1:8080");

  @TempDir Path dir;

  @Test
  void aHostWithOrWithoutItsSchemeMatchesTheRunbooksUrl() {
    for (String given :
        new String[] {
          "dbc-123.cloud.databricks.com",
          "https://dbc-123.cloud.databricks.com",
          "https://dbc-123.cloud.databricks.com/",
          "HTTPS://DBC-123.cloud.databricks.com:443",
          " dbc-123.cloud.databricks.com "
        }) {
      Map<String, URI> overrides = WorkspaceEndpoints.normalize(Map.of(given, LOCAL));

      assertThat(WorkspaceEndpoints.dialledFor(overrides, RUNBOOK_HOST)).as(given).contains(LOCAL);
      assertThat(WorkspaceEndpoints.dialledFor(overrides, RUNBOOK_HOST + "/"))
          .as(given)
          .contains(LOCAL);
    }
  }

  @Test
  void theConfigKeepsOverridesByHostSoTheSandboxsFullUrlsStillMatch() {
    CloudClientsConfig config =
        CloudClientsConfig.builder()
            .workspaceEndpoints(Map.of("https://dbc-123.cloud.databricks.com", LOCAL))
            .build();

    assertThat(config.workspaceEndpoints())
        .containsOnly(Map.entry("dbc-123.cloud.databricks.com", LOCAL));
  }

  @Test
  void aPortOtherThanHttpsDefaultIsPartOfTheHost() {
    Map<String, URI> overrides =
        WorkspaceEndpoints.normalize(Map.of("dbc-123.cloud.databricks.com:8443", LOCAL));

    assertThat(WorkspaceEndpoints.dialledFor(overrides, RUNBOOK_HOST)).isEmpty();
    assertThat(WorkspaceEndpoints.dialledFor(overrides, RUNBOOK_HOST + ":8443")).contains(LOCAL);
  }

  @Test
  void anOverrideThatCouldNeverMatchIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                WorkspaceEndpoints.normalize(Map.of("http://dbc-123.cloud.databricks.com", LOCAL)))
        .hasMessage(
            "workspace endpoint override: 'http://dbc-123.cloud.databricks.com' is not a"
                + " workspace host: only https:// workspace URLs are dialled");
    assertThatThrownBy(
            () -> WorkspaceEndpoints.normalize(Map.of("dbc-123.cloud.databricks.com/api", LOCAL)))
        .hasMessageContaining("'dbc-123.cloud.databricks.com/api'")
        .hasMessageContaining("no path");
    assertThatThrownBy(() -> WorkspaceEndpoints.normalize(Map.of("", LOCAL)))
        .hasMessageContaining("names no host");
  }

  @Test
  void theSameHostGivenTwiceWithDifferentUrlsIsRefused() {
    Map<String, URI> given = new LinkedHashMap<>();
    given.put("dbc-123.cloud.databricks.com", LOCAL);
    given.put("https://dbc-123.cloud.databricks.com", URI.create("http://127.0.0.1:9090"));

    assertThatThrownBy(() -> WorkspaceEndpoints.normalize(given))
        .hasMessageContaining("dbc-123.cloud.databricks.com is given twice");
  }

  /**
   * The case: overrides given, but not for the runbook's host, which then does not resolve.
   * The host is under {@code .invalid}, which never resolves (RFC 2606, section 2).
   */
  @Test
  void aHostWithoutAnOverrideWhileOthersHaveOneIsNamedInTheFailure() throws Exception {
    Files.writeString(dir.resolve("databrickscfg"), "[acme]\ntoken = dapi-test\n");
    CloudClientsConfig config =
        CloudClientsConfig.builder()
            .databricksConfigFile(dir.resolve("databrickscfg"))
            .workspaceEndpoints(
                Map.of(
                    "dbc-123.cloud.databricks.com",
                    LOCAL,
                    "dbc-456.cloud.databricks.com",
                    URI.create("http://127.0.0.1:8081")))
            .httpTimeoutSeconds(5)
            .build();
    WorkspaceTarget unrouted =
        new WorkspaceTarget("primary", "https://dbc-typo.invalid", "us-east-1", "acme");

    ApplicationFailure failure;
    try (CloudClients clients = new CloudClients(config)) {
      DatabricksException error = null;
      RetryWaits waits = new RetryWaits();
      try {
        waits.currentUser(clients.workspace(unrouted)).me(new MeRequest());
      } catch (DatabricksException e) {
        error = e;
      }
      assertThat(error).as("a request to a host that does not resolve").isNotNull();
      assertThat(waits.skipped).as("the SDK retried the lookup").isNotEmpty();
      failure = CloudFailures.databricks("read the current user", error);
    }

    assertThat(failure.getType()).isEqualTo(FailureTypes.HOST_NOT_FOUND);
    assertThat(failure.getOriginalMessage())
        .contains("workspace host dbc-typo.invalid has no workspace endpoint override")
        .contains("overrides were given for: ")
        .contains("dbc-123.cloud.databricks.com")
        .contains("dbc-456.cloud.databricks.com");
  }

  @Test
  void withoutOverridesAFailureSaysNothingAboutThem() throws Exception {
    Files.writeString(dir.resolve("databrickscfg"), "[acme]\ntoken = dapi-test\n");
    CloudClientsConfig config =
        CloudClientsConfig.builder()
            .databricksConfigFile(dir.resolve("databrickscfg"))
            .httpTimeoutSeconds(5)
            .build();
    WorkspaceTarget direct =
        new WorkspaceTarget("primary", "https://dbc-typo.invalid", "us-east-1", "acme");

    ApplicationFailure failure;
    try (CloudClients clients = new CloudClients(config)) {
      DatabricksException error = null;
      RetryWaits waits = new RetryWaits();
      try {
        waits.currentUser(clients.workspace(direct)).me(new MeRequest());
      } catch (DatabricksException e) {
        error = e;
      }
      assertThat(error).isNotNull();
      assertThat(waits.skipped).as("the SDK retried the lookup").isNotEmpty();
      failure = CloudFailures.databricks("read the current user", error);
    }

    assertThat(failure.getType()).isEqualTo(FailureTypes.HOST_NOT_FOUND);
    assertThat(failure.getOriginalMessage()).doesNotContain("override");
  }

  /**
   * The SDK retries a failed lookup (4 attempts, 1 s, 2 s and 4 s apart, fixed in its {@code
   * ApiClient}): these tests are about the error it ends with, not about the waits. The client's
   * own settings and HTTP client (the one that notes a missing override) are kept; only the SDK's
   * {@link Timer} skips the waits, and records them. Building the client already tries the host the
   * same way (the SDK's OpenID Connect discovery, from its default credentials chain) with a timer
   * of its own that cannot be replaced: those waits, about 8 s a test, remain.
   */
  private static final class RetryWaits implements Timer {
    final List<Long> skipped = new CopyOnWriteArrayList<>();

    CurrentUserAPI currentUser(WorkspaceClient workspace) {
      return new CurrentUserAPI(new ApiClient(workspace.config(), this));
    }

    @Override
    public void sleep(long millis) {
      skipped.add(millis);
    }

    @Override
    public long getCurrentTime() {
      return System.currentTimeMillis();
    }
  }
}
