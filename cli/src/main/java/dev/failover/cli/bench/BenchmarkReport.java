package dev.failover.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's phases as JSON and as a Markdown table. */
record BenchmarkReport(String profile, List<PhaseResult> phases) {

  String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("profile", profile);
    root.put("phases", phases);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "peak (after a collection)"; a phase short enough to see no collection says so. */
  private static String heap(PhaseResult.Heap heap) {
    if (!heap.measured()) {
      return "-";
    }
    return heap.peakMiB()
        + (heap.afterGcMiB() > 0 ? " (" + heap.afterGcMiB() + ")" : " (no collection)");
  }

  /**
   * "worker + sandbox (simulator's)" CPU seconds, the share of the cores they kept busy, and the
   * worker's collectors' pauses.
   */
  private static String cpu(PhaseResult phase) {
    PhaseResult.Cpu cpu = phase.cpu();
    if (!cpu.measured()) {
      return "-";
    }
    return String.format(
        Locale.ROOT,
        "%.1f + %.1f (%.1f) %d%%, GC %.1f",
        cpu.workerSeconds(),
        cpu.sandboxSeconds(),
        cpu.simulatorSeconds(),
        Math.round(cpu.busy(phase.wallSeconds()) * 100),
        cpu.workerGcPauseSeconds());
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("Profile: ").append(profile).append("\n\n");
    md.append(
        "| phase | scale | wall s | requests | 429s | retries"
            + " | worker's peak heap MiB (after GC) | history events"
            + " | CPU s worker + sandbox (simulator's), cores busy, worker's GC pauses s"
            + " | bound s (set by) | measured/bound |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (PhaseResult p : phases) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.1f | %d | %d | %d | %s | %s | %s | %.1f (%s) | %s |%n",
              p.phase(),
              p.scale(),
              p.wallSeconds(),
              p.requests(),
              p.throttled(),
              p.retries(),
              heap(p.heap()),
              p.historyEvents() < 0 ? "-" : Long.toString(p.historyEvents()),
              cpu(p),
              p.boundSeconds(),
              p.boundFamily(),
              Double.isInfinite(p.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", p.ratio())));
    }
    md.append("\nRequests per API family:\n\n");
    for (PhaseResult p : phases) {
      md.append("- ").append(p.phase()).append(": ").append(p.requestsByFamily()).append('\n');
    }
    md.append("\nSteps of each run, wall seconds in the order they started (steps overlap):\n\n");
    for (PhaseResult p : phases) {
      if (!p.stepSeconds().isEmpty()) {
        md.append("- ").append(p.phase()).append(": ").append(steps(p)).append('\n');
      }
    }
    return md.toString();
  }

  private static String steps(PhaseResult phase) {
    StringBuilder line = new StringBuilder();
    phase
        .stepSeconds()
        .forEach(
            (step, seconds) ->
                line.append(line.length() == 0 ? "" : ", ")
                    .append(step)
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", seconds)));
    return line.toString();
  }
}
