package dev.failover.activities.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-workspace request rates this worker keeps to, per API family, read from a cloud profile
 * file (the simulator's {@code profiles/realistic.json} format: {@code databricks[]} entries with
 * {@code family}, {@code match[]} of {@code prefix} and optional {@code methods}, and {@code
 * requestsPerSecond}). A real account whose limits differ writes its own file.
 *
 * <p>{@code share} is the part of each limit this worker takes: with N workers polling one task
 * queue, each given {@code 1/N}, their sum stays within the workspace's limit whatever activities
 * each happens to run.
 *
 * @param families the families in match order (the first match wins)
 * @param share the part of each limit this worker uses, in (0, 1]
 */
public record ApiLimits(List<Family> families, double share) {

  /** One family: the paths it covers and its limit per workspace. */
  public record Family(String name, List<Match> match, double requestsPerSecond) {}

  /** A path prefix, optionally only for some methods (null: all). */
  public record Match(String prefix, List<String> methods) {
    boolean matches(String method, String path) {
      return path.startsWith(prefix) && (methods == null || methods.contains(method));
    }
  }

  public ApiLimits {
    families = List.copyOf(families);
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("api limits share must be in (0, 1]: " + share);
    }
  }

  /** One limit for every request to a workspace, as {@code --workspace-rate-limit} sets it. */
  public static ApiLimits flat(double requestsPerSecond, double share) {
    if (!(requestsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "workspace rate limit must be a positive number: " + requestsPerSecond);
    }
    return new ApiLimits(
        List.of(new Family("all", List.of(new Match("/", null)), requestsPerSecond)), share);
  }

  /** The family of a request, or null when none matches (then it is not paced). */
  public Family familyOf(String method, String path) {
    for (Family family : families) {
      if (family.match().stream().anyMatch(m -> m.matches(method, path))) {
        return family;
      }
    }
    return null;
  }

  /** The rate this worker keeps to for a family. */
  public double rateOf(Family family) {
    return family.requestsPerSecond() * share;
  }

  /** Reads a profile file; a bad file is one line naming the field. */
  public static ApiLimits read(Path file, double share) {
    try {
      return parse(file.toString(), Files.readAllBytes(file), share);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read api limits " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a profile's text; {@code source} names it in errors. */
  public static ApiLimits parse(String source, byte[] profile, double share) throws IOException {
    JsonNode root = new ObjectMapper().readTree(profile);
    JsonNode entries = root.path("databricks");
    if (!entries.isArray() || entries.isEmpty()) {
      throw new IllegalArgumentException(source + ": databricks: a list of API families is needed");
    }
    List<Family> families = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      families.add(family(source, i, entries.get(i)));
    }
    return new ApiLimits(families, share);
  }

  private static Family family(String source, int index, JsonNode entry) {
    String at = source + ": databricks[" + index + "]";
    String name = entry.path("family").asText("");
    double rate = entry.path("requestsPerSecond").asDouble(0);
    if (name.isBlank()) {
      throw new IllegalArgumentException(at + ".family: a name is needed");
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException(at + ".requestsPerSecond: a positive number is needed");
    }
    List<Match> matches = new ArrayList<>();
    for (JsonNode match : entry.path("match")) {
      String prefix = match.path("prefix").asText("");
      if (!prefix.startsWith("/")) {
        throw new IllegalArgumentException(at + ".match.prefix: a path starting with / is needed");
      }
      List<String> methods = null;
      if (match.has("methods")) {
        methods = new ArrayList<>();
        for (JsonNode method : match.get("methods")) {
          methods.add(method.asText());
        }
      }
      matches.add(new Match(prefix, methods));
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException(at + ".match: at least one prefix is needed");
    }
    return new Family(name, matches, rate);
  }
}
