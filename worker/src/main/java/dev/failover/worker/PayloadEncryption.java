package dev.failover.worker;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Whether workflow payloads are encrypted, read from the environment: {@value #KEY_VARIABLE} holds
 * the base64 of a 32-byte AES key and turns encryption on; unset, payloads go to Temporal as they
 * are. The worker and every client of the same runs need the same key.
 */
public final class PayloadEncryption {
  /** The environment variable holding the payload key. */
  public static final String KEY_VARIABLE = "FAILOVER_PAYLOAD_KEY";

  private PayloadEncryption() {}

  /** The codec the process environment asks for, if any. */
  public static Optional<AesGcmPayloadCodec> fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * The codec the given environment asks for, if any.
   *
   * @throws InvalidPayloadKeyException when the variable is set but is not the base64 of 32 bytes;
   *     the message names the variable and the problem, never the value
   */
  public static Optional<AesGcmPayloadCodec> fromEnvironment(Map<String, String> environment) {
    String value = environment.get(KEY_VARIABLE);
    if (value == null) {
      return Optional.empty();
    }
    // An empty value is more likely a failed substitution than a wish to turn encryption off, so it
    // is refused rather than silently sending readable payloads.
    if (value.isBlank()) {
      throw new InvalidPayloadKeyException(
          KEY_VARIABLE + " is set but empty; unset it to turn payload encryption off");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      // The decoder's own message quotes the offending character, a piece of the key: not shown.
      throw new InvalidPayloadKeyException(
          KEY_VARIABLE + " is not valid base64; generate a key with: openssl rand -base64 32");
    }
    if (key.length != AesGcmPayloadCodec.KEY_BYTES) {
      throw new InvalidPayloadKeyException(
          KEY_VARIABLE
              + " decodes to "
              + key.length
              + " bytes, but an AES-256 key has "
              + AesGcmPayloadCodec.KEY_BYTES
              + "; generate one with: openssl rand -base64 32");
    }
    return Optional.of(new AesGcmPayloadCodec(key));
  }

  /** A payload key in the environment that cannot be used; the message is safe to print. */
  public static final class InvalidPayloadKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidPayloadKeyException(String message) {
      super(message);
    }
  }
}
