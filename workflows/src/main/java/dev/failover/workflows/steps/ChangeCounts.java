package dev.failover.workflows.steps;

/** What a converge step did to the objects it manages. */
public record ChangeCounts(int created, int updated, int unchanged, int deleted) {
  public static final ChangeCounts NONE = new ChangeCounts(0, 0, 0, 0);

  public ChangeCounts plus(ChangeCounts other) {
    return new ChangeCounts(
        created + other.created,
        updated + other.updated,
        unchanged + other.unchanged,
        deleted + other.deleted);
  }
}
