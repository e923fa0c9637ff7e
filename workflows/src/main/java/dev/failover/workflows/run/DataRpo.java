package dev.failover.workflows.run;

import dev.failover.workflows.steps.ReplicationHealth;
import java.util.List;

/**
 * The data RPO of a run against its objective, as every report states it.
 *
 * <p>The backlog's age (the oldest version still pending) bounds what would be lost only while
 * every version is on its way. A version S3 marked FAILED is not on its way: S3 never retries it,
 * so it is lost with the source region however old or young it is, and no number of seconds is an
 * honest RPO. Such a run's RPO is therefore UNBOUNDED and the objective NOT met, whatever the
 * backlog's age. A pair whose source did not answer leaves the RPO UNKNOWN, never "met" on the
 * strength of the other pairs.
 *
 * @param verdict how the RPO compares with the objective
 * @param backlogSeconds the oldest pending version's age over the measured pairs (0 when nothing is
 *     pending), or null when no pair could be measured
 * @param objectiveSeconds the runbook's RPO objective
 * @param failedVersions versions S3 gave up replicating, over all pairs
 * @param unmeasuredPairs the pairs whose source bucket did not answer
 */
public record DataRpo(
    Verdict verdict,
    Long backlogSeconds,
    long objectiveSeconds,
    int failedVersions,
    List<String> unmeasuredPairs) {

  /** How the data RPO compares with its objective. */
  public enum Verdict {
    /** Nothing failed, every pair measured, the backlog within the objective. */
    MET,
    /** The backlog is older than the objective. */
    MISSED,
    /** Versions failed to replicate: they are lost with the source, so no bound holds. */
    UNBOUNDED,
    /** A source bucket did not answer, so its backlog is not known. */
    UNKNOWN,
    /** No replication was measured in this run (no readiness yet, or no bucket pairs). */
    NOT_MEASURED
  }

  public DataRpo {
    unmeasuredPairs = List.copyOf(unmeasuredPairs);
  }

  public static DataRpo of(RunReport report) {
    List<ReplicationHealth> pairs = report.replication() == null ? List.of() : report.replication();
    int failed =
        pairs.stream().filter(ReplicationHealth::sourceReachable).mapToInt(h -> h.failed()).sum();
    List<String> unmeasured =
        pairs.stream().filter(h -> !h.sourceReachable()).map(ReplicationHealth::pair).toList();
    Long backlog = report.dataRpoSeconds();
    long objective = report.rpoObjectiveSeconds();
    return new DataRpo(
        verdict(pairs, failed, unmeasured, backlog, objective),
        backlog,
        objective,
        failed,
        unmeasured);
  }

  private static Verdict verdict(
      List<ReplicationHealth> pairs,
      int failed,
      List<String> unmeasured,
      Long backlog,
      long objective) {
    if (pairs.isEmpty()) {
      return Verdict.NOT_MEASURED;
    }
    if (failed > 0) {
      // Known loss beats an unknown: say what is certain first.
      return Verdict.UNBOUNDED;
    }
    if (!unmeasured.isEmpty() || backlog == null) {
      return Verdict.UNKNOWN;
    }
    return backlog <= objective ? Verdict.MET : Verdict.MISSED;
  }

  /** Whether the objective holds: only MET says yes. */
  public boolean met() {
    return verdict == Verdict.MET;
  }

  /** One line for the reports, without the leading "data RPO". */
  public String summary() {
    String backlog = backlogSeconds == null ? "unknown" : backlogSeconds + " s";
    return switch (verdict) {
      case MET -> backlog + " (objective " + objectiveSeconds + " s: met)";
      case MISSED -> backlog + " (objective " + objectiveSeconds + " s: MISSED)";
      case UNBOUNDED ->
          "UNBOUNDED (objective "
              + objectiveSeconds
              + " s: NOT MET): "
              + failedVersions
              + " object version(s) failed to replicate and will never arrive without action;"
              + " backlog of pending versions "
              + backlog;
      case UNKNOWN ->
          "UNKNOWN (objective "
              + objectiveSeconds
              + " s: not known to be met): the source of pair(s) "
              + String.join(", ", unmeasuredPairs)
              + " did not answer; backlog of the pairs measured "
              + backlog;
      case NOT_MEASURED -> "not measured (no bucket pair was read in this run)";
    };
  }
}
