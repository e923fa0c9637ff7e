package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Jobs API 2.2 of a simulated workspace, with the paths, fields and pagination of the SDK's
 * {@code JobsImpl}, {@code ListJobsRequest}/{@code ListJobsResponse}, {@code GetJobRequest} and
 * {@code Job}, and the runs of jobs ({@code run-now}, {@code runs/submit}, {@code runs/get}, {@code
 * runs/list}, {@code runs/cancel}; see {@link JobRuns}).
 */
final class JobsApi {
  static final String PREFIX = "/api/2.2/jobs/";

  /**
   * Read endpoints return at most this many entries of each large array of a job's settings; the
   * rest follow page by page ({@code JobsAPI.get}: "Large arrays in the results will be paginated
   * when they exceed 100 elements").
   */
  static final int ARRAY_PAGE = 100;

  /** The arrays {@code jobs/get} pages, as listed in {@code JobsAPI.get}. */
  private static final List<String> PAGED_ARRAYS =
      List.of("tasks", "job_clusters", "environments", "parameters");

  /**
   * {@code ListJobsRequest.limit} of SDK 0.141.0: "greater than 0 and less or equal to 100",
   * default 20.
   */
  private static final int DEFAULT_LIMIT = 20;

  private static final int MAX_LIMIT = 100;

  private final JobsState jobs;

  JobsApi(JobsState jobs) {
    this.jobs = jobs;
  }

  /**
   * Answers one request under {@link #PREFIX}; {@code body} is read only by the methods that take
   * one. Returns null for a path or method this API does not have.
   */
  JsonNode route(
      String method,
      String path,
      Map<String, String> query,
      RequestBody body,
      PrincipalsState.Principal caller)
      throws IOException {
    return switch (method + " " + path.substring(PREFIX.length())) {
      case "POST create" -> {
        ObjectNode response = JSON.createObjectNode();
        response.put("job_id", jobs.create(object(body.read()), caller));
        yield response;
      }
      case "GET get" -> get(jobId(query.get("job_id")), query.get("page_token"));
      case "GET list" -> list(query);
      case "POST update" -> {
        JsonNode request = body.read();
        jobs.update(
            jobId(request),
            settings(request),
            UcJson.strings(request.get("fields_to_remove")),
            caller);
        yield JSON.createObjectNode();
      }
      case "POST reset" -> {
        JsonNode request = body.read();
        long jobId = jobId(request);
        if (!request.hasNonNull("new_settings")) {
          throw ApiError.invalid("Missing required field: new_settings");
        }
        jobs.reset(jobId, settings(request), caller);
        yield JSON.createObjectNode();
      }
      case "POST delete" -> {
        jobs.delete(jobId(body.read()));
        yield JSON.createObjectNode();
      }
      case "POST run-now" -> {
        JsonNode request = body.read();
        JobRuns.Run run = jobs.runNow(jobId(request), text(request, "idempotency_token"));
        ObjectNode response = JSON.createObjectNode();
        response.put("run_id", run.runId).put("number_in_job", run.numberInJob);
        yield response;
      }
      case "POST runs/submit" -> {
        JsonNode request = body.read();
        JobRuns.Run run =
            jobs.submit(text(request, "run_name"), text(request, "idempotency_token"));
        ObjectNode response = JSON.createObjectNode();
        response.put("run_id", run.runId);
        yield response;
      }
      case "GET runs/get" -> jobs.run(runId(query.get("run_id")));
      case "GET runs/list" -> listRuns(query);
      case "POST runs/cancel" -> {
        JsonNode id = body.read().get("run_id");
        jobs.cancelRun(runId(id == null || id.isNull() ? null : id.asText()));
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  /**
   * {@code jobs/get}: the job with the first {@link #ARRAY_PAGE} entries of each large array and a
   * {@code next_page_token} while any array has more; later pages carry the next entries of each
   * array, an empty array for one that has no more ("Arrays without additional results will be
   * empty on later pages", the jobs/get API reference), and repeat the other fields. The first page
   * leaves out an array the job does not have; later pages send it empty too, since the reference
   * does not say which the service does, and an empty array where the first page had none is the
   * harsher reading: the SDK's {@code JobsExt.get} appends it to the first page's null list.
   */
  private JsonNode get(long jobId, String pageToken) {
    JobsState.Job job = jobs.job(jobId);
    int page = getPage(jobId, pageToken);
    ObjectNode response = header(job);
    ObjectNode settings = readSettings(job);
    boolean more = false;
    for (String array : PAGED_ARRAYS) {
      if (settings.path(array).isArray()) {
        ArrayNode all = (ArrayNode) settings.get(array);
        settings.set(array, slice(all, page * ARRAY_PAGE));
        more |= all.size() > (page + 1) * ARRAY_PAGE;
      } else if (page > 0) {
        settings.putArray(array);
      }
    }
    response.set("settings", settings);
    if (more) {
      response.put("next_page_token", token("get:" + jobId + ":" + (page + 1)));
    }
    return response;
  }

  private static int getPage(long jobId, String pageToken) {
    if (pageToken == null || pageToken.isEmpty()) {
      return 0;
    }
    String[] parts = untoken(pageToken).split(":");
    if (parts.length != 3 || !parts[0].equals("get") || !parts[1].equals(Long.toString(jobId))) {
      throw ApiError.invalid("Invalid page_token: " + pageToken);
    }
    return parseNonNegative(parts[2], pageToken);
  }

  /**
   * {@code jobs/list}: jobs newest first, {@code limit} per page, filtered by exact name without
   * regard to case (SDK 0.141.0 {@code ListJobsRequest.name}: "exact (case insensitive) job name").
   * Pages are cursors on the job id, so a page stays correct when jobs are created or deleted
   * between requests; {@code prev_page_token} leads back to the page before. Without {@code
   * expand_tasks} the settings leave out {@code tasks} and {@code job_clusters}; with it they hold
   * at most {@link #ARRAY_PAGE} of each ({@code ListJobsRequest.expand_tasks}: "only the first 100
   * elements will be shown"), and {@code has_more} says that {@code jobs/get} has the rest.
   */
  private JsonNode list(Map<String, String> query) {
    int limit = limit(query.get("limit"));
    boolean expand = Boolean.parseBoolean(query.getOrDefault("expand_tasks", "false"));
    String name = query.get("name");
    List<JobsState.Job> all =
        jobs.jobs().stream()
            .filter(
                j ->
                    name == null
                        || name.isEmpty()
                        || j.settings()
                            .path("name")
                            .asText()
                            .toLowerCase(Locale.ROOT)
                            .equals(name.toLowerCase(Locale.ROOT)))
            .toList();
    int[] range = range(all, query, limit);
    int from = range[0];
    List<JobsState.Job> page = all.subList(from, range[1]);
    ObjectNode response = JSON.createObjectNode();
    if (!page.isEmpty()) {
      ArrayNode array = response.putArray("jobs");
      page.forEach(job -> array.add(baseJob(job, expand)));
    }
    boolean hasMore = from + page.size() < all.size();
    response.put("has_more", hasMore);
    if (hasMore) {
      response.put("next_page_token", token("next:" + page.get(page.size() - 1).jobId()));
    }
    if (from > 0 && !page.isEmpty()) {
      response.put("prev_page_token", token("prev:" + page.get(0).jobId()));
    }
    return response;
  }

  /**
   * The indexes (from inclusive, to exclusive) of the page the token, or else the deprecated
   * offset, asks for.
   */
  private static int[] range(List<JobsState.Job> all, Map<String, String> query, int limit) {
    String pageToken = query.get("page_token");
    if (pageToken == null || pageToken.isEmpty()) {
      String offset = query.get("offset");
      int from = offset == null ? 0 : Math.min(all.size(), parseNonNegative(offset, offset));
      return new int[] {from, Math.min(all.size(), from + limit)};
    }
    String[] parts = untoken(pageToken).split(":");
    if (parts.length != 2 || !(parts[0].equals("next") || parts[0].equals("prev"))) {
      throw ApiError.invalid("Invalid page_token: " + pageToken);
    }
    long cursor;
    try {
      cursor = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("Invalid page_token: " + pageToken);
    }
    // In list order (ids descending), a next page starts after the cursor, the last job of the page
    // before it; a previous page ends before the cursor, the first job of the page after it.
    int atOrBefore = 0;
    while (atOrBefore < all.size() && all.get(atOrBefore).jobId() >= cursor) {
      atOrBefore++;
    }
    if (parts[0].equals("next")) {
      return new int[] {atOrBefore, Math.min(all.size(), atOrBefore + limit)};
    }
    int before = atOrBefore;
    if (before > 0 && all.get(before - 1).jobId() == cursor) {
      before--;
    }
    return new int[] {Math.max(0, before - limit), before};
  }

  private static int limit(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("limit must be an integer, got '" + value + "'");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiError.invalid(
          "limit must be greater than 0 and less than or equal to " + MAX_LIMIT + ", got " + limit);
    }
    return limit;
  }

  /**
   * {@code jobs/runs/list}: runs newest first, filtered by {@code job_id} and by {@code
   * active_only} or {@code completed_only} (not both: "If active_only is true, completed_only must
   * be false"), {@code limit} per page ({@link #MAX_RUNS_LIMIT}), with {@code next_page_token}
   * cursors on the run id.
   */
  private JsonNode listRuns(Map<String, String> query) {
    boolean activeOnly = Boolean.parseBoolean(query.getOrDefault("active_only", "false"));
    boolean completedOnly = Boolean.parseBoolean(query.getOrDefault("completed_only", "false"));
    if (activeOnly && completedOnly) {
      throw ApiError.invalid("active_only and completed_only cannot both be true");
    }
    int limit = runsLimit(query.get("limit"));
    String job = query.get("job_id");
    Long jobId = job == null || job.isEmpty() ? null : jobId(job);
    long after = runsCursor(query.get("page_token"));
    List<ObjectNode> matching =
        jobs.runs().stream()
            .filter(r -> jobId == null || r.path("job_id").asLong() == jobId)
            .filter(r -> r.path("run_id").asLong() < after)
            .filter(r -> !activeOnly || !terminated(r))
            .filter(r -> !completedOnly || terminated(r))
            .toList();
    List<ObjectNode> page = matching.subList(0, Math.min(limit, matching.size()));
    ObjectNode response = JSON.createObjectNode();
    if (!page.isEmpty()) {
      ArrayNode array = response.putArray("runs");
      page.forEach(array::add);
    }
    boolean hasMore = page.size() < matching.size();
    response.put("has_more", hasMore);
    if (hasMore) {
      response.put(
          "next_page_token", token("runs:" + page.get(page.size() - 1).path("run_id").asLong()));
    }
    return response;
  }

  private static boolean terminated(JsonNode run) {
    return run.path("state").path("life_cycle_state").asText().equals("TERMINATED");
  }

  /**
   * The SDK's Javadoc of {@code ListRunsRequest.limit}: "This value must be greater than 0 and less
   * than 25. The default value is 20. If a request specifies a limit of 0, the service instead uses
   * the maximum limit." Whether 25 itself is taken is not said ("less than 25"); the simulator
   * takes the harsher reading, so the maximum, and the page a 0 asks for, is 24.
   */
  private static final int MAX_RUNS_LIMIT = 24;

  private static int runsLimit(String value) {
    if (value == null || value.isEmpty()) {
      return 20;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit == 0) {
        return MAX_RUNS_LIMIT;
      }
      if (limit >= 1 && limit <= MAX_RUNS_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw ApiError.invalid(
        "limit must be greater than 0 and less than 25, or 0 for the maximum, got '" + value + "'");
  }

  private static long runsCursor(String pageToken) {
    if (pageToken == null || pageToken.isEmpty()) {
      return Long.MAX_VALUE;
    }
    String[] parts = untoken(pageToken).split(":");
    try {
      if (parts.length == 2 && parts[0].equals("runs")) {
        return Long.parseLong(parts[1]);
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw ApiError.invalid("Invalid page_token: " + pageToken);
  }

  private static long runId(String value) {
    if (value == null || value.isEmpty()) {
      throw ApiError.invalid("Missing required field: run_id");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("Invalid value for run_id: '" + value + "' is not a run id");
    }
  }

  private static String text(JsonNode request, String field) {
    JsonNode value = request.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** A {@code BaseJob} of a list response. */
  private static ObjectNode baseJob(JobsState.Job job, boolean expand) {
    ObjectNode node = header(job);
    node.remove("run_as_user_name");
    node.remove("run_as_owner");
    ObjectNode settings = readSettings(job);
    boolean more = false;
    for (String array : List.of("tasks", "job_clusters")) {
      if (!expand) {
        settings.remove(array);
      } else if (settings.path(array).isArray()) {
        ArrayNode all = (ArrayNode) settings.get(array);
        settings.set(array, slice(all, 0));
        more |= all.size() > ARRAY_PAGE;
      }
    }
    if (expand) {
      node.put("has_more", more);
    }
    node.set("settings", settings);
    return node;
  }

  /**
   * The fields {@code Job} and {@code BaseJob} share, before the settings; a list's {@code BaseJob}
   * has no {@code run_as_user_name}. {@code run_as_owner} is in real {@code jobs/get} answers (the
   * Terraform provider's {@code exporter/test-data/run-job-child.json} has {@code "run_as_owner":
   * false}) though not in the SDK's {@code Job}; the owner itself is the Permissions API's ({@code
   * IS_OWNER}).
   */
  private static ObjectNode header(JobsState.Job job) {
    ObjectNode node = JSON.createObjectNode();
    node.put("job_id", job.jobId());
    node.put("creator_user_name", job.creatorUserName());
    node.put("run_as_user_name", job.runAsUserName());
    node.put("run_as_owner", job.runsAsOwner());
    node.put("created_time", job.createdTime());
    return node;
  }

  /**
   * A copy of the job's settings as reads show them: with {@code run_as} when it was set explicitly
   * ({@link JobsState.Job#runAs}). A list's {@code BaseJob.settings} is the same {@code
   * JobSettings} as a get's, and nothing public says a list leaves {@code run_as} out, so it shows
   * it too.
   */
  private static ObjectNode readSettings(JobsState.Job job) {
    ObjectNode settings = job.settings().deepCopy();
    if (job.runAs() != null) {
      settings.set("run_as", job.runAs().json());
    }
    return settings;
  }

  private static ArrayNode slice(ArrayNode all, int from) {
    ArrayNode page = JSON.createArrayNode();
    for (int i = from; i < Math.min(all.size(), from + ARRAY_PAGE); i++) {
      page.add(all.get(i));
    }
    return page;
  }

  private static ObjectNode settings(JsonNode request) {
    JsonNode settings = request.get("new_settings");
    if (settings == null || settings.isNull()) {
      return null;
    }
    return object(settings);
  }

  private static ObjectNode object(JsonNode node) {
    if (!node.isObject()) {
      throw ApiError.invalid("Settings must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** {@code job_id} from a request body: required, a number (the SDK sends a JSON number). */
  private static long jobId(JsonNode request) {
    JsonNode id = request.get("job_id");
    if (id == null || id.isNull()) {
      throw ApiError.invalid("Missing required field: job_id");
    }
    return jobId(id.asText());
  }

  private static long jobId(String value) {
    if (value == null || value.isEmpty()) {
      throw ApiError.invalid("Missing required field: job_id");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("Invalid value for job_id: '" + value + "' is not a job id");
    }
  }

  private static int parseNonNegative(String value, String shown) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Answered below, as any other bad value.
    }
    throw ApiError.invalid("Invalid value: " + shown);
  }

  private static String token(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  private static String untoken(String pageToken) {
    try {
      return new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("Invalid page_token: " + pageToken);
    }
  }
}
