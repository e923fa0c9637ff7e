package dev.failover.activities.metrics;

import dev.failover.activities.clients.ApiLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API family a request belongs to, for the labels of the request metrics: the Databricks
 * families of the simulator's realistic cloud profile (read from {@code api-families.json}, a copy
 * of that profile's list), and S3's two, reads and writes, as that profile and the Amazon S3 user
 * guide's request-rate guidance split them.
 */
public final class ApiFamilies {
  private static final ApiLimits DATABRICKS = load();

  private ApiFamilies() {}

  /** The family of a Databricks request; {@code other} when none matches. */
  public static String databricks(String method, String path) {
    ApiLimits.Family family = DATABRICKS.familyOf(method, path);
    return family == null ? "other" : family.name();
  }

  /** The family of an S3 request: GET and HEAD read, the rest write. */
  public static String s3(String method) {
    return method.equals("GET") || method.equals("HEAD") ? "s3-read" : "s3-write";
  }

  private static ApiLimits load() {
    try (InputStream in = ApiFamilies.class.getResourceAsStream("api-families.json")) {
      return ApiLimits.parse("api-families.json", in.readAllBytes(), 1.0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled api-families.json", e);
    }
  }
}
