package dev.failover.activities.clients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs the independent items of one batch a few at a time, so that a batch waits on the API's rate
 * limit (which the pacer keeps) rather than on one round trip after another. Results come back in
 * the items' order; progress is told from the calling thread, so an activity's heartbeat stays
 * where it was. The first failure is thrown once the items before it are done, those not started
 * are never started, and those running have finished: no write of a failed batch is still in flight
 * when its activity reports the failure.
 */
public final class Concurrently {
  /** Requests one batch keeps in flight. */
  public static final int IN_FLIGHT = 8;

  private Concurrently() {}

  public static <T, R> List<R> map(
      List<T> items, int inFlight, Function<T, R> work, IntConsumer progress) {
    if (items.size() <= 1 || inFlight <= 1) {
      List<R> results = new ArrayList<>();
      for (T item : items) {
        results.add(work.apply(item));
        progress.accept(results.size());
      }
      return results;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(inFlight, items.size()),
            r -> {
              Thread thread = new Thread(r, "batch-item");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<R>> pending = new ArrayList<>();
      for (T item : items) {
        pending.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>();
      try {
        for (Future<R> future : pending) {
          results.add(result(future));
          progress.accept(results.size());
        }
      } catch (RuntimeException | Error failure) {
        settle(pending, pool);
        throw failure;
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * After an item failed: the items not started are not started, and those running are waited for,
   * so that the batch fails only once no write of it is still in flight. A retry of the batch then
   * reads what they wrote instead of racing them. The wait is bounded by {@link #SETTLE}: each
   * item's requests have their own timeouts, well within it.
   */
  private static <R> void settle(List<Future<R>> pending, ExecutorService pool) {
    pending.forEach(future -> future.cancel(false));
    pool.shutdown();
    try {
      pool.awaitTermination(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The longest a failing batch waits for its items still running. */
  static final Duration SETTLE = Duration.ofMinutes(5);

  /** The results of two reads made side by side. */
  public record Both<A, B>(A first, B second) {}

  /**
   * Runs two independent reads side by side; a failure of {@code first} is thrown before one of
   * {@code second}, as if they had run one after the other.
   */
  @SuppressWarnings("unchecked")
  public static <A, B> Both<A, B> both(Supplier<A> first, Supplier<B> second) {
    List<Supplier<?>> reads = List.of(first, second);
    List<Object> results = map(reads, reads.size(), Supplier::get, n -> {});
    return new Both<>((A) results.get(0), (B) results.get(1));
  }

  private static <R> R result(Future<R> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running a batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
