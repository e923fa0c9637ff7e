package dev.failover.workflows.steps;

/**
 * What a converge step did to the objects it manages, and how many retries it took (calls retried
 * after a transient API failure, plus repeated attempts of the activity itself).
 */
public record ChangeCounts(int created, int updated, int unchanged, int deleted, int retries) {
  public static final ChangeCounts NONE = new ChangeCounts(0, 0, 0, 0, 0);

  public ChangeCounts(int created, int updated, int unchanged, int deleted) {
    this(created, updated, unchanged, deleted, 0);
  }

  public ChangeCounts plus(ChangeCounts other) {
    return new ChangeCounts(
        created + other.created,
        updated + other.updated,
        unchanged + other.unchanged,
        deleted + other.deleted,
        retries + other.retries);
  }

  public ChangeCounts withRetries(int count) {
    return new ChangeCounts(created, updated, unchanged, deleted, count);
  }
}
