package dev.failover.workflows.run;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The steps of a run as a Mermaid gantt chart, which renders where teams keep runbooks and incident
 * notes (GitHub, GitLab, Confluence and Notion render {@code ```mermaid} blocks): one task per
 * step, at its start for its duration, in one section per step status.
 *
 * <p>Mermaid's gantt lexer (mermaid 12, {@code diagrams/gantt/parser/gantt.jison}) ends a task's
 * name at {@code :}, its data at {@code #} or {@code ;}, takes {@code %} as the start of a comment,
 * and reads a line that starts with a keyword ({@code section}, {@code title}, {@code click}, ...)
 * as that statement. Step names and messages come from runbooks and from the systems the run talked
 * to, so every text put into the chart keeps only {@link #SAFE} characters and never starts with a
 * keyword: no name or message can break the chart or add statements to it.
 *
 * <p>Times are UTC, written without a zone: Mermaid parses and shows them in the viewer's local
 * zone alike, so the axis reads the same clock times as the report.
 */
public final class ReportTimeline {
  /** The date format of the tasks' starts, in Mermaid's (dayjs) notation and in Java's. */
  public static final String MERMAID_DATE_FORMAT = "YYYY-MM-DD HH:mm:ss.SSS";

  public static final DateTimeFormatter DATE_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The characters a chart's text keeps; anything else becomes a space. */
  public static final Pattern SAFE = Pattern.compile("[\\p{L}\\p{N} _.,()/'+=@\\[\\]-]");

  /** Words that start a statement in Mermaid's gantt grammar, case-insensitively. */
  public static final List<String> KEYWORDS =
      List.of(
          "gantt",
          "dateformat",
          "inclusiveenddates",
          "topaxis",
          "axisformat",
          "tickinterval",
          "includes",
          "excludes",
          "todaymarker",
          "weekday",
          "weekend",
          "title",
          "acctitle",
          "accdescr",
          "accdescription",
          "section",
          "click",
          "call",
          "href");

  private static final int MAX_MESSAGE = 60;

  /** The sections, in the order the chart shows them, with the tags of their tasks. */
  private enum Lane {
    SUCCEEDED(StepStatus.SUCCEEDED, "Succeeded", "done, "),
    FAILED(StepStatus.FAILED, "Failed", "crit, "),
    SKIPPED(StepStatus.SKIPPED, "Skipped after failing", "crit, done, "),
    ABORTED(StepStatus.ABORTED, "Aborted while running", "crit, "),
    RUNNING(StepStatus.RUNNING, "Running", "active, "),
    NOT_RUN(StepStatus.NOT_RUN, "Not run", "crit, milestone, "),
    PENDING(StepStatus.PENDING, "Pending", "milestone, ");

    final StepStatus status;
    final String title;
    final String tags;

    Lane(StepStatus status, String title, String tags) {
      this.status = status;
      this.title = title;
      this.tags = tags;
    }
  }

  private ReportTimeline() {}

  /** The chart as a fenced Markdown block, ending with a newline. */
  public static String gantt(RunReport report) {
    Instant last = lastInstant(report);
    if (last == null) {
      return "No step has started yet.\n";
    }
    List<String> lines = new ArrayList<>();
    lines.add("```mermaid");
    lines.add("gantt");
    lines.add(
        "    title "
            + text(
                capitalized(report.mode().label())
                    + " of runbook "
                    + report.runbook()
                    + " - "
                    + report.outcome()));
    lines.add("    dateFormat " + MERMAID_DATE_FORMAT);
    lines.add("    axisFormat %H:%M:%S");
    lines.add("    todayMarker off");
    for (Lane lane : Lane.values()) {
      lanes(report, lane, last, lines);
    }
    lines.add("```");
    return String.join("\n", lines) + "\n";
  }

  /** One section with the steps of its status, in the report's order; nothing when it has none. */
  private static void lanes(RunReport report, Lane lane, Instant last, List<String> lines) {
    List<String> tasks = new ArrayList<>();
    List<StepReport> steps = report.steps();
    for (int i = 0; i < steps.size(); i++) {
      StepReport step = steps.get(i);
      if (step.status() == lane.status) {
        tasks.add(task(step, "s" + (i + 1), lane, last));
      }
    }
    if (!tasks.isEmpty()) {
      lines.add("    section " + text(lane.title));
      lines.addAll(tasks);
    }
  }

  /**
   * A step as a task. A step that has not ended runs until the report's last known instant; a step
   * that never started is a milestone there.
   */
  private static String task(StepReport step, String id, Lane lane, Instant last) {
    Instant start = step.startedAt() == null ? last : Instant.parse(step.startedAt());
    Instant end = step.endedAt() == null ? last : Instant.parse(step.endedAt());
    long millis =
        step.startedAt() == null ? 0 : Math.max(0, Duration.between(start, end).toMillis());
    return "    "
        + label(step)
        + " :"
        + lane.tags
        + id
        + ", "
        + DATE_FORMAT.format(start)
        + ", "
        + millis
        + "ms";
  }

  /** The step's name, and for a step that failed or was skipped, the start of its message. */
  private static String label(StepReport step) {
    String label = step.name();
    boolean explained =
        step.status() == StepStatus.FAILED
            || step.status() == StepStatus.SKIPPED
            || step.status() == StepStatus.ABORTED;
    if (explained && step.message() != null && !step.message().isBlank()) {
      String message = step.message().strip();
      label +=
          " - "
              + (message.length() > MAX_MESSAGE
                  ? message.substring(0, MAX_MESSAGE - 3) + "..."
                  : message);
    }
    return text(label);
  }

  /**
   * Text the chart can carry: unsafe characters become spaces, runs of spaces one, and a text that
   * would start with a keyword (or be empty) gets a prefix that no statement starts with.
   */
  public static String text(String raw) {
    StringBuilder kept = new StringBuilder();
    String source = raw == null ? "" : raw;
    source
        .codePoints()
        .forEach(
            c -> {
              String ch = new String(Character.toChars(c));
              kept.append(SAFE.matcher(ch).matches() ? ch : " ");
            });
    String text = kept.toString().replaceAll(" +", " ").strip();
    String lower = text.toLowerCase(Locale.ROOT);
    boolean keyword = KEYWORDS.stream().anyMatch(lower::startsWith);
    boolean digitsFirst = !text.isEmpty() && Character.isDigit(text.charAt(0));
    return text.isEmpty() || keyword || digitsFirst ? "step " + text : text;
  }

  private static String capitalized(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  /** The latest time the report knows: its end, or the latest start or end of a step. */
  private static Instant lastInstant(RunReport report) {
    Instant last = report.endedAt() == null ? null : Instant.parse(report.endedAt());
    for (StepReport step : report.steps()) {
      for (String at : new String[] {step.startedAt(), step.endedAt()}) {
        if (at != null && (last == null || Instant.parse(at).isAfter(last))) {
          last = Instant.parse(at);
        }
      }
    }
    return last;
  }
}
