package dev.failover.activities.fencing;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.PauseStatus;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.errors.CallRetry;
import dev.failover.activities.storage.StateObjects;
import dev.failover.workflows.runbook.FenceSettings;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.FenceResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Fences a workspace and lifts the fence. A fence stops every writer it can: it pauses every job's
 * schedule, trigger, continuous runs and each entry of its [Beta] {@code triggers}, stops the
 * running SQL warehouses and the pipelines with an update under way, and then cancels, waits for or
 * leaves the job runs in progress, as the runbook's {@code fence.runsInProgress} says. What it is
 * about to change is recorded before the change (merged with any earlier record, so a retried fence
 * after a crash or a lost answer loses nothing), and unfencing touches only what the record names:
 * a schedule an operator had paused before the failover stays paused, and a triggered pipeline
 * update or a run the fence cancelled is not started again (its job's triggers start the next one).
 */
public final class WorkspaceFence {
  /**
   * A job the fence paused.
   *
   * @param name its name
   * @param paused the fields it paused: {@code schedule}, {@code trigger}, {@code continuous}, and
   *     each entry of {@code triggers} by index and kind, {@code triggers[0]:periodic}
   */
  public record Job(String name, List<String> paused) {
    public Job {
      paused = paused == null ? List.of() : List.copyOf(paused);
    }
  }

  /**
   * A pipeline the fence stopped.
   *
   * @param name its name
   * @param continuous whether it is continuous (and is started again by unfencing)
   */
  public record Pipeline(String name, boolean continuous) {}

  /**
   * What a fence changed.
   *
   * @param jobs jobs whose schedule, trigger or continuous runs were paused, by job id
   * @param warehouses stopped warehouses, by id
   * @param pipelines stopped pipelines, by id
   * @param runs runs the fence cancelled, by run id
   * @param runId the run that fenced
   */
  public record Record(
      Map<Long, Job> jobs,
      Map<String, String> warehouses,
      Map<String, Pipeline> pipelines,
      Map<Long, String> runs,
      String runId) {
    public Record {
      jobs = jobs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(jobs);
      warehouses = warehouses == null ? new LinkedHashMap<>() : new LinkedHashMap<>(warehouses);
      pipelines = pipelines == null ? new LinkedHashMap<>() : new LinkedHashMap<>(pipelines);
      runs = runs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(runs);
    }

    /** Adds a job's paused fields to what was recorded for it. */
    void addJob(long id, Job job) {
      Job was = jobs.get(id);
      LinkedHashSet<String> fields = new LinkedHashSet<>(was == null ? List.of() : was.paused());
      fields.addAll(job.paused());
      jobs.put(id, new Job(job.name(), List.copyOf(fields)));
    }
  }

  /**
   * How often, at most, the fence polls what ends asynchronously (cancelled runs, stopping
   * pipelines); the first polls come sooner ({@link Pacing}).
   */
  public static final Duration POLL_EVERY = Duration.ofSeconds(2);

  /**
   * The longest wait for stopping pipelines: with the runs' wait (at most {@link
   * FenceSettings#MAX_WAIT_MINUTES}) it must fit the fence activity's 30-minute time limit.
   */
  static final Duration PIPELINE_STOP_BOUND = Duration.ofMinutes(5);

  private final StateObjects state;
  private final IntConsumer progress;
  private final JobTriggersFence triggers;
  private final Warehouses warehouses;
  private final PipelinesFence pipelines;
  private final RunsInProgress runs;
  private final Pacing pacing;
  private final AtomicInteger done = new AtomicInteger();

  public WorkspaceFence(
      WorkspaceClient workspace, StateObjects state, CallRetry retry, IntConsumer progress) {
    this(
        workspace,
        state,
        retry,
        progress,
        Clock.systemUTC(),
        POLL_EVERY,
        d -> Thread.sleep(d.toMillis()));
  }

  /** A fence that waits by the given clock, polling every {@code pollEvery} with the sleeper. */
  public WorkspaceFence(
      WorkspaceClient workspace,
      StateObjects state,
      CallRetry retry,
      IntConsumer progress,
      Clock clock,
      Duration pollEvery,
      CallRetry.Sleeper sleeper) {
    this.state = state;
    this.progress = progress;
    this.triggers = new JobTriggersFence(workspace, retry);
    this.warehouses = new Warehouses(workspace, retry);
    this.pipelines = new PipelinesFence(workspace, retry);
    this.pacing = new Pacing(clock, pollEvery, sleeper);
    this.runs = new RunsInProgress(workspace, retry, pacing);
  }

  public FenceResult fence(FenceRequest request) {
    String side = request.workspace().side();
    Writers writers = writers(side);
    Record record = load(request);
    writers
        .jobs()
        .forEach(
            (job, fields) ->
                record.addJob(job.getJobId(), new Job(job.getSettings().getName(), fields)));
    record.warehouses().putAll(writers.warehouses());
    record.pipelines().putAll(writers.pipelines());
    // Recorded first: a worker that dies between two changes leaves a record a retry completes.
    if (!writers.isEmpty()) {
      state.save(request.store(), request.stateKey(), record);
    }
    // Jobs and warehouses are different API families, each paced on its own: side by side.
    Concurrently.Both<List<String>, List<String>> paused =
        Concurrently.both(
            () -> pauseJobs(writers.jobs()), () -> stopWarehouses(writers.warehouses(), side));
    // Pipelines and runs end asynchronously and independently: their waits overlap. Runs come
    // after the jobs' triggers are paused, so no new run starts behind the read of those active.
    List<String> pipelineRisks = new ArrayList<>();
    List<String> runRisks = new ArrayList<>();
    Concurrently.Both<List<String>, List<String>> ended =
        Concurrently.both(
            () -> stopPipelines(writers.pipelines(), request.settings(), pipelineRisks),
            () -> handleRuns(request, record, runRisks));
    List<String> risks = new ArrayList<>(pipelineRisks);
    risks.addAll(runRisks);
    return new FenceResult(
        side, paused.first(), paused.second(), List.of(), ended.first(), ended.second(), risks);
  }

  /** What writes to the workspace and is not yet fenced: three families read side by side. */
  private record Writers(
      Map<BaseJob, List<String>> jobs,
      Map<String, String> warehouses,
      Map<String, Pipeline> pipelines) {
    boolean isEmpty() {
      return jobs.isEmpty() && warehouses.isEmpty() && pipelines.isEmpty();
    }
  }

  private Writers writers(String side) {
    var read =
        Concurrently.both(
            () -> triggers.unpaused(side),
            () -> Concurrently.both(() -> warehouses.running(side), () -> pipelines.running(side)));
    return new Writers(read.first(), read.second().first(), read.second().second());
  }

  /** Each job's change is its own idempotent request, reported in the order they were found. */
  private List<String> pauseJobs(Map<BaseJob, List<String>> unpaused) {
    return Concurrently.map(
        List.copyOf(unpaused.entrySet()),
        Concurrently.IN_FLIGHT,
        entry -> {
          BaseJob job = entry.getKey();
          triggers.set(job.getJobId(), entry.getValue(), PauseStatus.PAUSED);
          return job.getJobId() + " " + job.getSettings().getName() + " " + entry.getValue();
        },
        n -> tick());
  }

  private List<String> stopWarehouses(Map<String, String> running, String side) {
    return Concurrently.map(
        List.copyOf(running.entrySet()),
        Concurrently.IN_FLIGHT,
        entry -> {
          warehouses.stop(entry.getKey(), entry.getValue(), side);
          return entry.getKey() + " " + entry.getValue();
        },
        n -> tick());
  }

  private List<String> stopPipelines(
      Map<String, Pipeline> updating, FenceSettings settings, List<String> risks) {
    List<String> stopped = new ArrayList<>();
    updating.forEach(
        (id, pipeline) -> {
          pipelines.stop(id, pipeline.name());
          stopped.add(id + " " + pipeline.name() + (pipeline.continuous() ? " (continuous)" : ""));
          tick();
        });
    List<String> stopping =
        pacing.await(
            List.copyOf(updating.keySet()),
            pipelines::stopped,
            PIPELINE_STOP_BOUND.compareTo(Duration.ofMinutes(settings.waitMinutes())) < 0
                ? PIPELINE_STOP_BOUND
                : Duration.ofMinutes(settings.waitMinutes()));
    stopping.forEach(id -> risks.add("pipeline " + updating.get(id).name() + " still stopping"));
    return stopped;
  }

  /**
   * Cancels, waits for or leaves the runs in progress, now that nothing starts new ones. A run of a
   * continuous job never ends by itself, so waiting cancels those too.
   */
  private List<String> handleRuns(FenceRequest request, Record record, List<String> risks) {
    FenceSettings settings = request.settings();
    Map<Long, RunsInProgress.Active> active = runs.active(request.workspace().side());
    if (settings.runsInProgress() == FenceSettings.RunsInProgress.LEAVE) {
      List<String> left = new ArrayList<>();
      active
          .values()
          .forEach(
              run -> {
                left.add(run.label() + ": left running");
                risks.add(run.label() + " left running (fence.runsInProgress: leave)");
              });
      return left;
    }
    Map<Long, String> toCancel = new LinkedHashMap<>();
    active.forEach(
        (id, run) -> {
          if (settings.runsInProgress() == FenceSettings.RunsInProgress.CANCEL
              || continuous(record, run.jobId())) {
            toCancel.put(id, run.label());
          }
        });
    if (!toCancel.isEmpty()) {
      record.runs().putAll(toCancel);
      state.save(request.store(), request.stateKey(), record);
      toCancel.keySet().forEach(runs::cancel);
    }
    List<Long> going =
        runs.awaitEnded(List.copyOf(active.keySet()), Duration.ofMinutes(settings.waitMinutes()));
    List<String> handled = new ArrayList<>();
    active.forEach(
        (id, run) -> {
          boolean cancelled = toCancel.containsKey(id);
          if (going.contains(id)) {
            handled.add(
                run.label() + (cancelled ? ": cancelled, still ending" : ": still running"));
            risks.add(
                run.label() + " still running after " + settings.waitMinutes() + " minute(s)");
          } else {
            handled.add(run.label() + (cancelled ? ": cancelled" : ": ended during the wait"));
          }
          tick();
        });
    return handled;
  }

  /** Whether the fence paused the continuous runs of the job, legacy or an entry of triggers. */
  private static boolean continuous(Record record, Long jobId) {
    Job job = jobId == null ? null : record.jobs().get(jobId);
    return job != null && job.paused().stream().anyMatch(JobTriggersFence::continuous);
  }

  public FenceResult unfence(FenceRequest request) {
    String side = request.workspace().side();
    Optional<Record> found = state.load(request.store(), request.stateKey(), Record.class);
    if (found.isEmpty()) {
      return new FenceResult(
          side, List.of(), List.of(), List.of("no fence recorded for the " + side + " workspace"));
    }
    Record record = found.get();
    List<String> notDone = new ArrayList<>();
    List<String> jobs = resumeJobs(record, notDone);
    List<String> started = new ArrayList<>();
    record
        .warehouses()
        .forEach(
            (id, name) -> {
              if (warehouses.start(id, name, side, notDone)) {
                started.add(id + " " + name);
              }
              tick();
            });
    List<String> restarted = restartPipelines(record, notDone);
    List<String> cancelled =
        record.runs().values().stream()
            .map(run -> run + ": cancelled by the fence, not run again")
            .toList();
    state.delete(request.store(), request.stateKey());
    return new FenceResult(side, jobs, started, notDone, restarted, cancelled, List.of());
  }

  private List<String> resumeJobs(Record record, List<String> notDone) {
    List<String> jobs = new ArrayList<>();
    record
        .jobs()
        .forEach(
            (id, job) -> {
              try {
                List<String> missing = triggers.set(id, job.paused(), PauseStatus.UNPAUSED);
                missing.forEach(f -> notDone.add("job " + id + " " + job.name() + " has no " + f));
                jobs.add(id + " " + job.name() + " " + job.paused());
              } catch (ApplicationFailure e) {
                if (!FailureTypes.NOT_FOUND.equals(e.getType())) {
                  throw e;
                }
                notDone.add("job " + id + " " + job.name() + " no longer exists");
              }
              tick();
            });
    return jobs;
  }

  /** Starts the continuous pipelines the fence stopped; a stopped triggered update stays so. */
  private List<String> restartPipelines(Record record, List<String> notDone) {
    List<String> restarted = new ArrayList<>();
    record
        .pipelines()
        .forEach(
            (id, pipeline) -> {
              if (!pipeline.continuous()) {
                notDone.add(
                    "pipeline "
                        + pipeline.name()
                        + ": its triggered update was stopped and is not run again");
                return;
              }
              try {
                pipelines.start(id, pipeline.name());
                restarted.add(id + " " + pipeline.name() + " (continuous)");
              } catch (ApplicationFailure e) {
                if (!FailureTypes.NOT_FOUND.equals(e.getType())) {
                  throw e;
                }
                notDone.add("pipeline " + pipeline.name() + " no longer exists");
              }
              tick();
            });
    return restarted;
  }

  private Record load(FenceRequest request) {
    return state
        .load(request.store(), request.stateKey(), Record.class)
        .orElse(new Record(Map.of(), Map.of(), Map.of(), Map.of(), request.runId()));
  }

  private void tick() {
    progress.accept(done.incrementAndGet());
  }
}
