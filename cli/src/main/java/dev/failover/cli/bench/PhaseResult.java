package dev.failover.cli.bench;

import java.util.Map;

/**
 * One measured phase of the benchmark.
 *
 * @param phase what was run
 * @param scale the scale it ran at
 * @param wallSeconds how long it took
 * @param requestsByFamily requests answered, per API family
 * @param throttled requests answered 429 (S3: 503 SlowDown)
 * @param retries requests answered with a status the clients retry (429, 500, 502, 503, 504)
 * @param heap the worker process's heap during the phase, or {@link Heap#NONE} when not measured
 *     separately
 * @param historyEvents the run's workflow history events, or -1 for a part of a run
 * @param boundSeconds the profile's lower bound for these requests
 * @param boundFamily the family that sets the bound
 * @param stepSeconds for a whole run, each step's wall seconds in the order the steps started, so a
 *     reader sees where the phase's time went; empty for a phase that is one step
 * @param cpu the CPU time the worker and the sandbox used in the phase, or {@link Cpu#NONE} when
 *     not measured separately
 */
public record PhaseResult(
    String phase,
    double scale,
    double wallSeconds,
    Map<String, Long> requestsByFamily,
    long throttled,
    long retries,
    Heap heap,
    long historyEvents,
    double boundSeconds,
    String boundFamily,
    Map<String, Double> stepSeconds,
    Cpu cpu) {

  /**
   * The CPU time used in a phase by the two JVMs of the benchmark, which share the machine's cores.
   *
   * @param workerSeconds the worker process's, its collections and compilation included
   * @param sandboxSeconds the sandbox process's: the simulator, the Temporal test server and the
   *     benchmark itself (in a real deployment, the cloud's and Temporal's, on other machines)
   * @param simulatorSeconds of the sandbox's, the simulator's request threads' while answering
   * @param workerGcPauseSeconds the worker's collectors' pauses, as their beans count them: a heap
   *     too small for what the worker holds shows here first
   * @param cores the processors the machine has: {@code (worker + sandbox) / (wall * cores)} near 1
   *     says the phase was bound by CPU, not by the profile's rates
   */
  public record Cpu(
      double workerSeconds,
      double sandboxSeconds,
      double simulatorSeconds,
      double workerGcPauseSeconds,
      int cores) {
    public static final Cpu NONE = new Cpu(-1, -1, -1, -1, 0);

    public boolean measured() {
      return workerSeconds >= 0;
    }

    /** The share of the machine's cores the two processes kept busy over {@code wallSeconds}. */
    public double busy(double wallSeconds) {
      return (workerSeconds + sandboxSeconds) / (wallSeconds * cores);
    }
  }

  /**
   * The heap's peaks in a phase.
   *
   * @param peakMiB the most in use, garbage not yet collected included
   * @param afterGcMiB the most in use right after a collection: closer to what the phase holds
   */
  public record Heap(long peakMiB, long afterGcMiB) {
    public static final Heap NONE = new Heap(-1, -1);

    public boolean measured() {
      return peakMiB >= 0;
    }
  }

  public PhaseResult {
    stepSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stepSeconds));
  }

  /** This phase with the run's steps' wall seconds. */
  public PhaseResult withSteps(Map<String, Double> steps) {
    return new PhaseResult(
        phase,
        scale,
        wallSeconds,
        requestsByFamily,
        throttled,
        retries,
        heap,
        historyEvents,
        boundSeconds,
        boundFamily,
        steps,
        cpu);
  }

  /** This phase with the CPU time its run used. */
  public PhaseResult withCpu(Cpu used) {
    return new PhaseResult(
        phase,
        scale,
        wallSeconds,
        requestsByFamily,
        throttled,
        retries,
        heap,
        historyEvents,
        boundSeconds,
        boundFamily,
        stepSeconds,
        used);
  }

  /** This phase against another bound, set by what {@code setBy} says. */
  public PhaseResult withBound(double seconds, String setBy) {
    return new PhaseResult(
        phase,
        scale,
        wallSeconds,
        requestsByFamily,
        throttled,
        retries,
        heap,
        historyEvents,
        seconds,
        setBy,
        stepSeconds,
        cpu);
  }

  public long requests() {
    return requestsByFamily.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Measured over bound; infinity when the bound is 0. */
  public double ratio() {
    return boundSeconds <= 0 ? Double.POSITIVE_INFINITY : wallSeconds / boundSeconds;
  }
}
