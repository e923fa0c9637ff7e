package dev.failover.workflows.steps;

import java.util.List;

/**
 * What a fence or unfence did.
 *
 * @param side the workspace's side
 * @param jobs the jobs whose schedule was paused (fence) or unpaused (unfence), as {@code id name}
 * @param warehouses the SQL warehouses stopped (fence) or started (unfence), as {@code id name}
 * @param notDone what could not be done and why (for example a job deleted since the fence)
 */
public record FenceResult(
    String side, List<String> jobs, List<String> warehouses, List<String> notDone) {
  public FenceResult {
    jobs = List.copyOf(jobs);
    warehouses = List.copyOf(warehouses);
    notDone = List.copyOf(notDone);
  }

  public String summary(String verbJobs, String verbWarehouses) {
    return side
        + " workspace: "
        + jobs.size()
        + " job schedule(s) "
        + verbJobs
        + ", "
        + warehouses.size()
        + " SQL warehouse(s) "
        + verbWarehouses
        + (notDone.isEmpty() ? "" : "; not done: " + String.join("; ", notDone));
  }
}
