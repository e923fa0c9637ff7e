package dev.failover.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Faults the simulator injects, per route, at a given rate: throttling with {@code Retry-After},
 * server errors, slow responses and dropped connections, as real APIs produce them under load.
 * Except for a slow response, a faulted request is answered before it is handled, so it changes
 * nothing. Decisions come from a seeded random source, so a failing test can be reproduced with the
 * same seed. A slow response is handled after the delay, so its effect lands although the client
 * has given up: the case that tests a retry's idempotence most.
 */
public final class Faults {
  /** The kinds of fault. */
  public enum Kind {
    /**
     * HTTP 429 (Databricks {@code REQUEST_LIMIT_EXCEEDED}; S3 answers 503 SlowDown) with
     * Retry-After; IAM and CloudWatch answer 400 {@code Throttling}, without it.
     */
    THROTTLE,
    /** HTTP 500. */
    SERVER_ERROR,
    /** HTTP 503. */
    UNAVAILABLE,
    /** The response comes after {@link Rule#slowMillis()}, past a client's timeout. */
    SLOW,
    /** The connection is closed without a response. */
    DROP,
    /**
     * HTTP 403 (Databricks {@code PERMISSION_DENIED}, S3 {@code AccessDenied}): not a transient
     * fault but a misconfigured grant, which a run must report at once rather than retry.
     */
    PERMISSION_DENIED,
    /**
     * The request is handled, then the connection closes without an answer: the effect lands at
     * once and the client, seeing an I/O error, retries. Only for {@link Faults#failNext}.
     */
    ANSWER_LOST;

    /** The faults a retry can get past. */
    public static final List<Kind> TRANSIENT =
        List.of(THROTTLE, SERVER_ERROR, UNAVAILABLE, SLOW, DROP);
  }

  /**
   * Where and how often to inject faults.
   *
   * @param service {@code databricks}, {@code s3}, {@code iam}, {@code cloudwatch}, or {@code *}
   *     for every service
   * @param pathPrefix the request paths affected ("" for every path)
   * @param rate the probability that a matching request is faulted, 0 to 1
   * @param kinds the kinds to choose from, uniformly
   * @param slowMillis how long a {@link Kind#SLOW} response is held
   */
  public record Rule(
      String service, String pathPrefix, double rate, List<Kind> kinds, long slowMillis) {
    public Rule {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("fault rate must be between 0 and 1, got " + rate);
      }
      kinds = List.copyOf(kinds);
    }

    /**
     * A route spared from every rule added after this one (a rule with no kinds): for a call that
     * has no safe retry when its answer is lost, to keep it out of a general fault rate.
     */
    public static Rule spare(String service, String pathPrefix) {
      return new Rule(service, pathPrefix, 1, List.of(), 0);
    }

    /** Every transient kind, on every route of every service. */
    public static Rule everywhere(double rate, long slowMillis) {
      return new Rule("*", "", rate, Kind.TRANSIENT, slowMillis);
    }

    boolean matches(String requestService, String path) {
      return (service.equals("*") || service.equals(requestService)) && path.startsWith(pathPrefix);
    }
  }

  private final List<Rule> rules = new CopyOnWriteArrayList<>();

  /** Faults for the next requests of one method on a route, ahead of every rule. */
  private record Next(String service, String method, String pathPrefix, Kind kind) {}

  private final List<Next> next = new java.util.ArrayList<>();

  /**
   * Each service and side draws from its own stream with a fixed seed, so the faults one side sees
   * do not depend on how its requests interleave with another side's, and a failing run can be
   * reproduced.
   */
  private final Map<String, Random> streams = new HashMap<>();

  /** The seed a simulator's faults start with. */
  public static final long DEFAULT_SEED = 42;

  private long seed = DEFAULT_SEED;
  private int injected;

  /**
   * Draws the fault decisions from this seed from now on, so that runs can try other sequences of
   * faults and a failing one can be replayed.
   */
  public synchronized void seed(long seed) {
    this.seed = seed;
    streams.clear();
  }

  /** Adds a rule; rules are tried in the order added. */
  public void add(Rule rule) {
    rules.add(rule);
  }

  /**
   * Fails the next {@code count} requests of {@code method} on the route with {@code kind}, before
   * any rule is consulted: to make the first attempt of one call fail so that its retry, and only
   * its retry, reaches the service. {@code pathPrefix} is matched against the path followed by
   * {@code ?} and the raw query, so that one operation on an object can be singled out.
   */
  public synchronized void failNext(
      String service, String method, String pathPrefix, int count, Kind kind) {
    for (int i = 0; i < count; i++) {
      next.add(new Next(service, method, pathPrefix, kind));
    }
  }

  public synchronized void clear() {
    rules.clear();
    next.clear();
  }

  /** How many faults have been injected since the start. */
  public synchronized int injected() {
    return injected;
  }

  /** The fault to inject into this request, or null. */
  synchronized Injected pick(
      String service, String side, String method, String path, String rawQuery) {
    String target = rawQuery == null ? path : path + "?" + rawQuery;
    for (Next planned : next) {
      if (planned.service().equals(service)
          && planned.method().equals(method)
          && target.startsWith(planned.pathPrefix())) {
        next.remove(planned);
        injected++;
        return new Injected(planned.kind(), 0);
      }
    }
    Random random =
        streams.computeIfAbsent(service + "/" + side, key -> new Random(seed ^ key.hashCode()));
    for (Rule rule : rules) {
      if (rule.matches(service, path) && rule.kinds().isEmpty()) {
        return null;
      }
      if (rule.matches(service, path) && random.nextDouble() < rule.rate()) {
        injected++;
        return new Injected(
            rule.kinds().get(random.nextInt(rule.kinds().size())), rule.slowMillis());
      }
    }
    return null;
  }

  /** A fault chosen for one request. */
  record Injected(Kind kind, long slowMillis) {}
}
