package dev.failover.activities.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs the independent items of one batch a few at a time, so that a batch waits on the API's rate
 * limit (which the pacer keeps) rather than on one round trip after another. Results come back in
 * the items' order; progress is told from the calling thread, so an activity's heartbeat stays
 * where it was. The first failure is thrown once the items before it are done; the rest are
 * cancelled.
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
      for (Future<R> future : pending) {
        results.add(result(future));
        progress.accept(results.size());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

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
