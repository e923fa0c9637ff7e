package dev.failover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {
  private static final byte[] KEY = filled(7);
  private static final byte[] OTHER_KEY = filled(9);
  private static final Payload RUNBOOK_PAYLOAD =
      DefaultDataConverter.STANDARD_INSTANCE
          .toPayload("workspaceHost: https://dbc-acme-prod.cloud.databricks.com")
          .orElseThrow();

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }

  private static Payload encodeOne(AesGcmPayloadCodec codec, Payload payload) {
    return codec.encode(List.of(payload)).get(0);
  }

  private static Payload decodeOne(AesGcmPayloadCodec codec, Payload payload) {
    return codec.decode(List.of(payload)).get(0);
  }

  @Test
  void roundTripRestoresThePayloadWithItsMetadata() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(KEY);

    Payload encrypted = encodeOne(codec, RUNBOOK_PAYLOAD);

    assertThat(decodeOne(codec, encrypted)).isEqualTo(RUNBOOK_PAYLOAD);
  }

  @Test
  void encryptedPayloadShowsOnlyEncodingCipherAndKeyId() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(KEY);

    Payload encrypted = encodeOne(codec, RUNBOOK_PAYLOAD);

    assertThat(encrypted.getMetadataMap())
        .containsOnlyKeys(
            EncodingKeys.METADATA_ENCODING_KEY,
            AesGcmPayloadCodec.CIPHER_METADATA,
            AesGcmPayloadCodec.KEY_ID_METADATA);
    assertThat(encrypted.getMetadataMap().get(EncodingKeys.METADATA_ENCODING_KEY).toStringUtf8())
        .isEqualTo("binary/encrypted");
    assertThat(encrypted.getMetadataMap().get(AesGcmPayloadCodec.KEY_ID_METADATA).toStringUtf8())
        .isEqualTo(codec.keyId())
        .matches("[0-9a-f]{8}");
    assertThat(encrypted.getData().toString(StandardCharsets.ISO_8859_1))
        .doesNotContain("dbc-acme-prod", "json/plain");
    // Nonce (12 bytes) + serialized payload + tag (16 bytes).
    assertThat(encrypted.getData().size()).isEqualTo(12 + RUNBOOK_PAYLOAD.getSerializedSize() + 16);
  }

  @Test
  void keyIdIsTheStartOfTheKeysSha256() throws Exception {
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(KEY);

    assertThat(new AesGcmPayloadCodec(KEY).keyId())
        .isEqualTo(HexFormat.of().formatHex(digest).substring(0, 8));
    assertThat(new AesGcmPayloadCodec(OTHER_KEY).keyId())
        .isNotEqualTo(new AesGcmPayloadCodec(KEY).keyId());
  }

  @Test
  void twoEncodingsOfTheSamePayloadDifferByTheirNonce() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(KEY);

    Payload first = encodeOne(codec, RUNBOOK_PAYLOAD);
    Payload second = encodeOne(codec, RUNBOOK_PAYLOAD);

    assertThat(first.getData()).isNotEqualTo(second.getData());
    assertThat(first.getData().substring(0, 12)).isNotEqualTo(second.getData().substring(0, 12));
    assertThat(decodeOne(codec, first)).isEqualTo(decodeOne(codec, second));
  }

  @Test
  void changingAnyByteOfTheDataFailsDecoding() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(KEY);
    Payload encrypted = encodeOne(codec, RUNBOOK_PAYLOAD);
    byte[] data = encrypted.getData().toByteArray();

    // A byte of the nonce, of the ciphertext and of the tag.
    for (int index : new int[] {0, 20, data.length - 1}) {
      byte[] tampered = data.clone();
      tampered[index] ^= 0x01;
      Payload altered = encrypted.toBuilder().setData(ByteString.copyFrom(tampered)).build();

      assertThatThrownBy(() -> decodeOne(codec, altered))
          .isInstanceOf(PayloadCodecException.class)
          .hasMessageContaining("key id " + codec.keyId())
          .hasMessageContaining("altered or damaged");
    }
  }

  @Test
  void truncatedDataFailsDecoding() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(KEY);
    Payload encrypted = encodeOne(codec, RUNBOOK_PAYLOAD);
    Payload truncated = encrypted.toBuilder().setData(encrypted.getData().substring(0, 20)).build();

    assertThatThrownBy(() -> decodeOne(codec, truncated))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void aPayloadEncryptedWithAnotherKeyIsRefusedNamingBothKeyIdsButNoKey() {
    AesGcmPayloadCodec writer = new AesGcmPayloadCodec(OTHER_KEY);
    AesGcmPayloadCodec reader = new AesGcmPayloadCodec(KEY);
    Payload encrypted = encodeOne(writer, RUNBOOK_PAYLOAD);

    assertThatThrownBy(() -> decodeOne(reader, encrypted))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key id " + writer.keyId())
        .hasMessageContaining("key id " + reader.keyId())
        .hasMessageContaining("FAILOVER_PAYLOAD_KEY")
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(HexFormat.of().formatHex(KEY))
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(KEY))
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(OTHER_KEY)));
  }

  @Test
  void aKeyIdRelabelledToMatchDoesNotDecryptEither() {
    AesGcmPayloadCodec writer = new AesGcmPayloadCodec(OTHER_KEY);
    AesGcmPayloadCodec reader = new AesGcmPayloadCodec(KEY);
    Payload relabelled =
        encodeOne(writer, RUNBOOK_PAYLOAD).toBuilder()
            .putMetadata(
                AesGcmPayloadCodec.KEY_ID_METADATA, ByteString.copyFromUtf8(reader.keyId()))
            .build();

    assertThatThrownBy(() -> decodeOne(reader, relabelled))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("altered or damaged");
  }

  @Test
  void unencryptedPayloadsPassThroughDecoding() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(KEY);
    Payload empty = DefaultDataConverter.STANDARD_INSTANCE.toPayload(null).orElseThrow();

    assertThat(codec.decode(List.of(RUNBOOK_PAYLOAD, empty)))
        .containsExactly(RUNBOOK_PAYLOAD, empty);
  }

  @Test
  void keysOfAnyOtherLengthAreRefused() {
    assertThatThrownBy(() -> new AesGcmPayloadCodec(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, not 16");
  }
}
