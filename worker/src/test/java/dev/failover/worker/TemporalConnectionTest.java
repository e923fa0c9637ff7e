package dev.failover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The client a connection builds encrypts what it sends when given a codec, failure messages and
 * stack traces included (they name workspaces and buckets), and sends plain payloads otherwise. No
 * server is needed: the service stubs connect lazily.
 */
class TemporalConnectionTest {
  private static final String CONTENT = "workspace https://dbc-acme-prod.cloud.databricks.com";

  private static DataConverter converterOf(Optional<AesGcmPayloadCodec> encryption) {
    try (TemporalConnection connection =
        TemporalConnection.connect(null, "127.0.0.1:1", "default", encryption)) {
      return connection.client().getOptions().getDataConverter();
    }
  }

  private static AesGcmPayloadCodec codec() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 3);
    return new AesGcmPayloadCodec(key);
  }

  @Test
  void withACodecPayloadsAreEncryptedAndReadBack() {
    DataConverter converter = converterOf(Optional.of(codec()));

    Payload payload = converter.toPayload(CONTENT).orElseThrow();

    assertThat(AesGcmPayloadCodec.isEncrypted(payload)).isTrue();
    assertThat(payload.getData().toString(StandardCharsets.ISO_8859_1))
        .doesNotContain("dbc-acme-prod");
    assertThat(converter.fromPayload(payload, String.class, String.class)).isEqualTo(CONTENT);
  }

  @Test
  void withACodecFailureMessagesAndStackTracesAreEncryptedToo() {
    DataConverter converter = converterOf(Optional.of(codec()));

    Failure failure = converter.exceptionToFailure(new IllegalStateException(CONTENT));

    assertThat(failure.getMessage()).doesNotContain("dbc-acme-prod");
    assertThat(failure.getStackTrace()).isEmpty();
    assertThat(AesGcmPayloadCodec.isEncrypted(failure.getEncodedAttributes())).isTrue();
    assertThat(converter.failureToException(failure)).hasMessageContaining(CONTENT);
  }

  @Test
  void withoutACodecPayloadsArePlain() {
    Payload payload = converterOf(Optional.empty()).toPayload(CONTENT).orElseThrow();

    assertThat(AesGcmPayloadCodec.isEncrypted(payload)).isFalse();
    assertThat(payload.getData().toStringUtf8()).contains("dbc-acme-prod");
  }

  @Test
  void theTargetNamesTheKeyIdButNotTheKey() {
    AesGcmPayloadCodec codec = codec();
    try (TemporalConnection connection =
        TemporalConnection.connect(null, "127.0.0.1:1", "default", Optional.of(codec))) {
      assertThat(connection.target())
          .isEqualTo(
              "127.0.0.1:1 namespace default, payloads encrypted with key id " + codec.keyId());
    }
  }

  @Test
  void theFirstCallMayWaitLongerForTheServerThanTheSdksFiveSeconds() {
    try (TemporalConnection connection =
        TemporalConnection.connect(null, "127.0.0.1:1", "default", Optional.empty())) {
      assertThat(connection.client().getWorkflowServiceStubs().getOptions().getSystemInfoTimeout())
          .isEqualTo(java.time.Duration.ofSeconds(30));
    }
  }
}
