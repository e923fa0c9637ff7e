package dev.failover.workflows.run;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict check of the gantt charts the reports write, in plain Java so that every build checks
 * them, with or without a browser. It accepts the subset of Mermaid's gantt grammar (mermaid 12,
 * {@code diagrams/gantt/parser/gantt.jison}) that {@link ReportTimeline} uses, and rejects what
 * Mermaid would misread: a {@code :} in a task's name (it ends the name), {@code #} or {@code ;} in
 * its data (they end the data), {@code %} anywhere but the axis format (a comment), a line that
 * starts with a keyword other than its own statement, a date that the date format does not parse, a
 * duration Mermaid ignores (it logs "neither a valid date ... nor a valid duration" and draws
 * nothing), and a task id used twice.
 */
final class MermaidGanttSyntax {
  private static final Pattern TEXT = Pattern.compile("[\\p{L}\\p{N} _.,()/'+=@\\[\\]-]+");
  private static final Pattern TASK =
      Pattern.compile(
          "^    ([^:\\n]+) :((?:(?:done|active|crit|milestone), )*)([A-Za-z][A-Za-z0-9_]*),"
              + " (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}), (\\d+)ms$");

  /** The words that start a statement in the gantt lexer's rules (case-insensitive). */
  private static final List<String> KEYWORDS =
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

  private static final DateTimeFormatter DATES =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS", Locale.ROOT);

  /** A task as the chart declares it. */
  record Task(String label, List<String> tags, String id, LocalDateTime start, long millis) {}

  private MermaidGanttSyntax() {}

  /** The tasks of the one fenced mermaid block in the Markdown; throws on any syntax error. */
  static List<Task> check(String markdown) {
    List<String> block = fencedBlock(markdown);
    expect(block.get(0).equals("gantt"), "the block starts with 'gantt'", block.get(0));
    List<Task> tasks = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    boolean inSection = false;
    for (String line : block.subList(1, block.size())) {
      if (line.startsWith("    title ")) {
        text(line.substring(10), line);
      } else if (line.equals("    dateFormat " + ReportTimeline.MERMAID_DATE_FORMAT)) {
        continue;
      } else if (line.equals("    axisFormat %H:%M:%S") || line.equals("    todayMarker off")) {
        continue;
      } else if (line.startsWith("    section ")) {
        text(line.substring(12), line);
        inSection = true;
      } else {
        expect(inSection, "tasks inside a section", line);
        Task task = task(line);
        expect(ids.add(task.id()), "task ids unique", line);
        tasks.add(task);
      }
    }
    return tasks;
  }

  private static List<String> fencedBlock(String markdown) {
    int open = markdown.indexOf("```mermaid\n");
    expect(open >= 0, "a ```mermaid block", markdown);
    int close = markdown.indexOf("\n```\n", open);
    expect(close > open, "the block closed by ```", markdown.substring(open));
    expect(
        markdown.indexOf("```mermaid", close) < 0, "one mermaid block", markdown.substring(close));
    return List.of(markdown.substring(open + 11, close).split("\n", -1));
  }

  private static Task task(String line) {
    Matcher m = TASK.matcher(line);
    expect(m.matches(), "a task line 'name :tags, id, start, <n>ms'", line);
    String label = m.group(1);
    text(label, line);
    List<String> tags =
        m.group(2).isEmpty()
            ? List.of()
            : List.of(m.group(2).substring(0, m.group(2).length() - 2).split(", "));
    LocalDateTime start;
    try {
      start = LocalDateTime.parse(m.group(4), DATES);
    } catch (DateTimeParseException e) {
      throw new AssertionError("invalid start date in: " + line, e);
    }
    return new Task(label, tags, m.group(3), start, Long.parseLong(m.group(5)));
  }

  /** Text a statement carries: safe characters only, and no keyword at its start. */
  private static void text(String text, String line) {
    expect(TEXT.matcher(text).matches(), "only safe characters", line);
    expect(text.equals(text.strip()) && !text.isEmpty(), "no blank or padded text", line);
    String lower = text.toLowerCase(Locale.ROOT);
    for (String keyword : KEYWORDS) {
      expect(!lower.startsWith(keyword), "no text starting with the keyword " + keyword, line);
    }
    expect(!Character.isDigit(text.charAt(0)), "no text starting with a digit (a date)", line);
  }

  private static void expect(boolean holds, String what, String where) {
    if (!holds) {
      throw new AssertionError("Mermaid gantt syntax: expected " + what + ", in: " + where);
    }
  }
}
