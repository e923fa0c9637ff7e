package dev.failover.simulator;

/**
 * How many requests the simulator's handlers are answering at once: now, at the most since the last
 * reset, and on average over a span (the time all handlers spent answering, over the span's
 * length). A client that keeps N requests in flight should show about N here; fewer means something
 * between the client's threads and the handlers (connection pools, the server's dispatcher, a lock)
 * holds them back.
 */
public final class InFlight {
  private int now;
  private int peak;
  private long busyNanos;
  private long since = System.nanoTime();
  private final java.util.Set<java.net.InetSocketAddress> clients = new java.util.HashSet<>();

  synchronized void begin(java.net.InetSocketAddress client) {
    clients.add(client);
    now++;
    peak = Math.max(peak, now);
  }

  synchronized void end(long startedNanos) {
    now--;
    busyNanos += System.nanoTime() - startedNanos;
  }

  /** Starts a new span: the peak is the current count, the average starts over. */
  public synchronized void reset() {
    peak = now;
    busyNanos = 0;
    clients.clear();
    since = System.nanoTime();
  }

  /** Requests being answered now. */
  public synchronized int now() {
    return now;
  }

  /** The most requests answered at once since the last reset. */
  public synchronized int peak() {
    return peak;
  }

  /**
   * The connections requests came on since the last reset (by the client's address and port): a
   * client that keeps its connections alive opens about as many as it sends requests at once.
   */
  public synchronized int connections() {
    return clients.size();
  }

  /**
   * Requests answered at once on average since the last reset (counting the ones that ended within
   * it).
   */
  public synchronized double average() {
    long span = System.nanoTime() - since;
    return span <= 0 ? 0 : (double) busyNanos / span;
  }
}
