package dev.failover.workflows.runbook;

import java.util.List;

/**
 * A runbook, version 1: which workspace fails over to which, where the replicated data lives, and
 * what the run must achieve. It holds names of credential profiles, never secrets.
 *
 * <p>Instances are built by {@link RunbookParser}, which validates every field first, so code that
 * receives a {@code Runbook} can rely on its invariants (for example, both sides list the same
 * number of buckets, paired by position).
 */
public record Runbook(
    int version,
    String name,
    Side primary,
    Side secondary,
    List<PathRewrite> storagePathRewrites,
    Objectives objectives,
    Approval approval,
    Scope scope) {

  /** One side of the deployment: a region, its workspace, and the buckets it owns. */
  public record Side(
      String region, String workspaceHost, String credentialProfile, List<String> buckets) {}

  /** Rewrites a storage URL that starts with {@code from} (a primary prefix) to {@code to}. */
  public record PathRewrite(String from, String to) {
    /** Applies the first matching rewrite, or returns the URL unchanged (null stays null). */
    public static String apply(List<PathRewrite> rewrites, String url) {
      if (url == null) {
        return null;
      }
      for (PathRewrite rewrite : rewrites) {
        if (url.startsWith(rewrite.from())) {
          return rewrite.to() + url.substring(rewrite.from().length());
        }
      }
      return url;
    }
  }

  /** Recovery objectives the report measures the run against. */
  public record Objectives(int rtoMinutes, int rpoMinutes) {}

  /**
   * Who must approve a run before it changes anything, and for which modes.
   *
   * @param required whether failover and failback wait for an approval
   * @param requiredForDrill whether a drill waits for an approval too
   * @param approvers the people or groups allowed to approve (informational until approvals are
   *     authenticated)
   * @param timeoutMinutes how long a run waits for an approval before it ends as not approved
   */
  public record Approval(
      boolean required, boolean requiredForDrill, List<String> approvers, int timeoutMinutes) {}

  /**
   * Which Unity Catalog objects the run manages. An empty list of catalogs means every catalog of
   * the active workspace except the system ones.
   */
  public record Scope(List<String> catalogs) {}

  /** The replica bucket paired with the {@code index}-th primary bucket. */
  public String replicaOf(int index) {
    return secondary.buckets().get(index);
  }

  /** Where snapshots and reports are kept: the first replica bucket, which survives an outage. */
  public String stateBucket() {
    return secondary.buckets().get(0);
  }
}
