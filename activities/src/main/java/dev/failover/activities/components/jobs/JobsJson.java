package dev.failover.activities.components.jobs;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.core.utils.SerDeUtils;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Jobs API 2.2 with a job's settings as JSON. SDK 0.141.0's {@code JobSettings}, {@code
 * CreateJob} and {@code BaseJob} have no {@code triggers} (the [Beta] list of {@code
 * TriggerConfiguration} in the Databricks CLI's {@code bundle/schema/jsonschema.json}) and its
 * mapper drops fields it does not know, so a job read or written through them silently loses its
 * triggers. These requests go through the SDK's own {@code ApiClient} (authentication, the SDK's
 * retries and error classes, and this tool's pacing and metering all apply as to every other call)
 * with the body as JSON, so every field the service sends comes back and every field the tool sends
 * goes out.
 */
public final class JobsJson {
  private static final String BASE = "/api/2.2/jobs/";

  /** The SDK's own mapper, to turn a JSON job into the SDK's classes where those suffice. */
  public static final ObjectMapper SDK_JSON = SerDeUtils.createMapper();

  private JobsJson() {}

  /**
   * A response body as JSON, every field kept. A public mutable class: the SDK's {@code ApiClient}
   * creates the response type by reflection and fills it in with its mapper.
   */
  public static final class Raw {
    private final ObjectNode fields = SDK_JSON.createObjectNode();

    @JsonAnySetter
    public void set(String name, JsonNode value) {
      fields.set(name, value);
    }
  }

  /** One page of {@code jobs/get}: the {@code Job}, its settings as sent. */
  public static ObjectNode get(WorkspaceClient workspace, long jobId, String pageToken) {
    Request request = new Request("GET", BASE + "get").withQueryParam("job_id", "" + jobId);
    if (pageToken != null && !pageToken.isEmpty()) {
      request.withQueryParam("page_token", pageToken);
    }
    return execute(workspace, request);
  }

  /**
   * Every job of {@code jobs/list}, 100 a page, following {@code next_page_token} as the SDK's
   * paginator does; {@code name}, if not null, filters by exact name.
   */
  public static List<ObjectNode> list(WorkspaceClient workspace, String name) {
    List<ObjectNode> all = new ArrayList<>();
    String token = "";
    do {
      Request request = new Request("GET", BASE + "list").withQueryParam("limit", "100");
      if (name != null) {
        request.withQueryParam("name", name);
      }
      if (!token.isEmpty()) {
        request.withQueryParam("page_token", token);
      }
      ObjectNode page = execute(workspace, request);
      page.path("jobs").forEach(job -> all.add((ObjectNode) job));
      token = page.path("next_page_token").asText("");
    } while (!token.isEmpty());
    return all;
  }

  /** {@code jobs/create} with these settings; returns the new job's id. */
  public static long create(WorkspaceClient workspace, ObjectNode settings) {
    return post(workspace, "create", settings).path("job_id").asLong();
  }

  /** {@code jobs/reset}: the job's settings replaced by these. */
  public static void reset(WorkspaceClient workspace, long jobId, ObjectNode settings) {
    ObjectNode body = SDK_JSON.createObjectNode().put("job_id", jobId);
    body.set("new_settings", settings);
    post(workspace, "reset", body);
  }

  /** {@code jobs/update}: the top-level fields of {@code newSettings} replace the job's. */
  public static void update(WorkspaceClient workspace, long jobId, ObjectNode newSettings) {
    ObjectNode body = SDK_JSON.createObjectNode().put("job_id", jobId);
    body.set("new_settings", newSettings);
    post(workspace, "update", body);
  }

  private static ObjectNode post(WorkspaceClient workspace, String action, ObjectNode body) {
    String json;
    try {
      json = SDK_JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("job settings that are not JSON: " + e.getMessage(), e);
    }
    return execute(
        workspace,
        new Request("POST", BASE + action, json).withHeader("Content-Type", "application/json"));
  }

  private static ObjectNode execute(WorkspaceClient workspace, Request request) {
    request.withHeader("Accept", "application/json");
    try {
      return workspace.apiClient().execute(request, Raw.class).fields;
    } catch (IOException e) {
      throw new DatabricksException("IO error: " + e.getMessage(), e);
    }
  }
}
