package dev.failover.cli.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;

/**
 * The bearer token the codec server admits: decoding reveals runbook content, so the server checks
 * its own credential rather than trusting whoever can reach its port. The token is read from an
 * environment variable or a file, never from a command-line value (which {@code ps} shows), and
 * only its SHA-256 is kept; a presented token is hashed and compared in constant time, so neither
 * its content nor its length leaks through timing.
 */
public final class CodecAccessToken {
  /** The environment variable holding the token when no file is given. */
  public static final String TOKEN_VARIABLE = "FAILOVER_CODEC_TOKEN";

  /** Shorter tokens are refused: a guessable token would guard the runbooks' content. */
  static final int MIN_LENGTH = 24;

  private static final String BEARER = "bearer ";

  private final byte[] digest;

  private CodecAccessToken(String token) {
    this.digest = sha256(token);
  }

  /**
   * The token from {@code file} when given, else from {@value #TOKEN_VARIABLE}.
   *
   * @throws IllegalArgumentException with a one-line message naming the file or variable (never the
   *     token) when there is none, or it is too short
   */
  public static CodecAccessToken read(Path file, Map<String, String> environment) {
    String source = file == null ? TOKEN_VARIABLE : file.toString();
    String token;
    if (file != null) {
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("--token-file: cannot read " + file + ": " + e);
      }
    } else {
      token = environment.getOrDefault(TOKEN_VARIABLE, "").strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException(
            "the codec server needs an access token: set "
                + TOKEN_VARIABLE
                + " or give --token-file (generate one with: openssl rand -base64 32)");
      }
    }
    return of(token, source);
  }

  /** A token given directly (tests, and {@link #read}). */
  static CodecAccessToken of(String token, String source) {
    if (token.length() < MIN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          source
              + ": the codec access token needs at least "
              + MIN_LENGTH
              + " characters and no spaces (generate one with: openssl rand -base64 32)");
    }
    return new CodecAccessToken(token);
  }

  /**
   * Whether an {@code Authorization} header value carries this token: {@code Bearer <token>}, the
   * form Temporal UI sends, and the form to give the temporal CLI's {@code --codec-auth}, which
   * sends its value as the whole header.
   */
  public boolean admits(String authorization) {
    if (authorization == null
        || authorization.length() < BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
    return MessageDigest.isEqual(presented, digest);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
