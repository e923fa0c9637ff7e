package dev.failover.simulator.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/** Reading requests and writing responses on the JDK's HTTP server. */
public final class HttpExchanges {
  private HttpExchanges() {}

  /** The decoded query parameters (the first value of each). */
  public static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.putIfAbsent(name, value);
    }
    return params;
  }

  public static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  /**
   * Per exchange, a callback that learns the response's status just before the response is sent, so
   * that a request is on record before its client can act on the answer. Not an exchange attribute:
   * the JDK 17 server keeps those per context, shared by every request, so that concurrent requests
   * would each record the other's status under their own path.
   */
  private static final Map<HttpExchange, IntConsumer> BEFORE_RESPONSE = new ConcurrentHashMap<>();

  /** Calls {@code callback} with the status just before {@link #send} answers this exchange. */
  public static void beforeResponse(HttpExchange exchange, IntConsumer callback) {
    BEFORE_RESPONSE.put(exchange, callback);
  }

  /** Drops what was kept for an exchange that is done. */
  public static void done(HttpExchange exchange) {
    BEFORE_RESPONSE.remove(exchange);
    LOSING.remove(exchange);
  }

  /**
   * Exchanges whose answer is to be lost. Not an exchange attribute: the JDK server keeps those per
   * context, shared by every request.
   */
  private static final Set<HttpExchange> LOSING = ConcurrentHashMap.newKeySet();

  /**
   * Makes {@link #send} close this exchange's connection instead of answering: the request takes
   * effect, and its answer is lost on the way.
   */
  public static void loseAnswer(HttpExchange exchange) {
    LOSING.add(exchange);
  }

  /** Sends a response; a HEAD request or a null body sends headers only. */
  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    IntConsumer beforeResponse = BEFORE_RESPONSE.get(exchange);
    if (beforeResponse != null) {
      beforeResponse.accept(status);
    }
    if (LOSING.remove(exchange)) {
      exchange.close();
      return;
    }
    boolean noBody = body == null || body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
    if (contentType != null && body != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    if (noBody) {
      if ("HEAD".equals(exchange.getRequestMethod()) && body != null) {
        exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      }
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }
}
