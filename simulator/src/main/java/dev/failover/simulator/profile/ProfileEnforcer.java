package dev.failover.simulator.profile;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Plays a cloud profile at the simulator's HTTP layer: each request is admitted against its
 * family's token bucket (per workspace, or per S3 bucket and partitioned prefix) or refused, and an
 * admitted one waits its family's latency; a SQL statement also holds one of the workspace's
 * warehouse slots for its run time.
 *
 * <p>The statement's run time is served within its submission: the simulator's statements finish at
 * the next look (see {@code StatementsState}), so the submission is where the profile makes them
 * take time. Throughput is what the profile implies either way: statements times run time divided
 * by concurrency.
 */
public final class ProfileEnforcer {
  private final CloudProfile profile;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> warehouses = new ConcurrentHashMap<>();
  private final SplittableRandom random = new SplittableRandom();

  public ProfileEnforcer(CloudProfile profile) {
    this.profile = profile;
  }

  public CloudProfile profile() {
    return profile;
  }

  /** What to do with one request: refuse it, or delay it by {@code latencyMillis}. */
  public record Admission(
      boolean throttled, long latencyMillis, String family, boolean statement) {}

  /**
   * Admits a workspace or account API request.
   *
   * @param scope the workspace's side (each workspace has its own limits)
   */
  public Admission databricks(String scope, String method, String path) {
    CloudProfile.Family family = profile.databricksFamily(method, path);
    boolean admitted = bucket(scope + "|" + family.family(), family.requestsPerSecond()).take();
    boolean statement =
        family.family().equals("sql-statements")
            && method.equals("POST")
            && (path.equals("/api/2.0/sql/statements") || path.equals("/api/2.0/sql/statements/"));
    return new Admission(!admitted, sample(family.latencyMs()), family.family(), statement);
  }

  /** Admits an S3 request to a bucket and key. */
  public Admission s3(String method, String bucket, String key) {
    CloudProfile.S3Family family = profile.s3Family(method);
    String prefix = key == null || key.indexOf('/') < 0 ? "" : key.substring(0, key.indexOf('/'));
    boolean admitted =
        bucket(bucket + "/" + prefix + "|" + family.family(), family.requestsPerSecondPerPrefix())
            .take();
    return new Admission(!admitted, sample(family.latencyMs()), family.family(), false);
  }

  /**
   * Admits a CloudWatch request to a region's endpoint, or answers null when the profile has no
   * CloudWatch family (no limit, no latency).
   */
  public Admission cloudWatch(String region) {
    CloudProfile.CloudWatchFamily family = profile.cloudwatch();
    if (family == null) {
      return null;
    }
    boolean admitted =
        bucket("cloudwatch/" + region + "|" + family.family(), family.requestsPerSecondPerRegion())
            .take();
    return new Admission(!admitted, sample(family.latencyMs()), family.family(), false);
  }

  /**
   * Runs a SQL statement's time on one of the workspace's warehouse slots, waiting for a slot as a
   * warehouse queues statements beyond its concurrency.
   */
  public void runStatement(String scope) throws InterruptedException {
    Semaphore slots =
        warehouses.computeIfAbsent(
            scope, s -> new Semaphore(profile.sqlWarehouse().concurrentStatements(), true));
    slots.acquire();
    try {
      Thread.sleep(sample(profile.sqlWarehouse().statementMs()));
    } finally {
      slots.release();
    }
  }

  public int retryAfterSeconds() {
    return profile.retryAfterSeconds();
  }

  private TokenBucket bucket(String key, double perSecond) {
    return buckets.computeIfAbsent(
        key, k -> new TokenBucket(perSecond, Math.max(1, perSecond * profile.burstSeconds())));
  }

  private long sample(CloudProfile.Latency latency) {
    double gaussian;
    synchronized (random) {
      gaussian = nextGaussian();
    }
    return Math.round(latency.median() * Math.exp(latency.sigmaOf() * gaussian));
  }

  /** Box-Muller: SplittableRandom has no Gaussian of its own on Java 17. */
  private double nextGaussian() {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A token bucket refilled continuously at a rate, holding at most {@code capacity}. */
  static final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(double perSecond, double capacity) {
      this.perNano = perSecond / 1e9;
      this.capacity = capacity;
      this.tokens = capacity;
    }

    synchronized boolean take() {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
