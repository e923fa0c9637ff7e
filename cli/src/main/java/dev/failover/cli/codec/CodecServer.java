package dev.failover.cli.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's remote codec protocol over the worker's own payload codec, so that Temporal UI and
 * {@code temporal workflow show --codec-endpoint} show decoded runs. The protocol (samples-go,
 * {@code codec-server/protocol.md}): {@code POST .../encode} and {@code POST .../decode}, only the
 * last path segment deciding which; the body and the answer are {@code
 * temporal.api.common.v1.Payloads} in proto3 JSON ({@code {"payloads":[{"metadata":{"encoding":
 * "<base64>"},"data":"<base64>"}]}}); invalid JSON and a codec error are HTTP 400. Temporal UI
 * sends {@code Content-Type: application/json}, {@code X-Namespace} and, when set to pass the
 * access token, {@code Authorization: Bearer ...} ({@code temporalio/ui} {@code
 * src/lib/services/data-encoder.ts}), from the UI's origin, so a browser first sends a CORS
 * preflight.
 *
 * <p>Checks, in this order: the {@code Origin} (a request from a browser page of another origin
 * gets 403 and no CORS headers, so the browser shows it nothing); the preflight (answered without a
 * credential, as browsers never send one on it); the method; the bearer token (401); the path
 * (404); the body's size (413) and JSON (400). A payload encrypted under another key is 400, the
 * protocol's answer to a decoder error, with the codec's message naming both key ids: the request
 * is well formed and authorised, but this server cannot decode it; no retry helps, so 5xx would
 * mislead. Payloads that are not encrypted come back unchanged.
 */
public final class CodecServer implements AutoCloseable {
  /** Temporal's default largest blob is 2 MB; a request of several, in base64, fits in this. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  static final String ALLOWED_METHODS = "POST, OPTIONS";
  static final String ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization";

  private static final Logger LOG = LoggerFactory.getLogger(CodecServer.class);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();

  private final HttpServer server;
  private final ExecutorService executor;
  private final PayloadCodec codec;
  private final String uiOrigin;
  private final CodecAccessToken token;

  private CodecServer(
      HttpServer server,
      ExecutorService executor,
      PayloadCodec codec,
      String uiOrigin,
      CodecAccessToken token) {
    this.server = server;
    this.executor = executor;
    this.codec = codec;
    this.uiOrigin = uiOrigin;
    this.token = token;
  }

  /**
   * Starts serving.
   *
   * @param address where to listen; 127.0.0.1 unless a proxy in front needs otherwise
   * @param uiOrigin the one browser origin allowed (Temporal UI's, such as {@code
   *     https://temporal.example.com}), or null to refuse every browser
   */
  public static CodecServer start(
      InetSocketAddress address, PayloadCodec codec, String uiOrigin, CodecAccessToken token)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "codec-server");
              thread.setDaemon(true);
              return thread;
            });
    CodecServer codecServer =
        new CodecServer(server, executor, codec, normalizeOrigin(uiOrigin), token);
    server.createContext("/", codecServer::handle);
    server.setExecutor(executor);
    server.start();
    return codecServer;
  }

  /**
   * An origin as browsers send it: scheme, host and port, no path.
   *
   * @throws IllegalArgumentException naming the value when it is not such an origin
   */
  static String normalizeOrigin(String origin) {
    if (origin == null) {
      return null;
    }
    String text = origin.strip();
    if (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw badOrigin(origin);
    }
    boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    if (!web || uri.getHost() == null || !uri.getRawPath().isEmpty() || uri.getQuery() != null) {
      throw badOrigin(origin);
    }
    return text;
  }

  private static IllegalArgumentException badOrigin(String origin) {
    return new IllegalArgumentException(
        "--ui-origin: '"
            + origin
            + "' is not an origin; give scheme, host and port, such as http://localhost:8080");
  }

  /** The address the server listens at, such as {@code http://127.0.0.1:8081}. */
  public URI endpoint() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      if (origin != null && !origin.equals(uiOrigin)) {
        refuse(exchange, 403, "origin " + origin + " is not allowed");
        return;
      }
      if (origin != null) {
        corsHeaders(exchange.getResponseHeaders(), origin);
      }
      String method = exchange.getRequestMethod();
      if (method.equals("OPTIONS")) {
        preflight(exchange);
        return;
      }
      if (!method.equals("POST")) {
        exchange.getResponseHeaders().set("Allow", ALLOWED_METHODS);
        refuse(exchange, 405, method + " is not allowed; POST to /encode or /decode");
        return;
      }
      if (!token.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"failover-codec\"");
        refuse(exchange, 401, "a valid bearer token is needed");
        return;
      }
      convertOrFail(exchange);
    }
  }

  /** A fault of this server is a 500 with a line saying so; its details go to the log only. */
  private void convertOrFail(HttpExchange exchange) throws IOException {
    try {
      convert(exchange);
    } catch (RuntimeException e) {
      LOG.error("codec request failed", e);
      refuse(exchange, 500, "the codec server failed; see its log");
    }
  }

  /** The headers a browser needs to let the UI's page read the answer. */
  private static void corsHeaders(Headers headers, String origin) {
    headers.set("Access-Control-Allow-Origin", origin);
    // Temporal UI may send the request with credentials: 'include' (its includeCredentials
    // setting); a browser then needs this header to pass the answer on.
    headers.set("Access-Control-Allow-Credentials", "true");
    headers.set("Vary", "Origin");
  }

  private static void preflight(HttpExchange exchange) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
    headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    headers.set("Access-Control-Max-Age", "600");
    headers.set("Allow", ALLOWED_METHODS);
    exchange.sendResponseHeaders(204, -1);
  }

  private void convert(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String operation = path.substring(path.lastIndexOf('/') + 1);
    if (!operation.equals("encode") && !operation.equals("decode")) {
      refuse(exchange, 404, "no such endpoint " + path + "; POST to /encode or /decode");
      return;
    }
    byte[] body = readBody(exchange.getRequestBody());
    if (body == null) {
      refuse(exchange, 413, "the request is larger than " + MAX_BODY_BYTES + " bytes");
      return;
    }
    Payloads.Builder request = Payloads.newBuilder();
    try {
      PARSER.merge(new String(body, StandardCharsets.UTF_8), request);
    } catch (InvalidProtocolBufferException e) {
      refuse(exchange, 400, "the body is not Payloads JSON: " + e.getMessage());
      return;
    }
    List<Payload> converted;
    try {
      converted =
          operation.equals("encode")
              ? codec.encode(request.getPayloadsList())
              : codec.decode(request.getPayloadsList());
    } catch (PayloadCodecException e) {
      refuse(exchange, 400, e.getMessage());
      return;
    }
    String namespace = exchange.getRequestHeaders().getFirst("X-Namespace");
    LOG.info(
        "{} of {} payloads for namespace {} from {}",
        operation,
        converted.size(),
        namespace,
        exchange.getRemoteAddress());
    byte[] answer =
        PRINTER
            .print(Payloads.newBuilder().addAllPayloads(converted).build())
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  /** A refusal: the status and a one-line reason, which never holds payload content. */
  private static void refuse(HttpExchange exchange, int status, String reason) throws IOException {
    LOG.warn(
        "refused {} {} from {}: {} {}",
        exchange.getRequestMethod(),
        exchange.getRequestURI().getPath(),
        exchange.getRemoteAddress(),
        status,
        reason);
    discardBody(exchange.getRequestBody());
    byte[] text = (reason + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, text.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(text);
    }
  }

  /**
   * Reads what is left of a refused request's body (up to the size limit). The JDK's server closes
   * a connection whose request body was left unread, and unread bytes at the close make TCP reset
   * it, which can destroy the refusal before the client reads it.
   */
  private static void discardBody(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    long left = MAX_BODY_BYTES;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= read;
    }
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
