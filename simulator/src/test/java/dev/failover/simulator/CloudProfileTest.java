package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.simulator.profile.CloudProfile;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The realistic cloud profile: its figures name their sources, and the simulator enforces it. */
class CloudProfileTest {
  @TempDir Path dir;

  @Test
  void everyFigureOfTheRealisticProfileNamesItsSource() throws Exception {
    JsonNode profile;
    try (InputStream in = getClass().getResourceAsStream("/profiles/realistic.json")) {
      profile = new ObjectMapper().readTree(in);
    }
    List<JsonNode> families = new ArrayList<>();
    profile.get("databricks").forEach(families::add);
    profile.get("s3").forEach(families::add);
    assertThat(families).hasSizeGreaterThan(10);
    for (JsonNode family : families) {
      assertThat(family.path("rateSource").asText()).as(family.toString()).isNotBlank();
      assertThat(family.path("latencySource").asText()).as(family.toString()).isNotBlank();
    }
    assertThat(profile.path("sqlWarehouse").path("concurrencySource").asText()).isNotBlank();
    assertThat(profile.path("sqlWarehouse").path("statementSource").asText()).isNotBlank();
    assertThat(profile.path("retryAfterSource").asText()).isNotBlank();
    assertThat(profile.path("cloudwatch").path("rateSource").asText()).isNotBlank();
    assertThat(profile.path("cloudwatch").path("latencySource").asText()).isNotBlank();
    assertThat(profile.path("cloudwatch").path("requestsPerSecondPerRegion").asDouble())
        .isEqualTo(50);
  }

  @Test
  void requestsAreSortedIntoTheirFamilies() {
    CloudProfile profile = CloudProfile.load(CloudProfile.REALISTIC);
    assertThat(profile.familyOf("databricks", "POST", "/api/2.2/jobs/create")).isEqualTo("jobs");
    assertThat(profile.familyOf("databricks", "GET", "/api/2.0/permissions/jobs/1"))
        .isEqualTo("permissions-read");
    assertThat(profile.familyOf("databricks", "PUT", "/api/2.0/permissions/jobs/1"))
        .isEqualTo("permissions-write");
    assertThat(profile.familyOf("databricks", "GET", "/api/2.1/unity-catalog/tables"))
        .isEqualTo("unity-catalog");
    assertThat(profile.familyOf("databricks", "POST", "/api/2.0/sql/statements/"))
        .isEqualTo("sql-statements");
    assertThat(profile.familyOf("databricks", "GET", "/api/2.0/sql/warehouses"))
        .isEqualTo("sql-warehouses");
    assertThat(profile.familyOf("databricks", "GET", "/api/2.0/preview/scim/v2/Groups"))
        .isEqualTo("scim-read");
    assertThat(profile.familyOf("databricks", "GET", "/api/2.0/workspace/list"))
        .isEqualTo("workspace-objects");
    assertThat(profile.familyOf("s3", "HEAD", "/bucket/key")).isEqualTo("s3-read");
    assertThat(profile.familyOf("s3", "PUT", "/bucket/key")).isEqualTo("s3-write");
    assertThat(
            profile.familyOf(
                "cloudwatch",
                "POST",
                "/service/GraniteServiceVersion20100801/operation/GetMetricData"))
        .isEqualTo("cloudwatch-get-metric-data");
  }

  @Test
  void requestsBeyondAFamilysRateAreAnswered429WithRetryAfter() throws Exception {
    // Two jobs requests a second, no latency: a quick burst of ten gets most refused.
    Path file = dir.resolve("tight.json");
    String realistic;
    try (InputStream in = getClass().getResourceAsStream("/profiles/realistic.json")) {
      realistic = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    JsonNode tree = new ObjectMapper().readTree(realistic);
    for (JsonNode family : tree.get("databricks")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) family).put("requestsPerSecond", 2);
      ((com.fasterxml.jackson.databind.node.ObjectNode) family.get("latencyMs"))
          .put("median", 0)
          .put("p99", 0);
    }
    Files.writeString(file, tree.toString());
    try (Simulator simulator = Simulator.start(0, List.of("primary"))) {
      simulator.useProfile(CloudProfile.load(file.toString()));
      HttpClient http = HttpClient.newHttpClient();
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        answers.add(
            http.send(
                HttpRequest.newBuilder(
                        URI.create(simulator.workspaceUrl("primary") + "/api/2.2/jobs/list"))
                    .header("Authorization", "Bearer " + simulator.workspaceToken("primary"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      List<HttpResponse<String>> refused =
          answers.stream().filter(a -> a.statusCode() == 429).toList();
      assertThat(refused).hasSizeGreaterThanOrEqualTo(5);
      assertThat(refused.get(0).headers().firstValue("Retry-After")).contains("1");
      assertThat(refused.get(0).body()).contains("REQUEST_LIMIT_EXCEEDED");
      assertThat(answers.get(0).statusCode()).isEqualTo(200);
      assertThat(simulator.requests().all().stream().filter(r -> r.status() == 429).count())
          .isEqualTo(refused.size());
    }
  }
}
