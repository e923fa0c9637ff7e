package dev.failover.simulator.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The Smithy RPC v2 CBOR protocol as CloudWatch speaks it to the AWS SDK for Java v2 (2.57.8's
 * {@code DefaultCloudWatchClient} uses {@code SmithyRpcV2CborProtocolFactory} with {@code
 * hasAwsQueryCompatible}): bodies are CBOR maps, {@code Content-Type: application/cbor}, every
 * response carries {@code smithy-protocol: rpc-v2-cbor} (Smithy "RPC v2 CBOR protocol"
 * specification), and timestamps are CBOR tag 1 around epoch seconds, which the SDK writes as a
 * double ({@code SdkRpcV2CborGenerator.writeValue(Instant)}) and reads as any number.
 *
 * <p>Errors are a non-2xx status with a CBOR map holding {@code __type} and {@code message}. The
 * SDK picks the exception class from {@code __type} (after the last {@code #}; {@code
 * JsonErrorCodeParser}) matched against the model's shape names ({@code
 * InvalidParameterValueException}, {@code InternalServiceFault}, {@code InvalidNextToken}, ...),
 * and, the service being awsQuery-compatible, fills {@code AwsErrorDetails.errorCode()} from the
 * part before {@code ;} of the {@code x-amzn-query-error: Code;Sender} header when present ({@code
 * AwsJsonProtocolErrorUnmarshaller.getEffectiveErrorCode}), so that codes stay those of the
 * CloudWatch Query API ({@code InvalidParameterValue}, {@code Throttling}, ...).
 */
public final class RpcV2Cbor {
  private static final CBORMapper MAPPER = new CBORMapper();
  private static final CBORFactory FACTORY = MAPPER.getFactory();

  /** The shape namespace of CloudWatch's errors in {@code __type}. */
  static final String NAMESPACE = "com.amazonaws.cloudwatch#";

  private RpcV2Cbor() {}

  /** A request body as a tree; CBOR tags (a timestamp's tag 1) are dropped, numbers kept. */
  static JsonNode read(byte[] body) throws IOException {
    return MAPPER.readTree(body);
  }

  /** Writes a CBOR document. */
  @FunctionalInterface
  interface Body {
    void write(CBORGenerator out) throws IOException;
  }

  static byte[] write(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CBORGenerator out = FACTORY.createGenerator(bytes)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A timestamp: tag 1 around epoch seconds as a double, as the SDK writes one. */
  static void timestamp(CBORGenerator out, Instant instant) throws IOException {
    out.writeTag(1);
    out.writeNumber(instant.toEpochMilli() / 1000.0);
  }

  /** Sends a 200 answer. */
  static int ok(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
    HttpExchanges.send(exchange, 200, "application/cbor", body);
    return 200;
  }

  /**
   * Sends an error in CloudWatch's shape.
   *
   * @param type the error shape ({@code __type}, without namespace)
   * @param queryCode the CloudWatch Query API error code ({@code x-amzn-query-error})
   * @param fault {@code Sender} or {@code Receiver}
   */
  public static int error(
      HttpExchange exchange,
      int status,
      String type,
      String queryCode,
      String fault,
      String message)
      throws IOException {
    byte[] body =
        write(
            out -> {
              out.writeStartObject();
              out.writeStringField("__type", type.contains("#") ? type : NAMESPACE + type);
              out.writeStringField("message", message);
              out.writeEndObject();
            });
    exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
    exchange.getResponseHeaders().set("x-amzn-query-error", queryCode + ";" + fault);
    HttpExchanges.send(exchange, status, "application/cbor", body);
    return status;
  }
}
