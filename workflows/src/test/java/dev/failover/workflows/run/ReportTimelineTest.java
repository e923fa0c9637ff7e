package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ReportTimelineTest {

  @Test
  void theMarkdownReportCarriesOneGanttTaskPerStepAtItsStartForItsDuration() {
    RunReport report = SampleReports.drillWithLoss();

    List<MermaidGanttSyntax.Task> tasks = MermaidGanttSyntax.check(ReportMarkdown.render(report));

    assertThat(tasks)
        .extracting(MermaidGanttSyntax.Task::label)
        .containsExactly(
            "readiness",
            "capture",
            "converge-tables",
            "check-delta-tables",
            "clean-up - kept the drill was started with --keep");
    assertThat(tasks.get(0).start()).isEqualTo(LocalDateTime.parse("2026-12-05T10:00:00"));
    assertThat(tasks.get(0).millis()).isEqualTo(1200);
    assertThat(tasks.get(2).start()).isEqualTo(LocalDateTime.parse("2026-12-05T10:00:02.500"));
    assertThat(tasks.get(2).millis()).isEqualTo(1600);
    assertThat(tasks.get(0).tags()).containsExactly("done");
    assertThat(tasks.get(4).tags()).contains("crit");
    assertThat(ReportMarkdown.render(report))
        .contains(
            "    section Succeeded\n    readiness :done, s1, 2026-12-05 10:00:00.000, 1200ms\n")
        .contains("    section Skipped after failing\n");
  }

  @Test
  void namesAndMessagesCannotBreakTheChart() {
    RunReport report = SampleReports.failedWithHostileNames();

    String markdown = ReportMarkdown.render(report);
    List<MermaidGanttSyntax.Task> tasks = MermaidGanttSyntax.check(markdown);

    assertThat(tasks).hasSize(report.steps().size());
    assertThat(tasks)
        .extracting(MermaidGanttSyntax.Task::label)
        .containsExactlyInAnyOrder(
            "readiness",
            "step section notify ops now",
            "step click call href",
            "webhook pager 1 - POST https //hooks.example/x a=1 frag answered 500 b ...",
            "step 2026-12-05 backfill - skipped by alice ok",
            "step gantt",
            "smoke-test",
            "report");
    // The step still running runs until the report's last instant; those that never ran are
    // milestones there.
    MermaidGanttSyntax.Task running =
        tasks.stream().filter(t -> t.label().equals("step gantt")).findFirst().orElseThrow();
    assertThat(running.tags()).containsExactly("active");
    assertThat(running.millis()).isEqualTo(200);
    assertThat(tasks.stream().filter(t -> t.tags().contains("milestone")))
        .extracting(MermaidGanttSyntax.Task::millis)
        .containsExactly(0L, 0L);
  }

  @Test
  void everyBuiltInStepNameIsATaskAsItIs() {
    RunReport report = SampleReports.everyBuiltInStep();

    assertThat(MermaidGanttSyntax.check(ReportMarkdown.render(report)))
        .extracting(MermaidGanttSyntax.Task::label)
        .containsExactlyElementsOf(report.steps().stream().map(StepReport::name).toList());
  }

  @Test
  void theSyntaxCheckRejectsWhatMermaidWouldMisread() {
    String chart =
        "```mermaid\ngantt\n    dateFormat YYYY-MM-DD HH:mm:ss.SSS\n    section Succeeded\n";
    assertThatThrownBy(
            () ->
                MermaidGanttSyntax.check(
                    chart + "    notify: ops :done, s1, 2026-12-05 10:00:00.000, 5ms\n```\n"))
        .hasMessageContaining("a task line");
    assertThatThrownBy(
            () ->
                MermaidGanttSyntax.check(
                    chart + "    notify #ops :done, s1, 2026-12-05 10:00:00.000, 5ms\n```\n"))
        .hasMessageContaining("only safe characters");
    assertThatThrownBy(
            () ->
                MermaidGanttSyntax.check(
                    chart + "    ops :done, s1, 2026-12-05 10:00:00.000, 5 s\n```\n"))
        .hasMessageContaining("a task line");
    assertThatThrownBy(
            () ->
                MermaidGanttSyntax.check(
                    chart + "    ops :done, s1, 2026-13-05 10:00:00.000, 5ms\n```\n"))
        .hasMessageContaining("invalid start date");
    assertThatThrownBy(
            () ->
                MermaidGanttSyntax.check(
                    chart
                        + "    a :s1, 2026-12-05 10:00:00.000, 5ms\n"
                        + "    b :s1, 2026-12-05 10:00:00.000, 5ms\n```\n"))
        .hasMessageContaining("task ids unique");
    assertThatThrownBy(
            () ->
                MermaidGanttSyntax.check(
                    chart + "    Section b :s1, 2026-12-05 10:00:00.000, 5ms\n```\n"))
        .hasMessageContaining("keyword section");
  }

  @Test
  void mermaidInHeadlessChromiumRendersEveryStepOfTheCharts() throws Exception {
    Assumptions.assumeTrue(
        MermaidInChromium.missing().isEmpty(),
        () -> "skipped, cannot render Mermaid here: " + MermaidInChromium.missing().orElse(""));
    List<RunReport> reports =
        List.of(
            SampleReports.drillWithLoss(),
            SampleReports.failedWithHostileNames(),
            SampleReports.everyBuiltInStep());
    List<String> charts = reports.stream().map(ReportTimelineTest::chart).toList();

    List<MermaidInChromium.Rendered> rendered = MermaidInChromium.render(charts);

    for (int i = 0; i < reports.size(); i++) {
      MermaidInChromium.Rendered chart = rendered.get(i);
      assertThat(chart.ok()).as(chart.error()).isTrue();
      assertThat(chart.taskClasses()).hasSize(reports.get(i).steps().size());
      assertThat(chart.taskLabels())
          .containsExactlyInAnyOrderElementsOf(
              MermaidGanttSyntax.check(ReportMarkdown.render(reports.get(i))).stream()
                  .map(MermaidGanttSyntax.Task::label)
                  .toList());
    }
    assertThat(rendered.get(1).taskClasses()).anyMatch(c -> c.contains("crit"));
  }

  @Test
  void mermaidInHeadlessChromiumFailsOnABrokenChart() throws Exception {
    Assumptions.assumeTrue(
        MermaidInChromium.missing().isEmpty(),
        () -> "skipped, cannot render Mermaid here: " + MermaidInChromium.missing().orElse(""));

    // What an unsanitised step name with a colon and a hash would make.
    List<MermaidInChromium.Rendered> rendered =
        MermaidInChromium.render(
            List.of(
                "gantt\n    dateFormat YYYY-MM-DD HH:mm:ss.SSS\n    section Failed\n"
                    + "    webhook: pager#1 :crit, s1, 2026-12-05 10:00:00.000, 5ms\n"));

    // Mermaid reads "webhook" as the task, ": pager" as its data, and cannot place it.
    assertThat(rendered.get(0).ok()).isFalse();
    assertThat(rendered.get(0).error()).isNotBlank();
  }

  /** The chart inside the report's ```mermaid block, as a renderer gets it. */
  private static String chart(RunReport report) {
    String markdown = ReportMarkdown.render(report);
    int start = markdown.indexOf("```mermaid\n") + 11;
    return markdown.substring(start, markdown.indexOf("\n```\n", start) + 1);
  }
}
