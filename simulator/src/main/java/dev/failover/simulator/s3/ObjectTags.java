package dev.failover.simulator.s3;

import dev.failover.simulator.http.HttpExchanges;
import java.util.Map;
import java.util.TreeMap;

/**
 * Object tags: the {@code x-amz-tagging} header (URL query form, {@code k1=v1&k2=v2}) of PutObject,
 * CopyObject and CreateMultipartUpload, and the limits of the S3 user guide ("Categorizing your
 * storage using tags"): at most 10 tags per object, unique keys of 1 to 128 and values of up to 256
 * characters, and no key in the reserved {@code aws:} namespace.
 */
final class ObjectTags {
  private ObjectTags() {}

  /** The tags of an {@code x-amz-tagging} header; none without one. */
  static Map<String, String> parse(String header, String bucket) {
    Map<String, String> tags = new TreeMap<>();
    if (header == null || header.isEmpty()) {
      return tags;
    }
    for (String pair : header.split("&")) {
      int eq = pair.indexOf('=');
      String key = HttpExchanges.decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : HttpExchanges.decode(pair.substring(eq + 1));
      if (tags.put(key, value) != null) {
        throw invalidTag("Cannot provide multiple Tags with the same key", bucket);
      }
    }
    return tags;
  }

  static void validate(Map<String, String> tags, String bucket) {
    if (tags.size() > 10) {
      throw invalidTag("Object tags cannot be greater than 10", bucket);
    }
    tags.forEach(
        (key, value) -> {
          if (key.isEmpty() || key.length() > 128) {
            throw invalidTag("The TagKey you have provided is invalid", bucket);
          }
          if (value.length() > 256) {
            throw invalidTag("The TagValue you have provided is invalid", bucket);
          }
          if (key.startsWith("aws:")) {
            throw invalidTag("Your TagKey cannot be prefixed with aws:", bucket);
          }
        });
  }

  private static S3Error invalidTag(String message, String bucket) {
    return new S3Error(400, "InvalidTag", message, bucket);
  }
}
