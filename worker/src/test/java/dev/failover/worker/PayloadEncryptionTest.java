package dev.failover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadEncryptionTest {
  private static final String VARIABLE = "FAILOVER_PAYLOAD_KEY";

  private static String base64OfBytes(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 5);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void unsetMeansNoEncryption() {
    assertThat(PayloadEncryption.fromEnvironment(Map.of("OTHER", "x"))).isEmpty();
  }

  @Test
  void base64Of32BytesTurnsEncryptionOn() {
    String key = base64OfBytes(32);

    AesGcmPayloadCodec codec =
        PayloadEncryption.fromEnvironment(Map.of(VARIABLE, key + "\n")).orElseThrow();

    assertThat(codec.keyId()).isEqualTo(AesGcmPayloadCodec.keyId(Base64.getDecoder().decode(key)));
  }

  @Test
  void invalidBase64IsOneLineNamingTheVariableAndNotTheValue() {
    String value = "not-base64-secret!";

    assertThatThrownBy(() -> PayloadEncryption.fromEnvironment(Map.of(VARIABLE, value)))
        .isInstanceOf(PayloadEncryption.InvalidPayloadKeyException.class)
        .hasMessageStartingWith(VARIABLE + " is not valid base64")
        .hasNoCause()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(value, "secret", "!")
                    .doesNotContain("\n"));
  }

  @Test
  void wrongLengthIsOneLineNamingTheVariableAndTheLengthButNotTheValue() {
    String value = base64OfBytes(16);

    assertThatThrownBy(() -> PayloadEncryption.fromEnvironment(Map.of(VARIABLE, value)))
        .isInstanceOf(PayloadEncryption.InvalidPayloadKeyException.class)
        .hasMessageStartingWith(VARIABLE + " decodes to 16 bytes, but an AES-256 key has 32")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value).doesNotContain("\n"));
  }

  @Test
  void emptyIsRefusedRatherThanSilentlyUnencrypted() {
    assertThatThrownBy(() -> PayloadEncryption.fromEnvironment(Map.of(VARIABLE, "  ")))
        .isInstanceOf(PayloadEncryption.InvalidPayloadKeyException.class)
        .hasMessage(VARIABLE + " is set but empty; unset it to turn payload encryption off");
  }
}
