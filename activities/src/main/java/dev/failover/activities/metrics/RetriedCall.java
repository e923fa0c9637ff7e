package dev.failover.activities.metrics;

/**
 * Carries "the next request repeats a failed call" from the engine's own call-level retry ({@code
 * CallRetry}, which runs the call on its own thread) to the HTTP layer that counts the request, so
 * that {@link EngineMetrics#RETRIES} counts the engine's retries as well as the SDKs'.
 */
public final class RetriedCall {
  private static final ThreadLocal<Boolean> NEXT_IS_RETRY = ThreadLocal.withInitial(() -> false);

  private RetriedCall() {}

  /** The call is about to be tried again on this thread. */
  public static void mark() {
    NEXT_IS_RETRY.set(true);
  }

  /** Clears the mark: the attempt is over, whether or not it sent a request. */
  public static void clear() {
    NEXT_IS_RETRY.set(false);
  }

  /** Whether the request being sent is the first of a retried call; clears the mark. */
  public static boolean take() {
    boolean retry = NEXT_IS_RETRY.get();
    NEXT_IS_RETRY.set(false);
    return retry;
  }
}
