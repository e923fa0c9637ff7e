package dev.failover.activities.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Which versions of a lookback window the backlog scan asks for their replication status, chosen
 * while the listing streams by, in memory bounded by the budget whatever the window's size.
 *
 * <p>The sample has two strata. The newest {@link #newestSize} versions are all inspected: S3
 * replicates in the order objects are written, so a backlog sits at the tail of the window, and
 * inspecting the tail in full finds a stalled replication's pending versions exactly. The rest of
 * the window is sampled uniformly at random (a reservoir of {@link #randomSize}), which estimates
 * the pending fraction of the older versions with a stated error. When the window holds no more
 * versions than the budget, every version is inspected and the count is exact.
 */
final class BacklogSample {
  /** HEAD requests one measurement of one bucket pair direction may send. */
  static final int DEFAULT_BUDGET = 800;

  private final int newestSize;
  private final int randomSize;
  private final SplittableRandom random;
  private final PriorityQueue<ObjectVersion> newest =
      new PriorityQueue<>(Comparator.comparing(ObjectVersion::lastModified));
  private final List<ObjectVersion> reservoir = new ArrayList<>();
  private int window;
  private long olderSeen;

  BacklogSample(int budget, SplittableRandom random) {
    if (budget < 2) {
      throw new IllegalArgumentException("backlog sample budget must be at least 2: " + budget);
    }
    this.newestSize = budget / 2;
    this.randomSize = budget - newestSize;
    this.random = random;
  }

  /**
   * Takes one version of the window as the listing yields it. The listing's ranges offer from
   * several threads at once, so this is synchronized; the strata keep their meaning whatever the
   * order of arrival: the newest are the newest by time, and Algorithm R samples its stream
   * uniformly in any order.
   */
  synchronized void offer(ObjectVersion version) {
    window++;
    newest.add(version);
    if (newest.size() > newestSize) {
      older(newest.poll());
    }
  }

  /** Algorithm R: each older version ends up in the reservoir with the same probability. */
  private void older(ObjectVersion version) {
    olderSeen++;
    if (reservoir.size() < randomSize) {
      reservoir.add(version);
      return;
    }
    long slot = random.nextLong(olderSeen);
    if (slot < randomSize) {
      reservoir.set((int) slot, version);
    }
  }

  /** Versions in the window. */
  synchronized int window() {
    return window;
  }

  /** Whether every version of the window is inspected. */
  synchronized boolean exact() {
    return olderSeen == reservoir.size();
  }

  /** The newest versions, all inspected. */
  synchronized List<ObjectVersion> newest() {
    return List.copyOf(newest);
  }

  /** The uniform sample of the older versions (all of them when {@link #exact()}). */
  synchronized List<ObjectVersion> older() {
    return List.copyOf(reservoir);
  }

  /** How many versions are older than the newest stratum. */
  synchronized long olderPopulation() {
    return olderSeen;
  }

  /**
   * The 95% Wilson score interval of a count in a population, from {@code hits} of {@code n}
   * sampled uniformly; clamped to what the sample itself proves ({@code hits} at least, and no more
   * than the population less the sampled misses).
   */
  static long[] interval(long hits, long n, long population) {
    if (n == 0 || n >= population) {
      return new long[] {hits, hits};
    }
    double z = 1.959964;
    double p = (double) hits / n;
    double denominator = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
    long low = Math.max(hits, (long) Math.floor(Math.max(0, centre - half) * population));
    long high =
        Math.min(
            population - (n - hits), (long) Math.ceil(Math.min(1, centre + half) * population));
    return new long[] {low, Math.max(low, high)};
  }
}
