package dev.failover.simulator.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} request body, which recent AWS SDKs send for uploads: chunks of
 * {@code hex-size[;chunk-signature=...]\r\n data \r\n}, a zero-size chunk, then trailer headers
 * (such as {@code x-amz-checksum-crc32}, possibly followed by {@code x-amz-trailer-signature}) and
 * an empty line. Chunk signatures are not verified, as the simulator checks no signature; the
 * caller verifies the checksum trailer.
 *
 * @param content the decoded bytes
 * @param trailers the trailer headers, by lower-case name
 */
record AwsChunkedBody(byte[] content, Map<String, String> trailers) {

  static AwsChunkedBody decode(byte[] raw, String bucket) {
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
      if (size < 0 || pos + size + 2 > raw.length) {
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
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return new AwsChunkedBody(content.toByteArray(), trailers);
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
