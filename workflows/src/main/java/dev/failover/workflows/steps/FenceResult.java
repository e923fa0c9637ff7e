package dev.failover.workflows.steps;

import java.util.ArrayList;
import java.util.List;

/**
 * What a fence or unfence did.
 *
 * @param side the workspace's side
 * @param jobs the jobs whose schedule, trigger or continuous runs were paused (fence) or unpaused
 *     (unfence), as {@code id name (what)}
 * @param warehouses the SQL warehouses stopped (fence) or started (unfence), as {@code id name}
 * @param notDone what could not be done and why (for example a job deleted since the fence)
 * @param pipelines the pipelines stopped (fence) or started again (unfence), as {@code id name
 *     (continuous|triggered update)}
 * @param runs the job runs in progress the fence found and what became of each (cancelled, ended
 *     during the wait, left running); for an unfence, the runs the fence had cancelled
 * @param risks what may still write to the fenced side: runs left running or still going at the end
 *     of the wait, pipelines still stopping
 */
public record FenceResult(
    String side,
    List<String> jobs,
    List<String> warehouses,
    List<String> notDone,
    List<String> pipelines,
    List<String> runs,
    List<String> risks) {
  public FenceResult {
    jobs = copy(jobs);
    warehouses = copy(warehouses);
    notDone = copy(notDone);
    pipelines = copy(pipelines);
    runs = copy(runs);
    risks = copy(risks);
  }

  /** A result about schedules and warehouses only. */
  public FenceResult(
      String side, List<String> jobs, List<String> warehouses, List<String> notDone) {
    this(side, jobs, warehouses, notDone, List.of(), List.of(), List.of());
  }

  private static List<String> copy(List<String> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  public String summary(String verbJobs, String verbWarehouses) {
    List<String> parts = new ArrayList<>();
    parts.add(jobs.size() + " job(s) " + verbJobs);
    parts.add(warehouses.size() + " SQL warehouse(s) " + verbWarehouses);
    parts.add(pipelines.size() + " pipeline(s) " + verbWarehouses);
    if (!runs.isEmpty()) {
      parts.add(runs.size() + " run(s): " + String.join("; ", runs));
    }
    return side
        + " workspace: "
        + String.join(", ", parts)
        + (risks.isEmpty() ? "" : "; RISKS: " + String.join("; ", risks))
        + (notDone.isEmpty() ? "" : "; not done: " + String.join("; ", notDone));
  }
}
