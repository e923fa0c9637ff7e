package dev.failover.activities.components.jobs;

import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.Job;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.JsonValues;
import dev.failover.activities.components.compute.RegionalFields;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Jobs. A job has no name the service keeps unique, so its identity is a tag: the copy in the other
 * workspace carries {@link #KEY_TAG} naming the job it copies ({@code <host>#<job id>} of the
 * original), and a retry, a resumed run or the next drill finds the copy by it and never duplicates
 * the job. Copies are created paused (schedule, trigger and continuous runs, and each entry of the
 * [Beta] {@code triggers}; {@link CopyTriggers}); {@link #restoreSchedules} gives them back the
 * pause status the original had, in a failover or failback (a drill leaves them paused).
 *
 * <p>The full settings are read with {@code jobs/get}, following its pages ({@link #allPages}), so
 * a job with more than 100 tasks keeps all of them; storage URLs anywhere in the settings are
 * rewritten to the replica buckets. Settings are read and written as JSON ({@link JobsJson}), not
 * through the SDK's {@code JobSettings}, which lacks {@code triggers} and would drop them.
 */
public final class JobsComponent implements Component<JobItem> {
  /** The tag on a copy that names the original job. */
  public static final String KEY_TAG = "failover-job";

  private static final ObjectMapper SDK_JSON = JobsJson.SDK_JSON;

  @Override
  public String name() {
    return "jobs";
  }

  /** Reads a request per object ({@link Component#readsEachObject}). */
  @Override
  public boolean readsEachObject() {
    return true;
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  @Override
  public boolean trustedWhenUnchanged() {
    return true;
  }

  @Override
  public Class<JobItem> type() {
    return JobItem.class;
  }

  @Override
  public String key(JobItem item) {
    return item.key();
  }

  @Override
  public List<JobItem> read(ComponentContext workspace) {
    return read(workspace, job -> {});
  }

  /**
   * Hands on each job that names no warehouse, policy, cluster, pool, pipeline, dashboard,
   * destination or other job ({@link #standsAlone}) as soon as its {@code jobs/get} has answered.
   */
  @Override
  public List<JobItem> read(
      ComponentContext workspace, java.util.function.Consumer<JobItem> standalone) {
    List<JobItem> jobs = new ArrayList<>();
    List<BaseJob> listed = list(workspace);
    Map<Long, String> keysById = new java.util.HashMap<>();
    listed.forEach(
        job ->
            keysById.put(
                job.getJobId(), keyOf(workspace, job.getJobId(), tags(job.getSettings()))));
    // jobs/get per job, a few at a time, the items in the listing's order; beside them, the names
    // of the warehouses, policies and clusters the settings may name by id (another API family).
    Concurrently.Both<List<JobItem>, Map<String, String>> both =
        Concurrently.both(
            () ->
                Concurrently.map(
                    listed,
                    Concurrently.IN_FLIGHT,
                    job -> handedOn(full(workspace, job.getJobId()), standalone),
                    n -> {}),
            () -> listed.isEmpty() ? Map.of() : WorkspaceObjects.namesById(workspace));
    Map<String, String> names = both.second();
    for (JobItem item : both.first()) {
      Map<String, String> ids = referencedIds(item.settings());
      Map<String, String> references = new java.util.TreeMap<>();
      for (String reference : ids.keySet()) {
        String name = names.get(reference);
        if (name != null) {
          references.put(reference, name);
        }
      }
      references.putAll(JobReferences.jobsRun(item.settings(), keysById));
      jobs.add(item.withReferences(references));
    }
    return JobReferences.referencedFirst(jobs);
  }

  /**
   * The job, handed to {@code standalone} first when it {@link #standsAlone}, as read returns it.
   */
  private static JobItem handedOn(JobItem job, java.util.function.Consumer<JobItem> standalone) {
    if (standsAlone(job.settings())) {
      // A standalone job's references are the read's empty map: the same as the snapshot stores.
      standalone.accept(job.withReferences(new java.util.TreeMap<>()));
    }
    return job;
  }

  /**
   * Whether the settings name no other object of the workspace, by id or otherwise: no warehouse,
   * policy or existing cluster ({@link #REFERENCE_FIELDS}) and no field {@link JobReferences} fits
   * (jobs run, pools, pipelines, dashboards, destinations). Paths of notebooks and files do not
   * count: the Jobs API resolves them only when the job runs (see {@code Step.CONVERGE_JOBS}).
   */
  static boolean standsAlone(JsonNode settings) {
    return referencedIds(settings).isEmpty() && JobReferences.find(settings).isEmpty();
  }

  /**
   * A job that {@link #standsAlone} can be written before groups, warehouses and clusters are
   * converged once the target lists the identity it runs as: a run-as identity is the account's,
   * and reaches a workspace by assignment, perhaps through a group that {@code converge-groups}
   * assigns; until the target lists it, the job waits for the batches, which run after that step. A
   * job with no room for the tool's tag waits too: the batches refuse it, naming it.
   */
  @Override
  public boolean convergesAhead(JobItem item, ComponentContext target) {
    return item.runAs() != null
        && standsAlone(item.settings())
        && item.settings().path("tags").size() < MAX_TAGS
        && identities.present(target, item.runAs());
  }

  /**
   * The fields of job settings that name another workspace object by its id, by kind, resolved by
   * name; the other such fields are in {@link JobReferences}.
   */
  static final Map<String, String> REFERENCE_FIELDS =
      Map.of(
          "warehouse_id", WorkspaceObjects.WAREHOUSE,
          "policy_id", WorkspaceObjects.POLICY,
          "existing_cluster_id", WorkspaceObjects.CLUSTER);

  /** Every {@code <kind>:<id>} the settings name, anywhere in them. */
  static Map<String, String> referencedIds(JsonNode settings) {
    Map<String, String> found = new java.util.TreeMap<>();
    JsonFields.visit(
        settings,
        (parent, field, value) -> {
          String kind = kindOf(field);
          if (kind != null) {
            found.put(kind + ":" + value, field);
          }
          return value;
        });
    return found;
  }

  /** The kind of object a field names by its id; null for other fields and array elements. */
  private static String kindOf(String field) {
    return field == null ? null : REFERENCE_FIELDS.get(field);
  }

  /**
   * Points the settings' references at the target's objects of the same name; a name the target
   * lacks fails the step, since a copy pointing at another workspace's id would fail at its first
   * run.
   */
  private void remap(JsonNode settings, JobItem captured, ComponentContext target) {
    JsonFields.visit(
        settings,
        (parent, field, value) -> {
          String kind = kindOf(field);
          if (kind == null) {
            return value;
          }
          String name = captured.references().get(kind + ":" + value);
          if (name == null) {
            return value;
          }
          String id = targetIds(target).get(kind + ":" + name);
          if (id == null) {
            // Read again once: the objects may have been converged since they were first read.
            targetIds.remove(target.host());
            id = targetIds(target).get(kind + ":" + name);
          }
          if (id == null) {
            // Not a failure yet: a dry run previews jobs before the objects they use exist. The
            // copy cannot be written with another workspace's id, so create and update refuse.
            unresolved.put(
                captured.key(),
                "job "
                    + captured.name()
                    + " uses the "
                    + kind
                    + " '"
                    + name
                    + "', which "
                    + target.host()
                    + " does not have; converge the "
                    + WorkspaceObjects.plural(kind)
                    + " first");
            return value;
          }
          return id;
        });
  }

  /** The target's objects, {@code <kind>:<name>} to id, read once per component instance. */
  private Map<String, String> targetIds(ComponentContext target) {
    return targetIds.computeIfAbsent(target.host(), host -> WorkspaceObjects.idsByName(target));
  }

  private final Map<String, Map<String, String>> targetIds =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Jobs whose references the target cannot resolve, with the reason, by key. */
  private final Map<String, String> unresolved = new java.util.concurrent.ConcurrentHashMap<>();

  /** Jobs whose copy cannot carry the tool's identity tag, with the reason, by key. */
  private final Map<String, String> untaggable = new java.util.concurrent.ConcurrentHashMap<>();

  /** Zones, instance profiles and S3 destinations of the job's clusters, fitted or refused. */
  private final RegionalFields regional = new RegionalFields();

  /** Jobs run, pipelines, pools, dashboards, destinations: resolved, dropped or refused. */
  private final JobReferences references = new JobReferences();

  private void requireResolved(JobItem want) {
    regional.requireLocal(want.key());
    String reason = unresolved.get(want.key());
    if (reason != null) {
      throw ApplicationFailure.newNonRetryableFailure(reason, FailureTypes.NOT_FOUND);
    }
    reason = untaggable.get(want.key());
    if (reason != null) {
      throw ApplicationFailure.newNonRetryableFailure(reason, FailureTypes.INVALID_REQUEST);
    }
  }

  /** The most tags a job can have (the SDK's {@code JobSettings.tags}: "A maximum of 25"). */
  public static final int MAX_TAGS = 25;

  /**
   * The target's copies of the wanted jobs, read in full; other jobs are only listed, so a
   * workspace with thousands of jobs is not read job by job for one batch.
   */
  @Override
  public Map<String, JobItem> current(ComponentContext target, List<JobItem> wanted) {
    Set<String> keys = new java.util.HashSet<>();
    wanted.forEach(job -> keys.add(job.key()));
    return withKeys(target, keys);
  }

  /** The jobs with these keys, read in full; the others are only listed. */
  @Override
  public Map<String, JobItem> withKeys(ComponentContext target, Set<String> keys) {
    Map<String, Long> ids = new LinkedHashMap<>();
    for (BaseJob job : list(target)) {
      String key = keyOf(target, job.getJobId(), tags(job.getSettings()));
      if (keys.contains(key)) {
        ids.putIfAbsent(key, job.getJobId());
      }
    }
    return inFull(target, ids);
  }

  /**
   * The jobs that carry this tool's tag, read in full; the others, the target's own jobs, are only
   * listed: a captured job can still name one of them (the original of a copy the other side
   * holds).
   */
  @Override
  public Copies<JobItem> copies(ComponentContext target) {
    Map<String, Long> ids = new LinkedHashMap<>();
    Set<String> onlyListed = new java.util.HashSet<>();
    for (BaseJob job : list(target)) {
      Map<String, String> tags = tags(job.getSettings());
      String key = keyOf(target, job.getJobId(), tags);
      if (tags.containsKey(KEY_TAG)) {
        ids.putIfAbsent(key, job.getJobId());
      } else {
        onlyListed.add(key);
      }
    }
    return new Copies<>(inFull(target, ids), onlyListed);
  }

  /** jobs/get per job, a few at a time, by key; the map keeps the order of {@code ids}. */
  private Map<String, JobItem> inFull(ComponentContext target, Map<String, Long> ids) {
    List<JobItem> read =
        Concurrently.map(
            List.copyOf(ids.values()), Concurrently.IN_FLIGHT, id -> full(target, id), n -> {});
    Map<String, JobItem> found = new LinkedHashMap<>();
    List<String> inOrder = List.copyOf(ids.keySet());
    for (int i = 0; i < inOrder.size(); i++) {
      found.put(inOrder.get(i), read.get(i));
    }
    return found;
  }

  public static List<BaseJob> list(ComponentContext workspace) {
    return workspace
        .retry()
        .databricks(
            "list the jobs of " + workspace.host(),
            () -> {
              List<BaseJob> all = new ArrayList<>();
              workspace
                  .workspace()
                  .jobs()
                  .list(new ListJobsRequest().setLimit(100L))
                  .forEach(all::add);
              return all;
            });
  }

  /**
   * The job with every page of its settings, and the identity it runs as. Read as JSON ({@link
   * JobsJson}), so that fields SDK 0.141.0 lacks, {@code triggers} among them, are kept.
   */
  private JobItem full(ComponentContext workspace, long jobId) {
    ObjectNode raw =
        workspace
            .retry()
            .databricks(
                "read job " + jobId + " in " + workspace.host(), () -> allPages(workspace, jobId));
    Job job = SDK_JSON.convertValue(raw, Job.class);
    ObjectNode json = withoutRunAs(raw.path("settings"));
    return new JobItem(
        keyOf(workspace, jobId, tags(json)),
        jobId,
        json,
        Map.of(),
        identities.runAs(workspace, job),
        job.getCreatorUserName());
  }

  /** The arrays {@code jobs/get} pages, as listed in the SDK's {@code JobsAPI.get}. */
  private static final List<String> PAGED_ARRAYS =
      List.of("tasks", "job_clusters", "parameters", "environments");

  /**
   * {@code jobs/get} page by page, appending each page's tasks, job clusters, parameters and
   * environments to the first page's. Later pages carry these lists empty when they have no more
   * entries ("Arrays without additional results will be empty on later pages", the jobs/get API
   * reference), perhaps also one the first page left out because the job has none; a list the first
   * page lacks is taken as empty. The SDK's {@code JobsExt.get} appends to the first page's list as
   * it is, and throws a NullPointerException there. A retry reads from the first page again.
   */
  static ObjectNode allPages(ComponentContext workspace, long jobId) {
    ObjectNode job = JobsJson.get(workspace.workspace(), jobId, null);
    String token = job.path("next_page_token").asText("");
    while (!token.isEmpty()) {
      ObjectNode page = JobsJson.get(workspace.workspace(), jobId, token);
      if (job.path("settings").isObject() && page.path("settings").isObject()) {
        appendPage((ObjectNode) job.get("settings"), page.get("settings"));
      }
      token = page.path("next_page_token").asText("");
    }
    job.remove("next_page_token");
    return job;
  }

  private static void appendPage(ObjectNode whole, JsonNode page) {
    for (String array : PAGED_ARRAYS) {
      JsonNode more = page.path(array);
      if (more.isArray() && !more.isEmpty()) {
        whole.withArray(array).addAll((com.fasterxml.jackson.databind.node.ArrayNode) more);
      }
    }
  }

  /** Who the jobs run as, read and set. */
  private final JobIdentities identities = new JobIdentities();

  /**
   * The settings as JSON without {@code run_as}, which reads show when it was set explicitly: the
   * identity is {@link JobItem#runAs}, compared on its own, since a copy always has one set and an
   * original often has none.
   */
  private static ObjectNode withoutRunAs(JsonNode settings) {
    ObjectNode json =
        settings.isObject() ? (ObjectNode) settings.deepCopy() : SDK_JSON.createObjectNode();
    json.remove("run_as");
    // An empty list of triggers starts nothing; left out, a copy never sends it beside a legacy
    // schedule, which a workspace refuses ("Cannot be set in the same request").
    if (json.path("triggers").isArray() && json.get("triggers").isEmpty()) {
      json.remove("triggers");
    }
    return json;
  }

  public static Map<String, String> tags(JobSettings settings) {
    return settings == null || settings.getTags() == null ? Map.of() : settings.getTags();
  }

  /** The tags of settings read as JSON. */
  static Map<String, String> tags(JsonNode settings) {
    Map<String, String> tags = new LinkedHashMap<>();
    settings
        .path("tags")
        .fields()
        .forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asText()));
    return tags;
  }

  /** A copy's key is its tag; an original's is where it lives and its id. */
  public static String keyOf(ComponentContext workspace, long jobId, Map<String, String> tags) {
    String tagged = tags.get(KEY_TAG);
    if (tagged != null) {
      return tagged;
    }
    return hostOf(workspace) + "#" + jobId;
  }

  static String hostOf(ComponentContext workspace) {
    return workspace.host().replaceFirst("^https?://", "");
  }

  /** The settings with storage URLs rewritten and the tool's tags on; schedules as captured. */
  @Override
  public JobItem expected(JobItem captured, ComponentContext target) {
    ObjectNode settings = captured.settings().deepCopy();
    rewriteUrls(settings, target);
    regional.job(captured.key(), captured.name(), settings, target);
    unresolved.remove(captured.key());
    if (captured.references() != null && !captured.references().isEmpty()) {
      remap(settings, captured, target);
    }
    references.fit(captured, settings, target);
    ObjectNode tags = settings.withObject("/tags");
    tags.remove(List.of(KEY_TAG, ComponentContext.OWNERSHIP_TAG));
    untaggable.remove(captured.key());
    if (captured.key().startsWith(hostOf(target) + "#")) {
      // A failback: the target holds the original itself, found by its id; it carries no tags of
      // the tool's.
      if (tags.isEmpty()) {
        settings.remove("tags");
      }
      return copyOf(captured, settings);
    }
    // The identity tag is what finds the copy again; the ownership mark is left out when only one
    // more tag fits. With no room at all, create and update refuse, naming the job.
    int room = MAX_TAGS - tags.size();
    if (room < 1) {
      untaggable.put(
          captured.key(),
          "job "
              + captured.name()
              + " has "
              + tags.size()
              + " tags, the most a job can have, and its copy needs one more ("
              + KEY_TAG
              + ") to be found again by later runs: remove one of its tags where it was captured");
    } else {
      tags.put(KEY_TAG, captured.key());
      if (target.runbook() != null && room >= 2) {
        tags.put(ComponentContext.OWNERSHIP_TAG, target.runbook());
      }
    }
    return copyOf(captured, settings);
  }

  /** What the target must hold: these settings, run as the captured job ran. */
  private static JobItem copyOf(JobItem captured, ObjectNode settings) {
    return new JobItem(
        captured.key(),
        captured.jobId(),
        settings,
        captured.references(),
        captured.runAs(),
        captured.creator());
  }

  private static void rewriteUrls(JsonNode settings, ComponentContext target) {
    JsonFields.visit(settings, (parent, field, value) -> target.rewrite(value));
  }

  /**
   * The top-level settings that differ. Whether a schedule is paused is not compared: converge
   * creates copies paused, and the run's mode decides when they resume.
   */
  @Override
  public List<String> differences(JobItem want, JobItem have) {
    ObjectNode a = comparable(want.settings());
    ObjectNode b = comparable(have.settings());
    Set<String> fields = new java.util.TreeSet<>();
    a.fieldNames().forEachRemaining(fields::add);
    b.fieldNames().forEachRemaining(fields::add);
    List<String> differences = new ArrayList<>();
    for (String field : fields) {
      if (!java.util.Objects.equals(a.get(field), b.get(field))) {
        differences.add(field);
      }
    }
    if (!java.util.Objects.equals(want.runAs(), have.runAs())) {
      differences.add("run_as");
    }
    return differences;
  }

  private static ObjectNode comparable(ObjectNode settings) {
    ObjectNode copy = JsonValues.normalized(settings);
    // The identity is compared through runAs alone, whatever a stored snapshot's settings hold.
    copy.remove("run_as");
    CopyTriggers.withoutPauses(copy);
    return copy;
  }

  /**
   * Jobs are written a few at a time: each is its own create, found again by its own tag after a
   * lost answer. A job that runs another job ({@code run_job_task}) whose copy did not exist when
   * converge read the target waits until the batch's other jobs are written, and those go one after
   * another in the captured order (the job run first), so it is written with the copy's id.
   */
  @Override
  public int inFlight() {
    return Concurrently.IN_FLIGHT;
  }

  @Override
  public boolean waitsForOthers(JobItem item) {
    return references.runsJobWithoutCopy(item.key());
  }

  @Override
  public List<String> createDescribed(JobItem want, ComponentContext target) {
    create(want, target);
    return references.notes(want.key());
  }

  @Override
  public List<String> updateDescribed(
      JobItem want, JobItem have, List<String> differences, ComponentContext target) {
    update(want, have, differences, target);
    return references.notes(want.key());
  }

  @Override
  public void create(JobItem want, ComponentContext target) {
    requireResolved(want);
    JobIdentities.requireKnown(want);
    ObjectNode settings =
        JobIdentities.withRunAs(CopyTriggers.paused(references.complete(want, target)), want);
    // Jobs names are not unique, so a create whose response was lost cannot be told from one that
    // never arrived by the error; a retry first waits for a copy with this key to appear. The first
    // attempt does not look: the converger has just read the target and found none.
    writing(
        want,
        settings,
        target,
        () ->
            target
                .retry()
                .databricksCreateWithoutKey(
                    "create job " + want.name() + " in " + target.host(),
                    () -> java.util.Optional.ofNullable(findCopy(target, want)),
                    () -> JobsJson.create(target.workspace(), settings),
                    target.clients().httpTimeout()));
  }

  /** The copy of {@code want} in the target, by its tag among the jobs with its name, or null. */
  private static Long findCopy(ComponentContext target, JobItem want) {
    JobItem copy = copyNamedAs(target, want);
    return copy == null ? null : copy.jobId();
  }

  /**
   * The copy of {@code want} as {@code jobs/list} shows it, found by its tag among the jobs with
   * its name ({@code jobs/list}'s {@code name}: "A filter on the list based on the exact (case
   * insensitive) job name", the SDK's {@code ListJobsRequest}), or null.
   */
  private static JobItem copyNamedAs(ComponentContext target, JobItem want) {
    for (ObjectNode job : JobsJson.list(target.workspace(), want.name())) {
      JobItem listed = listedItem(target, job);
      if (want.key().equals(listed.key())) {
        return listed;
      }
    }
    return null;
  }

  /** Replaces the copy's settings, keeping whether each of its triggers is paused. */
  @Override
  public void update(
      JobItem want, JobItem have, List<String> differences, ComponentContext target) {
    requireResolved(want);
    JobIdentities.requireKnown(want);
    ObjectNode settings = JobIdentities.withRunAs(references.complete(want, target), want);
    CopyTriggers.keepPauses(settings, have.settings());
    writing(
        want,
        settings,
        target,
        () ->
            target
                .retry()
                .databricks(
                    "update " + differences + " of job " + want.name() + " in " + target.host(),
                    () -> {
                      JobsJson.reset(target.workspace(), have.jobId(), settings);
                      return null;
                    }));
  }

  /**
   * Runs a create or reset of a copy: a refusal of its {@code run_as} refuses the job ({@link
   * JobIdentities#setting}), and so does any other refusal (400 or 403) of settings that carry the
   * [Beta] {@code triggers}, which are "Gated behind the "Multiple Triggers" feature preview" (the
   * Databricks CLI's {@code bundle/schema/jsonschema.json}): a target without the preview refuses
   * that job, named, and the batch goes on. The code such a workspace answers is not documented.
   */
  private <T> T writing(
      JobItem want,
      ObjectNode settings,
      ComponentContext target,
      java.util.function.Supplier<T> write) {
    try {
      return identities.setting(want, target, write);
    } catch (ApplicationFailure e) {
      if (!CopyTriggers.hasList(settings)
          || !(FailureTypes.INVALID_REQUEST.equals(e.getType())
              || FailureTypes.PERMISSION_DENIED.equals(e.getType()))) {
        throw e;
      }
      throw new Component.Refused(
          "job "
              + want.name()
              + " has "
              + settings.get(CopyTriggers.LIST).size()
              + " entries of triggers ([Beta], gated behind the \"Multiple Triggers\" feature"
              + " preview), and "
              + target.host()
              + " refused its settings: enable that preview there, or see its answer ("
              + e.getOriginalMessage()
              + ")");
    }
  }

  @Override
  public void delete(JobItem have, ComponentContext target) {
    try {
      target
          .retry()
          .databricks(
              "delete job " + have.name() + " from " + target.host(),
              () -> {
                target.workspace().jobs().delete(have.jobId());
                return null;
              });
    } catch (ApplicationFailure e) {
      if (!FailureTypes.NOT_FOUND.equals(e.getType())) {
        throw e;
      }
    }
  }

  /** A copy's triggers to set, with their pause status as the original had it. */
  private record ScheduleChange(JobItem copy, ObjectNode triggers) {}

  /** A partial update: the same triggers set again is the same settings, so a retry is safe. */
  private static void setSchedule(ScheduleChange change, ComponentContext target) {
    target
        .retry()
        .databricks(
            "set the schedule of job " + change.copy().name() + " in " + target.host(),
            () -> {
              JobsJson.update(target.workspace(), change.copy().jobId(), change.triggers());
              return null;
            });
  }

  /**
   * The copies of the captured jobs that have a trigger ({@code triggered}), as {@code jobs/list}
   * shows them: its settings leave out only the tasks and job clusters (the SDK's {@code
   * ListJobsRequest.expandTasks}: "Whether to include task and cluster details"), so the triggers
   * are there and a restore does not read each job. A copy listed without a trigger its original
   * has is read in full, so a listing that left the triggers out would cost requests, not a
   * schedule left paused.
   *
   * <p>{@code jobs/list} pages by token, 100 jobs a page, so listing a target that holds a copy of
   * each of {@code captured} jobs waits on at least {@code captured / 100} round trips one after
   * another. When no more originals than that have a trigger, each copy is looked up instead among
   * the jobs with its original's name ({@link #copyNamedAs}), side by side: no more requests, and a
   * few round trips. A copy not found under that name (renamed in the target) sends the restore to
   * the listing.
   */
  private Map<String, JobItem> copiesWithTriggers(
      ComponentContext target, List<JobItem> triggered, int captured) {
    long pages = (captured + LIST_PAGE - 1) / LIST_PAGE;
    Map<String, JobItem> copies = triggered.size() <= pages ? byName(target, triggered) : Map.of();
    if (copies.size() < triggered.size()) {
      copies = listed(target);
    }
    Set<String> readInFull = new java.util.HashSet<>();
    for (JobItem original : triggered) {
      JobItem copy = copies.get(original.key());
      if (copy != null && lacksATriggerOf(original, copy)) {
        readInFull.add(original.key());
      }
    }
    if (!readInFull.isEmpty()) {
      copies.putAll(withKeys(target, readInFull));
    }
    return copies;
  }

  /** The most jobs a page of {@code jobs/list} holds (the SDK's {@code ListJobsRequest.limit}). */
  private static final int LIST_PAGE = 100;

  /** Every job of the target by key, as listed. */
  private static Map<String, JobItem> listed(ComponentContext target) {
    List<ObjectNode> listed =
        target
            .retry()
            .databricks(
                "list the jobs of " + target.host(), () -> JobsJson.list(target.workspace(), null));
    Map<String, JobItem> copies = new LinkedHashMap<>();
    for (ObjectNode job : listed) {
      JobItem item = listedItem(target, job);
      copies.putIfAbsent(item.key(), item);
    }
    return copies;
  }

  /** The copies of {@code originals} found among the jobs with each one's name, by key. */
  private static Map<String, JobItem> byName(ComponentContext target, List<JobItem> originals) {
    List<JobItem> found =
        Concurrently.map(
            originals,
            Concurrently.IN_FLIGHT,
            original ->
                target
                    .retry()
                    .databricks(
                        "list the jobs named " + original.name() + " in " + target.host(),
                        () -> copyNamedAs(target, original)),
            n -> {});
    Map<String, JobItem> copies = new LinkedHashMap<>();
    for (int i = 0; i < originals.size(); i++) {
      if (found.get(i) != null) {
        copies.put(originals.get(i).key(), found.get(i));
      }
    }
    return copies;
  }

  /** A job as {@code jobs/list} shows it, by its key. */
  private static JobItem listedItem(ComponentContext target, ObjectNode job) {
    long jobId = job.path("job_id").asLong();
    JsonNode settings = job.path("settings");
    return new JobItem(keyOf(target, jobId, tags(settings)), jobId, withoutRunAs(settings));
  }

  private static boolean lacksATriggerOf(JobItem original, JobItem copy) {
    return CopyTriggers.lacksATriggerOf(original.settings(), copy.settings());
  }

  /**
   * Gives each copy the pause status its original had when captured, or had before a fence paused
   * it ({@code fenced}: by original job id, the fields and entries of {@code triggers} the fence
   * recorded as paused, which count as running). Copies of originals that were paused stay paused.
   */
  public ComponentResult restoreSchedules(
      List<JobItem> captured,
      Map<Long, List<String>> fenced,
      ComponentContext target,
      IntConsumer progress) {
    List<JobItem> triggered =
        captured.stream().filter(job -> CopyTriggers.hasAny(job.settings())).toList();
    Map<String, JobItem> copies = copiesWithTriggers(target, triggered, captured.size());
    // An original without a trigger has nothing to restore: its copy has none either.
    int unchanged = captured.size() - triggered.size();
    progress.accept(unchanged);
    List<String> missing = new ArrayList<>();
    List<ScheduleChange> changes = new ArrayList<>();
    for (JobItem original : triggered) {
      List<String> paused =
          original.jobId() == null ? List.of() : fenced.getOrDefault(original.jobId(), List.of());
      JobItem copy = copies.get(original.key());
      if (copy == null) {
        missing.add(original.name() + " (" + original.key() + ") has no copy in " + target.host());
        continue;
      }
      ObjectNode change = CopyTriggers.restore(original.settings(), copy.settings(), paused);
      if (change.isEmpty()) {
        progress.accept(++unchanged);
      } else {
        changes.add(new ScheduleChange(copy, change));
      }
    }
    int unchangedCount = unchanged;
    // Each copy's own partial update, a few at a time.
    Concurrently.map(
        changes,
        Concurrently.IN_FLIGHT,
        change -> {
          setSchedule(change, target);
          return null;
        },
        n -> progress.accept(unchangedCount + n));
    int updated = changes.size();
    List<String> resumed =
        changes.stream()
            .limit(ComponentResult.KEPT)
            .map(
                change ->
                    change.copy().name()
                        + ": "
                        + change.triggers().fieldNames().next()
                        + " set as captured")
            .toList();
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newFailure(
          missing.size()
              + " job(s) have no copy to resume, converge jobs first: "
              + String.join("; ", missing.subList(0, Math.min(5, missing.size()))),
          FailureTypes.NOT_FOUND);
    }
    return new ComponentResult(new ChangeCounts(0, updated, unchanged, 0), resumed, List.of());
  }
}
