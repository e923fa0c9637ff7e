package dev.failover.simulator.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A cloud profile as {@code profiles/*.json} writes it: per API family of a Databricks workspace a
 * rate limit and a latency distribution, the SQL warehouse's statement concurrency and run time,
 * and S3's per-prefix rates and latency. Each figure carries its source in the file.
 *
 * @param name the profile's name
 * @param retryAfterSeconds the Retry-After a throttled request is answered with
 * @param burstSeconds how many seconds of requests a family's bucket holds
 * @param databricks the workspace API families, matched in order (the first match wins)
 * @param sqlWarehouse statement concurrency and run time
 * @param s3 the S3 families by HTTP method
 * @param cloudwatch CloudWatch's one family (GetMetricData and ListMetrics share it), or null for
 *     no CloudWatch limits
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CloudProfile(
    String name,
    int retryAfterSeconds,
    double burstSeconds,
    List<Family> databricks,
    SqlWarehouse sqlWarehouse,
    List<S3Family> s3,
    CloudWatchFamily cloudwatch) {

  /** The profile built into the simulator under this name. */
  public static final String REALISTIC = "realistic";

  /** A latency distribution: log-normal through its median and 99th percentile. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Latency(double median, double p99) {
    /** The log-normal's sigma: the 99th percentile is exp(mu + 2.326 sigma). */
    public double sigmaOf() {
      return p99 <= median ? 0 : Math.log(p99 / median) / 2.326348;
    }
  }

  /** One path prefix, optionally only for some HTTP methods. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Match(String prefix, List<String> methods) {
    boolean matches(String method, String path) {
      return path.startsWith(prefix) && (methods == null || methods.contains(method));
    }
  }

  /** A workspace API family. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Family(
      String family, List<Match> match, double requestsPerSecond, Latency latencyMs) {}

  /** The SQL warehouse's statement concurrency and one statement's run time. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SqlWarehouse(int concurrentStatements, Latency statementMs) {}

  /** An S3 family by HTTP method, limited per bucket and partitioned prefix. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record S3Family(
      String family, List<String> methods, double requestsPerSecondPerPrefix, Latency latencyMs) {}

  /** CloudWatch's requests, limited per region (and account: the simulator holds one). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CloudWatchFamily(
      String family, double requestsPerSecondPerRegion, Latency latencyMs) {}

  /** The family a workspace or account API request belongs to. */
  public Family databricksFamily(String method, String path) {
    for (Family family : databricks) {
      if (family.match().stream().anyMatch(m -> m.matches(method, path))) {
        return family;
      }
    }
    throw new IllegalStateException("profile " + name + " has no family for " + path);
  }

  /** The family an S3 request belongs to. */
  public S3Family s3Family(String method) {
    String upper = method.toUpperCase(Locale.ROOT);
    return s3.stream()
        .filter(f -> f.methods().contains(upper))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("profile has no S3 family for " + method));
  }

  /** The name of the family of any request the simulator answers, for reports. */
  public String familyOf(String service, String method, String path) {
    return switch (service) {
      case "s3" -> s3Family(method).family();
      case "iam" -> "iam";
      case "cloudwatch" -> cloudwatch == null ? "cloudwatch" : cloudwatch.family();
      default -> databricksFamily(method, path).family();
    };
  }

  /** A built-in profile by name ({@value #REALISTIC}), or a profile file by path. */
  public static CloudProfile load(String nameOrPath) {
    ObjectMapper json = new ObjectMapper();
    try {
      if (nameOrPath.equals(REALISTIC)) {
        try (InputStream in =
            CloudProfile.class.getResourceAsStream("/profiles/" + REALISTIC + ".json")) {
          return json.readValue(in, CloudProfile.class);
        }
      }
      return json.readValue(Files.readAllBytes(Path.of(nameOrPath)), CloudProfile.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cloud profile " + nameOrPath, e);
    }
  }
}
