package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The jobs of one simulated workspace (Jobs API 2.2). A job's settings are kept as the JSON the
 * client sent, so that every field the runbook sets (tasks, job clusters, notifications, ...) comes
 * back as given; only the fields the service itself fills in or checks are interpreted. All methods
 * are synchronized; the HTTP handler and tests share one instance, and every job handed out is a
 * copy.
 */
public final class JobsState {
  /**
   * A job as the simulator keeps it: {@code BaseJob} without the derived fields.
   *
   * @param creatorUserName who created it ({@code Job.creator_user_name})
   * @param owner the user or service principal that owns it: the creator until the owner is changed
   *     ("The creator of a job has IS_OWNER permission. A job must have exactly one owner", the
   *     Terraform provider's permissions docs); the Permissions API shows and changes it
   * @param runAs {@code settings.run_as} as last set explicitly, or null: the job runs as its
   *     owner. Reads show it as set, in {@code settings.run_as} (the jobs/get API reference: "The
   *     user or service principal that the job runs as, if specified in the request. This field
   *     indicates the explicit configuration of {@code run_as} for the job"; the Databricks CLI's
   *     {@code acceptance/bundle/run_as/job_default}, recorded with {@code Cloud = true}, prints it
   *     from {@code jobs get}); the SDK's "Write-only setting" on {@code JobRunAs} is contradicted
   *     by both
   * @param settings {@code JobSettings} without {@code run_as}, which {@code runAs} holds
   */
  public record Job(
      long jobId,
      String creatorUserName,
      String owner,
      RunAs runAs,
      long createdTime,
      ObjectNode settings) {
    /**
     * {@code run_as_user_name}: the user name or application id of {@code run_as}, else the owner
     * (the jobs/get API reference: "set to the creator of the job if job access control is disabled
     * or to the user with the {@code is_owner} permission if job access control is enabled"; the
     * Terraform provider's permissions docs: "Jobs triggered through Run Now assume the permissions
     * of the job owner").
     */
    public String runAsUserName() {
      return runAs == null ? owner : runAs.name();
    }

    /**
     * {@code run_as_owner}: whether the job runs as its owner. Real {@code jobs/get} answers carry
     * it, though the SDK's {@code Job} has no field for it.
     */
    public boolean runsAsOwner() {
      return runAs == null || runAs.name().equals(owner);
    }

    private Job copy() {
      return new Job(jobId, creatorUserName, owner, runAs, createdTime, settings.deepCopy());
    }
  }

  /**
   * A job's {@code run_as} ({@code JobRunAs}): a user by {@code user_name}, a service principal by
   * its application id in {@code service_principal_name}, or a group by {@code group_name}.
   */
  public record RunAs(String field, String name) {
    /** {@code settings.run_as} as a read shows it: the one field it was set with. */
    ObjectNode json() {
      ObjectNode node = JSON.createObjectNode();
      node.put(field, name);
      return node;
    }
  }

  /**
   * The top-level arrays that {@code jobs/update} merges by a key field instead of replacing, and
   * whose entries must each carry a distinct key. The SDK's {@code UpdateJob.new_settings}:
   * "Top-level fields specified in {@code new_settings} are completely replaced, except for arrays
   * which are merged. That is, new and existing entries are completely replaced based on the
   * respective key fields, i.e. {@code task_key} or {@code job_cluster_key}, while previous entries
   * are kept." It names only those two; merging {@code environments} by {@code environment_key} and
   * {@code parameters} by {@code name} is an extrapolation from "arrays which are merged", not
   * documented. The entries of {@code triggers} have no key field ({@code TriggerConfiguration} in
   * the Databricks CLI's {@code bundle/schema/jsonschema.json}), so there is nothing to merge them
   * by: an update replaces the list whole, as any other top-level field (not documented either).
   */
  static final Map<String, String> KEYED_ARRAYS =
      Map.of(
          "tasks", "task_key",
          "job_clusters", "job_cluster_key",
          "environments", "environment_key",
          "parameters", "name");

  /*
   * Limits from the jobs/get API reference (https://docs.databricks.com/api/workspace/jobs/get),
   * which the SDK's JobSettings documentation repeats. The service's messages for them are not on
   * public record.
   */

  /** {@code tasks}: "up to 1000 elements in write endpoints". */
  private static final int MAX_TASKS = 1000;

  /** {@code job_clusters}: "<= 100 items". */
  private static final int MAX_JOB_CLUSTERS = 100;

  /** {@code environments}: "<= 10 items". */
  private static final int MAX_ENVIRONMENTS = 10;

  /** {@code tags}: "A maximum of 25 tags can be added to the job". */
  private static final int MAX_TAGS = 25;

  /**
   * {@code max_concurrent_runs}: "This value cannot exceed 1000. Setting this value to {@code 0}
   * causes all new runs to be skipped".
   */
  private static final int MAX_CONCURRENT_RUNS = 1000;

  private final PrincipalsState principals;
  private final String userName;
  private final ComputePlacement placement;
  private final Map<Long, Job> jobs = new TreeMap<>();
  private final JobRuns runs;
  private long nextJobId;

  /**
   * Whether the workspace has the "Multiple Triggers" feature preview, which {@code
   * settings.triggers} is "Gated behind" (the Databricks CLI's {@code
   * bundle/schema/jsonschema.json}, {@code JobSettings.triggers}). Off until a test or the demo
   * turns it on: a preview is something a workspace opts into, and a DR workspace without it is the
   * case a client must handle.
   */
  private boolean multipleTriggers;

  /**
   * @param principals who may set {@code run_as} to whom
   * @param userName the workspace's first admin, the creator of jobs made through {@link
   *     #create(ObjectNode)}
   * @param firstJobId the id of the first job; each workspace starts elsewhere, so that the same
   *     job has different ids in the two workspaces, as it does in reality
   * @param placement what the job clusters' {@code aws_attributes} are checked against
   */
  JobsState(
      PrincipalsState principals,
      String userName,
      long firstJobId,
      ComputePlacement placement,
      Clock clock) {
    this.principals = principals;
    this.userName = userName;
    this.nextJobId = firstJobId;
    this.placement = placement;
    // Run ids are numbers of their own, apart from job ids, as in real workspaces.
    this.runs = new JobRuns(clock, userName, firstJobId / 1000 + 7);
  }

  /** Turns the "Multiple Triggers" feature preview on or off ({@code settings.triggers}). */
  public synchronized void multipleTriggers(boolean enabled) {
    multipleTriggers = enabled;
  }

  /** Creates a job from a {@code CreateJob} body as the workspace's first admin; returns its id. */
  public synchronized long create(ObjectNode request) {
    return create(request, principals.named(userName).orElseThrow());
  }

  /**
   * Creates a job from a {@code CreateJob} body as {@code caller}, its creator and owner; returns
   * its id.
   */
  public synchronized long create(ObjectNode request, PrincipalsState.Principal caller) {
    ObjectNode settings = request.deepCopy();
    // access_control_list is part of CreateJob, not of the job's settings.
    settings.remove("access_control_list");
    RunAs runAs = runAs(settings, caller);
    ObjectNode normalized = normalize(settings, multipleTriggers);
    checkNewClusters(normalized);
    checkJobsRun(normalized);
    long jobId = nextJobId++;
    jobs.put(
        jobId,
        new Job(
            jobId,
            caller.name(),
            caller.name(),
            runAs == UNSET ? null : runAs,
            System.currentTimeMillis(),
            normalized));
    keepContinuousRunning();
    return jobId;
  }

  /**
   * Changes a job's owner (the Permissions API's {@code IS_OWNER}); the caller's right to do so is
   * the Permissions API's to check.
   */
  public synchronized void setOwner(long jobId, String owner) {
    Job job = existing(jobId);
    jobs.put(
        jobId,
        new Job(
            jobId, job.creatorUserName(), owner, job.runAs(), job.createdTime(), job.settings()));
  }

  /** A copy of the job; 400 {@code INVALID_PARAMETER_VALUE} if there is none, as the API says. */
  public synchronized Job job(long jobId) {
    return existing(jobId).copy();
  }

  /**
   * Every job, the most recently created first: the deprecated {@code offset} parameter of {@code
   * ListJobsRequest} counts "relative to the most recently created job". Ids grow with creation, so
   * this is by id, descending.
   */
  public synchronized List<Job> jobs() {
    return jobs.values().stream()
        .sorted(Comparator.comparingLong(Job::jobId).reversed())
        .map(Job::copy)
        .toList();
  }

  /**
   * {@code jobs/update}: top-level fields of {@code newSettings} replace the job's, except the
   * keyed arrays, whose entries replace the entries with the same key and are otherwise added; then
   * the fields (or {@code array/key} entries) of {@code fieldsToRemove} are removed.
   */
  public synchronized Job update(long jobId, ObjectNode newSettings, List<String> fieldsToRemove) {
    return update(jobId, newSettings, fieldsToRemove, principals.named(userName).orElseThrow());
  }

  /**
   * {@link #update(long, ObjectNode, List)} as {@code caller}: a {@code run_as} in the new settings
   * is checked and replaces the job's, and new settings without one keep it, as they keep every
   * top-level field they leave out; {@code run_as} in {@code fieldsToRemove} makes the job run as
   * its owner again.
   */
  public synchronized Job update(
      long jobId,
      ObjectNode newSettings,
      List<String> fieldsToRemove,
      PrincipalsState.Principal caller) {
    Job job = existing(jobId);
    ObjectNode settings = job.settings().deepCopy();
    ObjectNode changes = newSettings == null ? null : newSettings.deepCopy();
    RunAs runAs = changes == null ? UNSET : runAs(changes, caller);
    RunAs kept = runAs == UNSET ? job.runAs() : runAs;
    if (fieldsToRemove.contains("run_as")) {
      kept = null;
    }
    if (changes != null) {
      changes
          .fields()
          .forEachRemaining(
              field -> {
                String name = field.getKey();
                if (KEYED_ARRAYS.containsKey(name)
                    && field.getValue().isArray()
                    && settings.path(name).isArray()) {
                  settings.set(
                      name,
                      mergeByKey(
                          (ArrayNode) settings.get(name),
                          (ArrayNode) field.getValue(),
                          KEYED_ARRAYS.get(name)));
                } else {
                  settings.set(name, field.getValue().deepCopy());
                }
              });
    }
    for (String field : fieldsToRemove) {
      remove(settings, field);
    }
    return replace(job, settings, kept);
  }

  /**
   * {@code jobs/reset}: the new settings replace all of the job's settings, but for an explicit
   * {@code run_as} they leave out.
   */
  public synchronized Job reset(long jobId, ObjectNode newSettings) {
    return reset(jobId, newSettings, principals.named(userName).orElseThrow());
  }

  /**
   * {@link #reset(long, ObjectNode)} as {@code caller}: new settings without {@code run_as} keep
   * the job's explicit {@code run_as}, unlike every other setting a reset leaves out. Recorded on a
   * real workspace: the Databricks CLI's {@code acceptance/bundle/run_as/job_default} ({@code Cloud
   * = true}) resets a job with a body that has no {@code run_as} and {@code jobs get} still shows
   * its {@code {"user_name": ...}} (its test.toml: "run_as is still set even though it's not in
   * bundle and not in reset request").
   */
  public synchronized Job reset(
      long jobId, ObjectNode newSettings, PrincipalsState.Principal caller) {
    Job job = existing(jobId);
    ObjectNode settings = newSettings == null ? JSON.createObjectNode() : newSettings.deepCopy();
    RunAs runAs = runAs(settings, caller);
    return replace(job, settings, runAs == UNSET ? job.runAs() : runAs);
  }

  /**
   * {@code jobs/delete}. The runs of a deleted job are left as they are: what the service does with
   * them is not documented.
   */
  public synchronized void delete(long jobId) {
    existing(jobId);
    jobs.remove(jobId);
  }

  /** {@code jobs/run-now}: starts a run of the job, or answers the run its token started. */
  public synchronized JobRuns.Run runNow(long jobId, String idempotencyToken) {
    Job job = existing(jobId);
    return runs.start(
        jobId,
        job.settings().path("name").asText(),
        "ONE_TIME",
        JobRuns.DEFAULT_DURATION,
        idempotencyToken);
  }

  /**
   * Starts a run of the job that lasts the given time (null: until cancelled), for tests and the
   * demo: a run in progress as a file arrival or a schedule would have started it.
   */
  public synchronized long startRun(long jobId, String trigger, java.time.Duration duration) {
    Job job = existing(jobId);
    return runs.start(jobId, job.settings().path("name").asText(), trigger, duration, null).runId;
  }

  /** {@code jobs/runs/submit}: a one-time run of no job. */
  public synchronized JobRuns.Run submit(String runName, String idempotencyToken) {
    return runs.start(
        null,
        runName == null ? "Untitled" : runName,
        "ONE_TIME",
        JobRuns.DEFAULT_DURATION,
        idempotencyToken);
  }

  /** {@code jobs/runs/get}: the run as of now. */
  public synchronized ObjectNode run(long runId) {
    keepContinuousRunning();
    return JobRuns.json(runs.run(runId));
  }

  /** Every run as of now, newest first, as {@code jobs/runs/list} answers them. */
  public synchronized List<ObjectNode> runs() {
    keepContinuousRunning();
    return runs.runs().stream().map(JobRuns::json).toList();
  }

  /** Ends a run in progress with {@code SUCCESS}, as its work being done would (for tests). */
  public synchronized void finishRun(long runId) {
    runs.finish(runId);
  }

  /** {@code jobs/runs/cancel}. */
  public synchronized void cancelRun(long runId) {
    runs.cancel(runId);
  }

  /**
   * A continuous job that is not paused always has a run: the service starts one when the job is
   * created or unpaused and again when a run ends (Terraform provider PR #2466, {@code
   * control_run_state}: "The job does not need to be started, as that is handled by the Jobs
   * service itself"). Pausing does not stop the active run: the Databricks docs on triggers
   * (https://learn.microsoft.com/azure/databricks/jobs/triggers) say "When you pause a trigger, any
   * currently active runs continue, but the trigger no longer starts new runs", and the same
   * provider change stops it with a separate call; the simulator leaves it going, the harsher
   * reading for a fence. The docs on continuous jobs say "A delay exists between a run finishing
   * and a new run starting" of "less than 60 seconds"; the simulator starts the next run at once,
   * which only makes a fence's race with a new run more likely. An unpaused {@code continuous}
   * entry of {@code triggers} keeps the job running alike ({@link JobTriggers#continuous}).
   */
  private void keepContinuousRunning() {
    for (Job job : jobs.values()) {
      if (JobTriggers.continuous(job.settings()) && runs.active(job.jobId()).isEmpty()) {
        runs.start(job.jobId(), job.settings().path("name").asText(), "CONTINUOUS", null, null);
      }
    }
  }

  private Job replace(Job job, ObjectNode settings, RunAs runAs) {
    ObjectNode normalized = normalize(settings, multipleTriggers);
    checkNewClusters(normalized);
    checkJobsRun(normalized);
    Job replaced =
        new Job(
            job.jobId(), job.creatorUserName(), job.owner(), runAs, job.createdTime(), normalized);
    jobs.put(job.jobId(), replaced);
    keepContinuousRunning();
    return replaced.copy();
  }

  /** A request that does not set {@code run_as}. */
  private static final RunAs UNSET = new RunAs("", "");

  /** The {@code JobRunAs} fields, one of which names the identity. */
  private static final List<String> RUN_AS_FIELDS =
      List.of("user_name", "service_principal_name", "group_name");

  /**
   * Takes {@code run_as} out of the settings and checks that {@code caller} may set it; {@link
   * #UNSET} when the settings have none. The rules are {@code JobRunAs}'s (SDK and API reference):
   * exactly one identity ("Either user_name or service_principal_name should be specified. If not,
   * an error is thrown"); {@code user_name} is "the email of an active workspace user. Non-admin
   * users can only set this field to their own email"; {@code service_principal_name} is the
   * "application ID of an active service principal. Setting this field requires the
   * servicePrincipal/user role", for workspace admins too ("Workspace admins can change the job run
   * as setting to service principals they have the Service Principal User role on or to any user in
   * their workspace", docs "Restrict workspace admins"); {@code group_name} names "an account group
   * assigned to the workspace. Setting this field requires being a member of the group". The error
   * codes are not documented (nothing public records a refused {@code run_as}): an identity that
   * does not exist and a missing right are both 400 {@code INVALID_PARAMETER_VALUE}, naming the
   * {@code run_as} field. For a missing right 400 is the harsher choice for a client: a 403 says
   * plainly that the caller lacks a right, a 400 looks like any other bad request. The rules are
   * checked on every request that sets {@code run_as}, also to the identity it already has (whether
   * the service skips an unchanged one is not documented: the harsher reading).
   */
  private RunAs runAs(ObjectNode settings, PrincipalsState.Principal caller) {
    JsonNode given = settings.remove("run_as");
    if (given == null || given.isNull()) {
      return UNSET;
    }
    List<String> set =
        RUN_AS_FIELDS.stream().filter(f -> !given.path(f).asText("").isBlank()).toList();
    if (!given.isObject() || set.size() != 1) {
      throw ApiError.invalid(
          "Exactly one of run_as.user_name, run_as.service_principal_name and run_as.group_name"
              + " must be specified.");
    }
    RunAs runAs = new RunAs(set.get(0), given.get(set.get(0)).asText());
    switch (runAs.field()) {
      case "user_name" -> requireUser(runAs.name(), caller);
      case "service_principal_name" -> requireServicePrincipal(runAs.name(), caller);
      default -> requireGroup(runAs.name(), caller);
    }
    return runAs;
  }

  private void requireUser(String name, PrincipalsState.Principal caller) {
    PrincipalsState.Principal user = principals.named(name).orElse(null);
    if (user == null || user.isServicePrincipal() || !user.active()) {
      throw ApiError.invalid("run_as.user_name: " + name + " is not an active workspace user.");
    }
    if (!name.equals(caller.name()) && !principals.isAdmin(caller)) {
      throw ApiError.invalid(
          caller.name()
              + " may set run_as.user_name only to itself: setting it to "
              + name
              + " needs a workspace admin.");
    }
  }

  private void requireServicePrincipal(String applicationId, PrincipalsState.Principal caller) {
    PrincipalsState.Principal sp = principals.named(applicationId).orElse(null);
    if (sp == null || !sp.isServicePrincipal() || !sp.active()) {
      throw ApiError.invalid(
          "run_as.service_principal_name: "
              + applicationId
              + " is not the application id of an active service principal.");
    }
    if (!principals.mayActAs(caller, applicationId)) {
      throw ApiError.invalid(
          caller.name()
              + " may not set run_as.service_principal_name to "
              + applicationId
              + ": it needs the servicePrincipal.user role on that service principal.");
    }
  }

  private void requireGroup(String groupName, PrincipalsState.Principal caller) {
    List<GroupsState.Group> memberOf = principals.groupsOf(caller);
    if (memberOf.stream().noneMatch(g -> g.displayName().equals(groupName))) {
      throw ApiError.invalid(
          caller.name()
              + " may not set run_as.group_name to "
              + groupName
              + ": it must be a member of the group.");
    }
  }

  /**
   * The clusters a job makes for its runs ({@code job_clusters[].new_cluster}, {@code
   * tasks[].new_cluster}) are checked as a cluster create is ({@link ComputePlacement#check}).
   */
  private void checkNewClusters(ObjectNode settings) {
    for (String array : List.of("job_clusters", "tasks")) {
      JsonNode entries = settings.path(array);
      for (int i = 0; i < entries.size(); i++) {
        JsonNode cluster = entries.get(i).path("new_cluster");
        if (cluster.isObject()) {
          placement.check(cluster, array + "[" + i + "].new_cluster");
        }
      }
    }
  }

  /**
   * Every {@code run_job_task.job_id} (the SDK's {@code RunJobTask.job_id}: "ID of the job to
   * trigger"), also of a task a {@code for_each_task} runs, names a job of this workspace. Whether
   * the real service checks this when the job is saved or only when the task runs is not
   * documented; the simulator takes the harsher reading and refuses the settings with the answer it
   * gives for any unknown job id.
   */
  private void checkJobsRun(ObjectNode settings) {
    for (JsonNode task : settings.path("tasks")) {
      for (JsonNode t = task; t.isObject(); t = t.path("for_each_task").path("task")) {
        JsonNode jobId = t.path("run_job_task").path("job_id");
        if (!jobId.isMissingNode() && !jobs.containsKey(jobId.asLong())) {
          throw ApiError.invalid("Job " + jobId.asText() + " does not exist.");
        }
      }
    }
  }

  /**
   * The message and code the Jobs service answers for a job id it does not know, on every endpoint:
   * 400 {@code INVALID_PARAMETER_VALUE} "Job N does not exist.". Sources: the SDK maps this exact
   * shape on {@code GET jobs/get} to {@code ResourceDoesNotExist} ({@code ErrorOverrides}, "Jobs
   * InvalidParameterValue=>ResourceDoesNotExist", message pattern {@code Job .* does not exist});
   * the Terraform provider's {@code jobs/resource_job.go} {@code wrapMissingJobError} ("fix
   * non-compliant error code") does the same for jobs/get, jobs/reset and jobs/delete; the jobs/get
   * API reference lists 400, 401, 403, 429 and 500 and no 404; the Databricks CLI's {@code
   * acceptance/selftest/record_cloud/error}, recorded on a real workspace, prints "Job 1234 does
   * not exist.".
   */
  private Job existing(long jobId) {
    Job job = jobs.get(jobId);
    if (job == null) {
      throw ApiError.invalid("Job " + jobId + " does not exist.");
    }
    return job;
  }

  private static ArrayNode mergeByKey(ArrayNode existing, ArrayNode changes, String keyField) {
    Map<String, JsonNode> merged = new LinkedHashMap<>();
    List<JsonNode> unkeyed = new ArrayList<>();
    for (JsonNode entry : existing) {
      merged.put(entry.path(keyField).asText(), entry);
    }
    for (JsonNode entry : changes) {
      if (entry.hasNonNull(keyField)) {
        merged.put(entry.get(keyField).asText(), entry.deepCopy());
      } else {
        unkeyed.add(entry.deepCopy());
      }
    }
    ArrayNode result = JSON.createArrayNode();
    merged.values().forEach(result::add);
    unkeyed.forEach(result::add);
    return result;
  }

  /**
   * The keyed arrays {@code fields_to_remove} can take one entry out of. The SDK's Javadoc of
   * {@code UpdateJob.fieldsToRemove}: "Removing nested fields is not supported, except for tasks
   * and job clusters ({@code tasks/task_1})". Whether the service also takes {@code
   * environments/<key>} or {@code parameters/<name>} is not documented; refusing them is the
   * harsher reading.
   */
  private static final Set<String> REMOVABLE_ENTRIES = Set.of("tasks", "job_clusters");

  /**
   * Removes a top-level field, or one entry of {@code tasks} or {@code job_clusters} ({@code
   * tasks/task_1}); other nested fields cannot be removed ({@link #REMOVABLE_ENTRIES}). The message
   * of the refusal is not documented.
   */
  private static void remove(ObjectNode settings, String field) {
    int slash = field.indexOf('/');
    if (slash < 0) {
      settings.remove(field);
      return;
    }
    String array = field.substring(0, slash);
    String key = field.substring(slash + 1);
    if (!REMOVABLE_ENTRIES.contains(array) || key.isEmpty() || key.contains("/")) {
      throw ApiError.invalid(
          "Removing nested field '" + field + "' is not supported; only tasks and job clusters");
    }
    JsonNode entries = settings.path(array);
    if (entries.isArray()) {
      ArrayNode kept = JSON.createArrayNode();
      entries.forEach(
          entry -> {
            if (!entry.path(KEYED_ARRAYS.get(array)).asText().equals(key)) {
              kept.add(entry);
            }
          });
      settings.set(array, kept);
    }
  }

  /**
   * Checks settings as the service does and fills in what it fills in: {@code format} is always
   * {@code MULTI_TASK} (the SDK: "ignored in Create/Update/Reset calls"; the jobs/get API
   * reference: "always set to MULTI_TASK"), a schedule without {@code pause_status} is {@code
   * UNPAUSED}, and a job without a name is named {@code Untitled} with one concurrent run, no
   * timeout and empty email notifications (the jobs/get API reference's defaults: {@code
   * "Untitled"}, {@code 1}, {@code 0} and {@code {}}). The same page, and the Databricks CLI's test
   * server ({@code jobFixUps}), also default {@code webhook_notifications} to {@code {}}, which the
   * simulator does not fill in.
   */
  private static ObjectNode normalize(ObjectNode settings, boolean multipleTriggers) {
    requireKeyed(settings, "tasks", MAX_TASKS);
    requireKeyed(settings, "job_clusters", MAX_JOB_CLUSTERS);
    requireKeyed(settings, "environments", MAX_ENVIRONMENTS);
    requireSchedule(settings.get("schedule"));
    JobTriggers.check(settings, multipleTriggers);
    JsonNode tags = settings.get("tags");
    if (tags != null && !tags.isNull()) {
      if (!tags.isObject()) {
        throw ApiError.invalid("tags must be a map of strings");
      }
      if (tags.size() > MAX_TAGS) {
        throw ApiError.invalid(
            "A job can have at most " + MAX_TAGS + " tags, got " + tags.size() + ".");
      }
    }
    JsonNode maxRuns = settings.get("max_concurrent_runs");
    if (maxRuns != null
        && (!maxRuns.canConvertToInt()
            || maxRuns.asInt() < 0
            || maxRuns.asInt() > MAX_CONCURRENT_RUNS)) {
      throw ApiError.invalid(
          "max_concurrent_runs must be between 0 and " + MAX_CONCURRENT_RUNS + ", got " + maxRuns);
    }
    if (!settings.hasNonNull("name")) {
      settings.put("name", "Untitled");
    }
    if (!settings.has("email_notifications")) {
      settings.putObject("email_notifications");
    }
    if (!settings.has("timeout_seconds")) {
      settings.put("timeout_seconds", 0);
    }
    if (!settings.has("max_concurrent_runs")) {
      settings.put("max_concurrent_runs", 1);
    }
    settings.put("format", "MULTI_TASK");
    return settings;
  }

  /** Every entry of a keyed array names its key, and no key appears twice. */
  private static void requireKeyed(ObjectNode settings, String array, int max) {
    JsonNode entries = settings.get(array);
    if (entries == null || entries.isNull()) {
      return;
    }
    if (!entries.isArray()) {
      throw ApiError.invalid(array + " must be an array");
    }
    if (entries.size() > max) {
      throw ApiError.invalid(
          "A job can have at most " + max + " " + array + ", got " + entries.size() + ".");
    }
    String keyField = KEYED_ARRAYS.get(array);
    Set<String> keys = new HashSet<>();
    for (JsonNode entry : entries) {
      String key = entry.path(keyField).asText("");
      if (key.isBlank()) {
        throw ApiError.invalid("Missing required field: " + array + "." + keyField);
      }
      if (!keys.add(key)) {
        throw ApiError.invalid(
            "The " + keyField + " '" + key + "' is used by more than one entry of " + array + ".");
      }
    }
  }

  /**
   * {@code CronSchedule}: the cron expression and time zone are required (the Databricks CLI's
   * {@code bundle/schema/jsonschema.json}: "This field is required." on both); an absent pause
   * status is {@code UNPAUSED} (the Terraform provider's {@code docs/resources/job.md}: "the server
   * will default to using {@code UNPAUSED}").
   */
  private static void requireSchedule(JsonNode schedule) {
    if (schedule == null || schedule.isNull()) {
      return;
    }
    if (!schedule.isObject()) {
      throw ApiError.invalid("schedule must be an object");
    }
    for (String field : List.of("quartz_cron_expression", "timezone_id")) {
      if (schedule.path(field).asText("").isBlank()) {
        throw ApiError.invalid("Missing required field: schedule." + field);
      }
    }
    ObjectNode cron = (ObjectNode) schedule;
    String pause = cron.path("pause_status").asText("");
    if (pause.isEmpty()) {
      cron.put("pause_status", "UNPAUSED");
    } else if (!pause.equals("PAUSED") && !pause.equals("UNPAUSED")) {
      throw ApiError.invalid("schedule.pause_status must be PAUSED or UNPAUSED, got " + pause);
    }
  }
}
