package dev.failover.workflows.steps;

import java.util.List;

/**
 * What converging (or checking) one batch of a component did.
 *
 * @param counts objects created, updated, unchanged and removed, and retries
 * @param differences the first differences found (a converge fixed them; a check reports them)
 * @param skipped items left alone, each with the reason and the action it needs instead
 * @param refused items converge would not create or change because doing so would harm data or
 *     could not be right (a Delta table whose replica has no log), each with the reason and what to
 *     do; the others are converged, and the step then fails naming these. Null in results recorded
 *     before refusals existed.
 */
public record ComponentResult(
    ChangeCounts counts, List<String> differences, List<String> skipped, List<String> refused) {
  public static final ComponentResult NONE =
      new ComponentResult(ChangeCounts.NONE, List.of(), List.of(), List.of());

  /** At most this many differences or skipped items are kept, so results stay small. */
  public static final int KEPT = 20;

  /** A result with nothing refused. */
  public ComponentResult(ChangeCounts counts, List<String> differences, List<String> skipped) {
    this(counts, differences, skipped, List.of());
  }

  /** The refused items; empty for results recorded before refusals existed. */
  public List<String> refusedItems() {
    return refused == null ? List.of() : refused;
  }

  public ComponentResult plus(ComponentResult other) {
    return new ComponentResult(
        counts.plus(other.counts),
        first(differences, other.differences),
        first(skipped, other.skipped),
        all(refusedItems(), other.refusedItems()));
  }

  public ComponentResult withRetries(int retries) {
    return new ComponentResult(counts.withRetries(retries), differences, skipped, refused);
  }

  private static List<String> first(List<String> a, List<String> b) {
    List<String> all = all(a, b);
    return List.copyOf(all.subList(0, Math.min(KEPT, all.size())));
  }

  /** Every refused item is kept: each is a table a person has to act on. */
  private static List<String> all(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
