package dev.failover.worker;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts every payload with AES-256-GCM, so that the Temporal service (and its history, and
 * anyone who can read it) sees only ciphertext. The whole original payload, metadata included, is
 * the plaintext; the encrypted payload says only that it is encrypted, with which cipher and under
 * which key id, the metadata convention of Temporal's encryption samples ({@code encoding:
 * binary/encrypted}, {@code encryption-cipher}, {@code encryption-key-id}). Its data is a fresh
 * 12-byte nonce followed by the ciphertext and the 16-byte tag; the key id is authenticated too, so
 * a payload relabelled with another key id fails like a tampered one.
 *
 * <p>Decoding passes through payloads that are not encrypted, so histories recorded before
 * encryption was turned on still read, and refuses a payload encrypted under another key with a
 * message naming both key ids. The key itself appears in no message.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  /** The {@code encoding} metadata of an encrypted payload. */
  public static final String ENCRYPTED_ENCODING = "binary/encrypted";

  /** The metadata entry naming the key a payload was encrypted with. */
  public static final String KEY_ID_METADATA = "encryption-key-id";

  /** The metadata entry naming the cipher, so that a reader knows how to decrypt. */
  public static final String CIPHER_METADATA = "encryption-cipher";

  static final String CIPHER = "AES/GCM/NoPadding";
  static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final ByteString ENCRYPTED_ENCODING_BYTES =
      ByteString.copyFromUtf8(ENCRYPTED_ENCODING);
  private static final ByteString CIPHER_BYTES = ByteString.copyFromUtf8(CIPHER);

  private final SecretKey key;
  private final String keyId;
  private final ByteString keyIdBytes;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param key an AES-256 key, exactly 32 bytes; the codec keeps its own copy
   */
  public AesGcmPayloadCodec(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "an AES-256 key has " + KEY_BYTES + " bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.keyId = keyId(key);
    this.keyIdBytes = ByteString.copyFromUtf8(keyId);
  }

  /**
   * A short, stable name for a key, safe to show: the first 8 hex digits of its SHA-256. The worker
   * and the CLI print it so that an operator can check they hold the same key.
   */
  static String keyId(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The id of this codec's key, as written into each payload it encrypts. */
  public String keyId() {
    return keyId;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    List<Payload> encoded = new ArrayList<>(payloads.size());
    for (Payload payload : payloads) {
      encoded.add(encrypt(payload));
    }
    return encoded;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    List<Payload> decoded = new ArrayList<>(payloads.size());
    for (Payload payload : payloads) {
      decoded.add(isEncrypted(payload) ? decrypt(payload) : payload);
    }
    return decoded;
  }

  /** Whether a payload carries this codec's encrypted encoding (under whichever key). */
  public static boolean isEncrypted(Payload payload) {
    return ENCRYPTED_ENCODING_BYTES.equals(
        payload.getMetadataMap().get(EncodingKeys.METADATA_ENCODING_KEY));
  }

  private Payload encrypt(Payload payload) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(keyIdBytes.toByteArray());
      sealed = cipher.doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("cannot encrypt a payload with key id " + keyId, e);
    }
    ByteBuffer data = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
    return Payload.newBuilder()
        .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ENCRYPTED_ENCODING_BYTES)
        .putMetadata(CIPHER_METADATA, CIPHER_BYTES)
        .putMetadata(KEY_ID_METADATA, keyIdBytes)
        .setData(ByteString.copyFrom(data.array()))
        .build();
  }

  private Payload decrypt(Payload payload) {
    ByteString payloadKeyId = payload.getMetadataMap().get(KEY_ID_METADATA);
    if (!keyIdBytes.equals(payloadKeyId)) {
      String named =
          payloadKeyId == null ? "no key id" : "key id " + printable(payloadKeyId.toByteArray());
      throw new PayloadCodecException(
          "a payload encrypted with "
              + named
              + " cannot be decrypted with key id "
              + keyId
              + "; the worker and the CLI need the same "
              + PayloadEncryption.KEY_VARIABLE);
    }
    ByteString cipherName = payload.getMetadataMap().get(CIPHER_METADATA);
    if (cipherName != null && !CIPHER_BYTES.equals(cipherName)) {
      throw new PayloadCodecException(
          "a payload with key id "
              + keyId
              + " uses cipher "
              + printable(cipherName.toByteArray())
              + ", not "
              + CIPHER);
    }
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "a payload with key id " + keyId + " is too short to be encrypted data");
    }
    byte[] plain;
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      cipher.updateAAD(keyIdBytes.toByteArray());
      plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "a payload with key id " + keyId + " failed authentication: it was altered or damaged",
          e);
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("cannot decrypt a payload with key id " + keyId, e);
    }
    try {
      return Payload.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          "a payload with key id " + keyId + " decrypted to something that is not a payload", e);
    }
  }

  /** A metadata value for a message: at most 64 characters, control characters replaced. */
  private static String printable(byte[] value) {
    String text = new String(value, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
    return text.length() > 64 ? text.substring(0, 64) + "..." : text;
  }
}
