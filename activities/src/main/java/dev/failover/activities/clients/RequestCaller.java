package dev.failover.activities.clients;

/**
 * The activity a request is sent for, named on the request in {@link #HEADER}, so that a request
 * log (a proxy's, the simulator's, the benchmark's) can tell steps apart that run side by side. It
 * is held per thread and inherited by the threads an activity starts to send its requests side by
 * side ({@code Concurrently}, the backlog's HEADs): those threads are created for each call, so
 * none outlives the activity that made it.
 */
public final class RequestCaller {
  /** The header that names the activity; not a signed header of AWS requests, nor a secret. */
  public static final String HEADER = "X-Failover-Activity";

  private static final InheritableThreadLocal<String> CURRENT = new InheritableThreadLocal<>();

  private RequestCaller() {}

  /** Names the activity running on this thread, and on the threads it starts from now on. */
  public static void set(String activityType) {
    CURRENT.set(activityType);
  }

  public static void clear() {
    CURRENT.remove();
  }

  /** The activity this thread sends requests for, or null outside one. */
  static String current() {
    return CURRENT.get();
  }
}
