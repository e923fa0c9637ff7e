package dev.failover.simulator.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Decodes an {@code aws-chunked} request body, which recent AWS SDKs send for uploads: chunks of
 * {@code hex-size[;chunk-signature=...]\r\n data \r\n}, a zero-size chunk, then trailer headers
 * (such as {@code x-amz-checksum-crc32}) and an empty line. Chunk signatures are not verified (the
 * simulator does not check signatures); a CRC32 trailer is, as S3 does.
 */
public record AwsChunkedBody(byte[] content, Map<String, String> trailers) {

  public static AwsChunkedBody decode(byte[] raw, String bucket) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    int pos = 0;
    while (true) {
      int lineEnd = indexOfCrlf(raw, pos, bucket);
      String header = new String(raw, pos, lineEnd - pos, StandardCharsets.US_ASCII);
      int semicolon = header.indexOf(';');
      int size;
      try {
        size =
            Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw incomplete(bucket);
      }
      pos = lineEnd + 2;
      if (size == 0) {
        break;
      }
      if (pos + size + 2 > raw.length) {
        throw incomplete(bucket);
      }
      content.write(raw, pos, size);
      pos += size + 2;
    }
    Map<String, String> trailers = new LinkedHashMap<>();
    while (pos < raw.length) {
      int lineEnd = indexOfCrlf(raw, pos, bucket);
      String line = new String(raw, pos, lineEnd - pos, StandardCharsets.US_ASCII);
      pos = lineEnd + 2;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        trailers.put(
            line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    byte[] bytes = content.toByteArray();
    String crc32 = trailers.get("x-amz-checksum-crc32");
    if (crc32 != null && !crc32.equals(crc32Base64(bytes))) {
      throw new S3Error(
          400,
          "BadDigest",
          "The CRC32 you specified did not match the calculated checksum.",
          bucket);
    }
    return new AwsChunkedBody(bytes, trailers);
  }

  /** The base64 of the big-endian CRC32 of the content, as S3's checksum headers carry it. */
  public static String crc32Base64(byte[] content) {
    CRC32 crc = new CRC32();
    crc.update(content);
    long value = crc.getValue();
    byte[] big = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    return Base64.getEncoder().encodeToString(big);
  }

  private static int indexOfCrlf(byte[] raw, int from, String bucket) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    throw incomplete(bucket);
  }

  private static S3Error incomplete(String bucket) {
    return new S3Error(
        400,
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
        bucket);
  }
}
