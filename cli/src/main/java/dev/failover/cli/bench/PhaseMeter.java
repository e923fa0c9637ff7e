package dev.failover.cli.bench;

import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.profile.CloudProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the simulator's request log of a phase into its figures and the profile's lower bound: for
 * each workspace and family, its requests divided by its rate limit; for S3, per bucket and
 * partitioned prefix likewise; for SQL, statements times mean run time divided by the warehouse's
 * concurrency. The phase's bound is the largest of these.
 */
final class PhaseMeter {
  private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);
  private static final String STATEMENTS = "sql-statements";

  private final CloudProfile profile;

  PhaseMeter(CloudProfile profile) {
    this.profile = profile;
  }

  PhaseResult measure(
      String phase,
      double scale,
      double wallSeconds,
      List<RecordedRequest> requests,
      PhaseResult.Heap heap,
      long historyEvents) {
    Map<String, Long> byFamily = new TreeMap<>();
    Map<String, Double> secondsByLimit = new TreeMap<>();
    long throttled = 0;
    long retries = 0;
    for (RecordedRequest request : requests) {
      String family = profile.familyOf(request.service(), request.method(), request.path());
      byFamily.merge(family, 1L, Long::sum);
      if (request.status() == 429 || (request.service().equals("s3") && request.status() == 503)) {
        throttled++;
      }
      if (RETRIED.contains(request.status())) {
        retries++;
      }
      String scope = scope(request);
      if (scope != null) {
        secondsByLimit.merge(scope + " " + family, 1 / rate(request), Double::sum);
      }
      if (isStatement(request)) {
        secondsByLimit.merge(
            request.side() + " " + STATEMENTS + " run time", statementShare(), Double::sum);
      }
    }
    Map.Entry<String, Double> bound =
        secondsByLimit.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .orElse(Map.entry("none", 0.0));
    return new PhaseResult(
        phase,
        scale,
        wallSeconds,
        byFamily,
        throttled,
        retries,
        heap,
        historyEvents,
        bound.getValue(),
        bound.getKey(),
        Map.of(),
        PhaseResult.Cpu.NONE);
  }

  /**
   * A phase measured against the sum of its parts' bounds, for parts that must happen one after
   * another (a failover's readiness, fence, promotion and writes): each part's bound is that of its
   * own requests, and the phase's is their sum.
   */
  PhaseResult measureParts(
      String phase,
      double scale,
      double wallSeconds,
      Map<String, List<RecordedRequest>> parts,
      long historyEvents) {
    double bound = 0;
    List<String> setBy = new ArrayList<>();
    List<RecordedRequest> all = new ArrayList<>();
    for (Map.Entry<String, List<RecordedRequest>> part : parts.entrySet()) {
      PhaseResult measured =
          measure(part.getKey(), scale, 0, part.getValue(), PhaseResult.Heap.NONE, -1);
      bound += measured.boundSeconds();
      setBy.add(
          String.format(
              Locale.ROOT,
              "%s %.1f: %s",
              part.getKey(),
              measured.boundSeconds(),
              measured.boundFamily()));
      all.addAll(part.getValue());
    }
    return measure(phase, scale, wallSeconds, all, PhaseResult.Heap.NONE, historyEvents)
        .withBound(bound, "sum of " + String.join(" + ", setBy));
  }

  /** What one limit counts per: a workspace (or the account), or an S3 bucket's prefix. */
  private static String scope(RecordedRequest request) {
    return switch (request.service()) {
      case "iam" -> null;
      case "s3" -> s3Prefix(request.path());
      default -> request.side();
    };
  }

  private static String s3Prefix(String path) {
    String[] parts = path.startsWith("/") ? path.substring(1).split("/", 3) : path.split("/", 3);
    return parts.length < 3 ? parts[0] + "/" : parts[0] + "/" + parts[1];
  }

  private double rate(RecordedRequest request) {
    return switch (request.service()) {
      case "s3" -> profile.s3Family(request.method()).requestsPerSecondPerPrefix();
      case "cloudwatch" ->
          profile.cloudwatch() == null
              ? Double.POSITIVE_INFINITY
              : profile.cloudwatch().requestsPerSecondPerRegion();
      default -> profile.databricksFamily(request.method(), request.path()).requestsPerSecond();
    };
  }

  private static boolean isStatement(RecordedRequest request) {
    return request.method().equals("POST")
        && request.status() == 200
        && (request.path().equals("/api/2.0/sql/statements")
            || request.path().equals("/api/2.0/sql/statements/"));
  }

  /** One statement's share of the warehouse: its mean run time over the concurrency, seconds. */
  private double statementShare() {
    CloudProfile.SqlWarehouse warehouse = profile.sqlWarehouse();
    double sigma = warehouse.statementMs().sigmaOf();
    double meanMs = warehouse.statementMs().median() * Math.exp(sigma * sigma / 2);
    return meanMs / 1000 / warehouse.concurrentStatements();
  }
}
