package dev.failover.workflows.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders Mermaid charts the way a reader's browser does: Mermaid's own bundle, loaded into a page
 * that headless Chromium runs, parses and renders each chart and reports the error Mermaid raises,
 * or the tasks it drew.
 *
 * <p>Chromium comes from Debian's package ({@code apt-get install chromium}; or the binary named by
 * {@code CHROMIUM}); Mermaid from npm ({@code npm install --prefix .tools mermaid} at the
 * repository's root; or the {@code mermaid.min.js} named by {@code MERMAID_JS}). Where either is
 * absent, {@link #missing()} says which, and the tests that need them are skipped.
 */
final class MermaidInChromium {
  private static final Pattern RESULT =
      Pattern.compile("<pre id=\"result\">(.*?)</pre>", Pattern.DOTALL);

  /** What Mermaid made of one chart. */
  record Rendered(boolean ok, String error, List<String> taskClasses, List<String> taskLabels) {}

  private MermaidInChromium() {}

  /** Why the charts cannot be rendered here, or empty when they can. */
  static Optional<String> missing() {
    if (chromium().isEmpty()) {
      return Optional.of(
          "no Chromium: apt-get install chromium (or set CHROMIUM to a Chromium binary)");
    }
    if (mermaidJs().isEmpty()) {
      return Optional.of(
          "no Mermaid: npm install --prefix .tools mermaid at the repository's root (or set"
              + " MERMAID_JS to a mermaid.min.js)");
    }
    return Optional.empty();
  }

  static Optional<Path> chromium() {
    String named = System.getenv("CHROMIUM");
    if (named != null && !named.isBlank()) {
      return Optional.of(Paths.get(named)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    for (String dir : path.split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "chromium-headless-shell")) {
        Path candidate = Paths.get(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** MERMAID_JS, or the bundle npm installed under .tools in this or a parent directory. */
  static Optional<Path> mermaidJs() {
    String named = System.getenv("MERMAID_JS");
    if (named != null && !named.isBlank()) {
      return Optional.of(Paths.get(named)).filter(Files::isReadable);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path bundle = dir.resolve(".tools/node_modules/mermaid/dist/mermaid.min.js");
      if (Files.isReadable(bundle)) {
        return Optional.of(bundle);
      }
    }
    return Optional.empty();
  }

  /** Each chart as Mermaid renders it, in order. */
  static List<Rendered> render(List<String> charts) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("mermaid-render");
    Files.copy(mermaidJs().orElseThrow(), dir.resolve("mermaid.min.js"));
    Path page = dir.resolve("page.html");
    Files.writeString(page, page(charts), StandardCharsets.UTF_8);
    Process chromium =
        new ProcessBuilder(
                chromium().orElseThrow().toString(),
                "--headless",
                // Tests run as root in CI containers, where Chromium's sandbox cannot start.
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"),
                // Lets Mermaid's asynchronous rendering finish before the DOM is dumped.
                "--virtual-time-budget=30000",
                "--dump-dom",
                page.toUri().toString())
            .redirectError(dir.resolve("chromium.log").toFile())
            .start();
    byte[] dom = chromium.getInputStream().readAllBytes();
    if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
      throw new AssertionError("Chromium did not finish within 120 s");
    }
    Matcher result = RESULT.matcher(new String(dom, StandardCharsets.UTF_8));
    if (!result.find() || result.group(1).equals("PENDING")) {
      throw new AssertionError(
          "Mermaid did not report: see "
              + dir.resolve("chromium.log")
              + "; DOM: "
              + new String(dom, StandardCharsets.UTF_8));
    }
    return parse(unescape(result.group(1)));
  }

  private static List<Rendered> parse(String json) throws IOException {
    List<Rendered> rendered = new ArrayList<>();
    for (JsonNode chart : new ObjectMapper().readTree(json)) {
      List<String> classes = new ArrayList<>();
      chart.path("taskClasses").forEach(c -> classes.add(c.asText()));
      List<String> labels = new ArrayList<>();
      chart.path("taskLabels").forEach(l -> labels.add(l.asText().strip()));
      rendered.add(
          new Rendered(
              chart.get("ok").asBoolean(), chart.path("error").asText(null), classes, labels));
    }
    return rendered;
  }

  private static String unescape(String html) {
    return html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
  }

  /**
   * A page that parses and renders each chart with Mermaid and writes, as JSON into #result, the
   * error or the classes and labels of the task bars it drew. Mermaid's strict security level is
   * the one sites that render untrusted Markdown use.
   */
  private static String page(List<String> charts) throws IOException {
    String sources = new ObjectMapper().writeValueAsString(charts).replace("</", "<\\/");
    return """
        <!doctype html><html><head><meta charset="utf-8"></head><body>
        <pre id="result">PENDING</pre>
        <script src="mermaid.min.js"></script>
        <script>
        const sources = %s;
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
        (async () => {
          const results = [];
          for (let i = 0; i < sources.length; i++) {
            try {
              await mermaid.parse(sources[i]);
              const { svg } = await mermaid.render('chart' + i, sources[i]);
              const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
              const bars = [...doc.querySelectorAll('rect')]
                .filter(r => /^task\\b/.test(r.getAttribute('class') || ''));
              const labels = [...doc.querySelectorAll('text')]
                .filter(t => /\\btaskText/.test(t.getAttribute('class') || ''));
              results.push({ ok: true,
                taskClasses: bars.map(r => r.getAttribute('class')),
                taskLabels: labels.map(t => t.textContent) });
            } catch (e) {
              results.push({ ok: false, error: String((e && e.message) || e) });
            }
          }
          document.getElementById('result').textContent = JSON.stringify(results);
        })();
        </script></body></html>
        """
        .formatted(sources);
  }
}
