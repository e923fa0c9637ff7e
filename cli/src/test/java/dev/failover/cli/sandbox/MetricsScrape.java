package dev.failover.cli.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/** One scrape of a worker's {@code /metrics}, as Prometheus takes it, and look-ups in it. */
record MetricsScrape(int status, String contentType, String text) {

  static MetricsScrape of(int port) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new MetricsScrape(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }

  /** Whether a sample of the metric is present. */
  boolean has(String name) {
    return samples(name).findAny().isPresent();
  }

  /**
   * The value of the sample of {@code name} whose labels include every {@code label="value"} pair
   * given (as alternating names and values); empty when there is none.
   */
  OptionalDouble value(String name, String... labels) {
    List<String> wanted =
        java.util.stream.IntStream.range(0, labels.length / 2)
            .mapToObj(i -> labels[2 * i] + "=\"" + labels[2 * i + 1] + "\"")
            .toList();
    return samples(name)
        .filter(line -> wanted.stream().allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst();
  }

  private java.util.stream.Stream<String> samples(String name) {
    return Arrays.stream(text.split("\n"))
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
  }
}
