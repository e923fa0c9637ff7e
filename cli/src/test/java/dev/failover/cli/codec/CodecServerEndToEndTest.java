package dev.failover.cli.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.failover.cli.RunLauncher;
import dev.failover.cli.RunbookFiles;
import dev.failover.cli.sandbox.Sandbox;
import dev.failover.worker.AesGcmPayloadCodec;
import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.Runbook;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An encrypted sandbox drill's history, read by a client without the key, decoded through the codec
 * server with requests shaped as Temporal UI sends them ({@code temporalio/ui}, {@code
 * src/lib/services/data-encoder.ts}: {@code POST <endpoint>/decode} with {@code Content-Type:
 * application/json}, {@code X-Namespace} and {@code Authorization: Bearer <token>}, from the UI's
 * origin, after the browser's CORS preflight) and as the temporal CLI sends them ({@code
 * --codec-auth} set verbatim as the {@code Authorization} header, no {@code Origin}).
 */
class CodecServerEndToEndTest {
  private static final String UI_ORIGIN = "http://localhost:8233";
  private static final String TOKEN = "codec-token-" + "x".repeat(24);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static AesGcmPayloadCodec codec;
  private static CodecServer server;
  private static List<Payload> historyPayloads;

  @BeforeAll
  static void encryptedDrillAndCodecServer() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    codec = new AesGcmPayloadCodec(key);
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook, 0, Optional.of(codec));
        TemporalConnection withoutKey =
            TemporalConnection.connect(
                null, sandbox.temporalAddress(), "default", Optional.empty())) {
      RunReport drill =
          new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
              .run(runbook, Mode.DRILL, "CHG-CODEC-1", new PrintWriter(new StringWriter()));
      assertThat(drill.outcome()).as(drill.failure()).isEqualTo(Outcome.SUCCEEDED);
      historyPayloads = new ArrayList<>();
      for (HistoryEvent event :
          withoutKey.client().fetchHistory(drill.workflowId(), drill.runId()).getEvents()) {
        collectPayloads(event, historyPayloads);
      }
    }
    server =
        CodecServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            codec,
            UI_ORIGIN,
            CodecAccessToken.of(TOKEN, "test"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theUisPreflightIsAnsweredForItsOriginWithoutACredential() throws Exception {
    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(endpoint("/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", UI_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header(
                    "Access-Control-Request-Headers", "authorization,content-type,x-namespace"));

    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo(UI_ORIGIN);
    assertThat(header(preflight, "Access-Control-Allow-Methods")).contains("POST");
    assertThat(header(preflight, "Access-Control-Allow-Headers").toLowerCase())
        .contains("authorization", "content-type", "x-namespace");
    assertThat(header(preflight, "Access-Control-Allow-Credentials")).isEqualTo("true");
  }

  @Test
  void theUisDecodeRequestReadsTheDrillsHistory() throws Exception {
    // The SDK writes its own markers unencoded; everything the workflow wrote is encrypted.
    assertThat(historyPayloads.stream().filter(AesGcmPayloadCodec::isEncrypted).count())
        .isGreaterThan(10);

    HttpResponse<String> decoded =
        send(uiRequest("/decode", payloadsJson(historyPayloads), "Bearer " + TOKEN));

    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
    assertThat(header(decoded, "Access-Control-Allow-Origin")).isEqualTo(UI_ORIGIN);
    assertThat(header(decoded, "Content-Type")).startsWith("application/json");
    List<Payload> payloads = parsePayloads(decoded.body());
    assertThat(payloads).isEqualTo(codec.decode(historyPayloads));
    assertThat(payloads).noneMatch(AesGcmPayloadCodec::isEncrypted);
    String readable = readable(payloads);
    assertThat(readable).contains("dbc-acme-prod", "acme-lakehouse-use1", "CHG-CODEC-1");
    assertThat(readable(historyPayloads)).doesNotContain("dbc-acme-prod");
  }

  @Test
  void theTemporalClisRequestNeedsNoOrigin() throws Exception {
    HttpResponse<String> decoded =
        send(
            HttpRequest.newBuilder(endpoint("/api/v1/codec/decode"))
                .POST(HttpRequest.BodyPublishers.ofString(payloadsJson(historyPayloads)))
                .header("Content-Type", "application/json")
                .header("X-Namespace", "default")
                .header("Authorization", "Bearer " + TOKEN));

    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
    assertThat(header(decoded, "Access-Control-Allow-Origin")).isNull();
    assertThat(parsePayloads(decoded.body())).isEqualTo(codec.decode(historyPayloads));
  }

  @Test
  void anotherOriginIsRefusedWithoutCorsHeaders() throws Exception {
    String elsewhere = "https://attacker.example";
    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(endpoint("/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", elsewhere)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace"));
    HttpRequest.Builder post =
        uiRequest("/decode", payloadsJson(historyPayloads), "Bearer " + TOKEN);
    post.setHeader("Origin", elsewhere);
    HttpResponse<String> decode = send(post);

    for (HttpResponse<String> refused : List.of(preflight, decode)) {
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(header(refused, "Access-Control-Allow-Origin")).isNull();
      assertThat(refused.body()).contains("origin " + elsewhere + " is not allowed");
      assertThat(refused.body()).doesNotContain("dbc-acme-prod");
    }
  }

  @Test
  void aMissingOrWrongCredentialIsRefused() throws Exception {
    String body = payloadsJson(historyPayloads);
    List<HttpResponse<String>> refused =
        List.of(
            send(uiRequest("/decode", body, null)),
            send(uiRequest("/decode", body, "Bearer " + TOKEN + "x")),
            send(uiRequest("/decode", body, "Bearer " + TOKEN.substring(1))),
            send(uiRequest("/decode", body, TOKEN)),
            send(uiRequest("/encode", body, "Basic " + TOKEN)));

    for (HttpResponse<String> response : refused) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(header(response, "WWW-Authenticate")).startsWith("Bearer");
      assertThat(response.body()).doesNotContain("dbc-acme-prod", TOKEN);
    }
  }

  @Test
  void aPayloadUnderAnotherKeyIsABadRequestNamingBothKeyIds() throws Exception {
    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    AesGcmPayloadCodec other = new AesGcmPayloadCodec(otherKey);
    List<Payload> foreign = other.encode(List.of(text("dbc-acme-prod")));

    HttpResponse<String> response =
        send(uiRequest("/decode", payloadsJson(foreign), "Bearer " + TOKEN));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(header(response, "Access-Control-Allow-Origin")).isEqualTo(UI_ORIGIN);
    assertThat(response.body())
        .contains("key id " + other.keyId())
        .contains("key id " + codec.keyId())
        .doesNotContain("dbc-acme-prod");
  }

  /** A payload as the UI holds it, written out by hand: proto3 JSON, bytes in base64. */
  @Test
  void aPayloadThatIsNotEncryptedComesBackUnchanged() throws Exception {
    String json =
        "{\"payloads\":[{\"metadata\":{\"encoding\":\""
            + base64("json/plain")
            + "\"},\"data\":\""
            + base64("\"plain\"")
            + "\"}]}";

    HttpResponse<String> response = send(uiRequest("/decode", json, "Bearer " + TOKEN));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(parsePayloads(response.body())).containsExactly(text("plain"));
  }

  @Test
  void encodeEncryptsWithTheWorkersKey() throws Exception {
    HttpResponse<String> response =
        send(uiRequest("/encode", payloadsJson(List.of(text("dbc-acme-prod"))), "Bearer " + TOKEN));

    assertThat(response.statusCode()).isEqualTo(200);
    List<Payload> encoded = parsePayloads(response.body());
    assertThat(encoded).allMatch(AesGcmPayloadCodec::isEncrypted);
    assertThat(readable(encoded)).doesNotContain("dbc-acme-prod");
    assertThat(codec.decode(encoded)).containsExactly(text("dbc-acme-prod"));
  }

  @Test
  void malformedRequestsAreRefusedPlainly() throws Exception {
    HttpResponse<String> notJson = send(uiRequest("/decode", "{payloads:", "Bearer " + TOKEN));
    HttpResponse<String> unknownPath = send(uiRequest("/decrypt", "{}", "Bearer " + TOKEN));
    HttpResponse<String> get =
        send(
            HttpRequest.newBuilder(endpoint("/decode"))
                .GET()
                .header("Authorization", "Bearer " + TOKEN));

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not Payloads JSON");
    assertThat(unknownPath.statusCode()).isEqualTo(404);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(header(get, "Allow")).contains("POST");
  }

  private static HttpRequest.Builder uiRequest(String path, String json, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint(path))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Origin", UI_ORIGIN)
            .header("Content-Type", "application/json")
            .header("X-Namespace", "default");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  private static URI endpoint(String path) {
    return server.endpoint().resolve(path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private static String payloadsJson(List<Payload> payloads) throws Exception {
    return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(payloads).build());
  }

  private static List<Payload> parsePayloads(String json) throws Exception {
    Payloads.Builder payloads = Payloads.newBuilder();
    JsonFormat.parser().merge(json, payloads);
    return payloads.getPayloadsList();
  }

  private static Payload text(String value) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Every {@link Payload} anywhere in a history event, in any field at any depth. */
  private static void collectPayloads(Message message, List<Payload> found) {
    if (message instanceof Payload payload) {
      found.add(payload);
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object element : (List<?>) field.getValue()) {
          collectPayloads((Message) element, found);
        }
      } else {
        collectPayloads((Message) field.getValue(), found);
      }
    }
  }

  private static String readable(List<Payload> payloads) {
    StringBuilder text = new StringBuilder();
    for (Payload payload : payloads) {
      payload.getMetadataMap().values().forEach(v -> text.append(v.toStringUtf8()).append(' '));
      text.append(payload.getData().toString(StandardCharsets.ISO_8859_1)).append('\n');
    }
    return text.toString();
  }
}
