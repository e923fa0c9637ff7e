package dev.failover.simulator.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * S3's additional checksums ({@code x-amz-checksum-<algorithm>}, as a header or an aws-chunked
 * trailer) and {@code Content-MD5}: S3 recomputes them over the bytes it received and rejects a
 * mismatch with 400 {@code BadDigest}, so that a corrupted upload is never stored.
 */
final class Checksums {
  /** A checksum a request carried: the algorithm (upper case, as S3 names it) and its value. */
  record Claimed(String algorithm, String value) {}

  private Checksums() {}

  /**
   * The checksum among the given headers or trailers (lower-case names), if any. CRC64NVME is
   * recorded but not recomputed: the JDK has no implementation of it.
   */
  static Claimed claimed(Map<String, String> headers) {
    for (String algorithm : new String[] {"crc32", "crc32c", "crc64nvme", "sha1", "sha256"}) {
      String value = headers.get("x-amz-checksum-" + algorithm);
      if (value != null) {
        return new Claimed(algorithm.toUpperCase(Locale.ROOT), value);
      }
    }
    return null;
  }

  /** Rejects content whose claimed checksum or Content-MD5 does not match it. */
  static void verify(Claimed claimed, String contentMd5, byte[] content, String bucket) {
    if (contentMd5 != null) {
      byte[] md5;
      try {
        md5 = Base64.getDecoder().decode(contentMd5);
      } catch (IllegalArgumentException e) {
        throw new S3Error(
            400, "InvalidDigest", "The Content-MD5 you specified was invalid.", bucket);
      }
      if (!MessageDigest.isEqual(md5, digest("MD5", content))) {
        throw new S3Error(
            400,
            "BadDigest",
            "The Content-MD5 you specified did not match what we received.",
            bucket);
      }
    }
    if (claimed == null || claimed.algorithm().equals("CRC64NVME")) {
      return;
    }
    if (!claimed.value().equals(compute(claimed.algorithm(), content))) {
      throw new S3Error(
          400,
          "BadDigest",
          "The " + claimed.algorithm() + " you specified did not match the calculated checksum.",
          bucket);
    }
  }

  /** The base64 checksum of the content, as S3's checksum headers carry it. */
  static String compute(String algorithm, byte[] content) {
    byte[] value =
        switch (algorithm) {
          case "CRC32" -> crc(new CRC32(), content);
          case "CRC32C" -> crc(new CRC32C(), content);
          case "SHA1" -> digest("SHA-1", content);
          case "SHA256" -> digest("SHA-256", content);
          default -> throw new IllegalArgumentException("no checksum algorithm " + algorithm);
        };
    return Base64.getEncoder().encodeToString(value);
  }

  /** The hex MD5 of the content: a single-part upload's ETag. */
  static String md5Hex(byte[] content) {
    return java.util.HexFormat.of().formatHex(digest("MD5", content));
  }

  /** A 32-bit CRC as four big-endian bytes. */
  private static byte[] crc(Checksum checksum, byte[] content) {
    checksum.update(content, 0, content.length);
    long v = checksum.getValue();
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static byte[] digest(String algorithm, byte[] content) {
    try {
      return MessageDigest.getInstance(algorithm).digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JVM", e);
    }
  }
}
