package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan for people ({@code failover plan}, Temporal UI): each step with the steps it waits for,
 * read from the same {@link PlanGraph} the run walks.
 */
public final class PlanLayout {
  private PlanLayout() {}

  /** One line per step, in the report's order: its name and what it waits for. */
  public static List<String> describe(Runbook runbook, Mode mode) {
    return describe(PlanGraph.of(runbook, mode));
  }

  static List<String> describe(PlanGraph graph) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "each step starts once the steps it waits for have run, at most "
            + graph.maxParallel()
            + (graph.maxParallel() == 1 ? " step at a time:" : " steps at once:"));
    for (PlanGraph.Node node : graph.nodes()) {
      String name = node.custom() == null ? node.name() : node.name() + " (custom)";
      List<String> needs = graph.directNeeds(node);
      PlanGraph.EarlyStart start = graph.earlyStart(node);
      String early = start == null ? "" : "; " + start.what();
      lines.add(
          needs.isEmpty()
              ? "  " + name
              : "  " + name + "  (after " + String.join(", ", needs) + early + ")");
    }
    return lines;
  }
}
