package dev.failover.workflows.steps;

import java.util.List;

/**
 * What converging (or checking) one batch of a component did.
 *
 * @param counts objects created, updated, unchanged and removed, and retries
 * @param differences the first differences found (a converge fixed them; a check reports them)
 * @param skipped items left alone, each with the reason and the action it needs instead
 */
public record ComponentResult(ChangeCounts counts, List<String> differences, List<String> skipped) {
  public static final ComponentResult NONE =
      new ComponentResult(ChangeCounts.NONE, List.of(), List.of());

  /** At most this many differences or skipped items are kept, so results stay small. */
  public static final int KEPT = 20;

  public ComponentResult plus(ComponentResult other) {
    return new ComponentResult(
        counts.plus(other.counts),
        first(differences, other.differences),
        first(skipped, other.skipped));
  }

  public ComponentResult withRetries(int retries) {
    return new ComponentResult(counts.withRetries(retries), differences, skipped);
  }

  private static List<String> first(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all.subList(0, Math.min(KEPT, all.size())));
  }
}
