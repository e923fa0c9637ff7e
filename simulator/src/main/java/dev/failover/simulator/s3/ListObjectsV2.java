package dev.failover.simulator.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * ListObjectsV2: keys in UTF-8 binary order after {@code start-after} or the continuation token,
 * filtered by {@code prefix}, rolled up into {@code CommonPrefixes} by {@code delimiter}, at most
 * {@code max-keys} (up to 1000) entries per page, keys and prefixes counted alike as S3 counts
 * them.
 */
final class ListObjectsV2 {
  private static final int MAX_KEYS = 1000;

  private ListObjectsV2() {}

  static String list(S3State state, String bucket, Map<String, String> query) {
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = query.get("delimiter");
    boolean urlEncoded = "url".equals(query.get("encoding-type"));
    if (query.containsKey("encoding-type") && !urlEncoded) {
      throw new S3Error(
          400, "InvalidArgument", "Invalid Encoding Method specified in Request", bucket);
    }
    int maxKeys = maxKeys(query.get("max-keys"), bucket);
    String token = query.get("continuation-token");
    String startAfter = query.get("start-after");
    Cursor cursor = token != null ? Cursor.decode(token, bucket) : new Cursor(startAfter, false);
    List<String> keys = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    Cursor next = null;
    List<String> all = new ArrayList<>(state.objectKeys(bucket));
    all.sort(ListObjectsV2::compare);
    for (String key : all) {
      if (!key.startsWith(prefix) || !cursor.before(key)) {
        continue;
      }
      String rolledUp = rollUp(key, prefix, delimiter);
      if (rolledUp != null
          && !prefixes.isEmpty()
          && rolledUp.equals(prefixes.get(prefixes.size() - 1))) {
        continue;
      }
      if (keys.size() + prefixes.size() >= maxKeys) {
        break;
      }
      if (rolledUp != null) {
        prefixes.add(rolledUp);
        next = new Cursor(rolledUp, true);
      } else {
        keys.add(key);
        next = new Cursor(key, false);
      }
    }
    boolean truncated = next != null && more(all, prefix, next);
    StringBuilder xml = new StringBuilder("<ListBucketResult xmlns=\"" + S3Xml.NS + "\">");
    xml.append(S3Xml.element("Name", bucket))
        .append(S3Xml.element("Prefix", encode(prefix, urlEncoded)))
        .append(
            S3Xml.element("Delimiter", delimiter == null ? null : encode(delimiter, urlEncoded)))
        .append(S3Xml.element("MaxKeys", maxKeys))
        .append(S3Xml.element("EncodingType", urlEncoded ? "url" : null))
        .append(S3Xml.element("KeyCount", keys.size() + prefixes.size()))
        .append(S3Xml.element("IsTruncated", truncated))
        .append(S3Xml.element("ContinuationToken", token))
        .append(
            S3Xml.element(
                "StartAfter", startAfter == null ? null : encode(startAfter, urlEncoded)));
    if (truncated) {
      xml.append(S3Xml.element("NextContinuationToken", next.encode()));
    }
    for (String key : keys) {
      S3State.ObjectVersion object = state.getObject(bucket, key);
      xml.append("<Contents>")
          .append(S3Xml.element("Key", encode(key, urlEncoded)))
          .append(S3Xml.element("LastModified", object.lastModified().toString()))
          .append(S3Xml.element("ETag", "\"" + object.etag() + "\""))
          .append(S3Xml.element("Size", object.content().length))
          .append(S3Xml.element("StorageClass", "STANDARD"))
          .append("</Contents>");
    }
    for (String common : prefixes) {
      xml.append("<CommonPrefixes>")
          .append(S3Xml.element("Prefix", encode(common, urlEncoded)))
          .append("</CommonPrefixes>");
    }
    return xml.append("</ListBucketResult>").toString();
  }

  /**
   * Where a page ends: after a key, or after every key under a common prefix. A continuation token
   * is this cursor, encoded; S3's tokens are opaque too.
   */
  private record Cursor(String position, boolean commonPrefix) {
    boolean before(String key) {
      if (position == null) {
        return true;
      }
      if (commonPrefix && key.startsWith(position)) {
        return false;
      }
      return compare(key, position) > 0;
    }

    String encode() {
      String text = (commonPrefix ? "p:" : "k:") + position;
      return Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String token, String bucket) {
      String text;
      try {
        text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        text = "";
      }
      if (!text.startsWith("p:") && !text.startsWith("k:")) {
        throw new S3Error(
            400, "InvalidArgument", "The continuation token provided is incorrect", bucket);
      }
      return new Cursor(text.substring(2), text.startsWith("p:"));
    }
  }

  /** Whether any key under the prefix lies after the cursor, so that the page is truncated. */
  private static boolean more(List<String> keys, String prefix, Cursor cursor) {
    return keys.stream().anyMatch(key -> key.startsWith(prefix) && cursor.before(key));
  }

  /** The common prefix a key rolls up into, or null when it is listed as itself. */
  static String rollUp(String key, String prefix, String delimiter) {
    if (delimiter == null || delimiter.isEmpty()) {
      return null;
    }
    int at = key.indexOf(delimiter, prefix.length());
    return at < 0 ? null : key.substring(0, at + delimiter.length());
  }

  /** S3 orders keys by their UTF-8 bytes, which differs from Java's UTF-16 order. */
  static int compare(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  static int maxKeys(String value, String bucket) {
    if (value == null) {
      return MAX_KEYS;
    }
    try {
      int maxKeys = Integer.parseInt(value);
      if (maxKeys < 0) {
        throw new NumberFormatException(value);
      }
      return Math.min(maxKeys, MAX_KEYS);
    } catch (NumberFormatException e) {
      throw new S3Error(
          400,
          "InvalidArgument",
          "Provided max-keys not an integer or within integer range",
          bucket);
    }
  }

  /** With {@code encoding-type=url} S3 URL-encodes keys and prefixes; the SDK decodes them. */
  static String encode(String value, boolean urlEncoded) {
    return urlEncoded
        ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
        : value;
  }
}
