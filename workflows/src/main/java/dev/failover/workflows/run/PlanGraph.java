package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.Webhooks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The plan of a run as a graph: the built-in steps of the mode ({@link Step}, less those the
 * runbook disables) and the runbook's custom steps, each with the steps it needs. A step starts
 * once every step it needs has run, at most {@link #maxParallel} at once; the run ({@link
 * StepExecutor}), {@code failover plan} ({@link PlanLayout}), the report's order and the runbook
 * validator all read this one graph.
 *
 * <p>A built-in step's need that is not in the plan stands for that step's own needs (a drill has
 * no storage promotion: the Delta check then needs what the promotion needs, in the end readiness),
 * except where the step needs only that step ({@link Step#needsOnlyIfPlanned}: a drill's capture,
 * which only reads, runs beside readiness). The approval sits before the step {@code
 * approval.before} names (by default right after readiness): it needs what that step needs, and
 * every other built-in step that it does not need waits for it, so nothing but the way to that
 * point runs before an operator approves. A custom step needs the steps it names that the plan has;
 * one left with none runs last, before the report.
 */
public final class PlanGraph {
  /**
   * One step of the plan.
   *
   * @param name its name
   * @param step the built-in step, or null for a custom one
   * @param custom the custom step, or null for a built-in one
   * @param needs the names of the steps it runs after
   */
  public record Node(String name, Step step, Runbook.CustomStep custom, List<String> needs) {
    /** Whether an operator may skip the step after it failed. */
    public boolean skippable() {
      return step == null || step.skippable();
    }

    /** Whether the step takes one of the run's slots: waiting for an approval does not. */
    public boolean takesSlot() {
      return step != Step.APPROVAL;
    }

    public String description() {
      if (step != null) {
        return step.description();
      }
      return custom.webhook().method()
          + " "
          + Webhooks.shown(custom.webhook().url())
          + " (custom step)";
    }
  }

  private final List<Node> nodes;
  private final Mode mode;
  private final int maxParallel;

  private PlanGraph(List<Node> nodes, Mode mode, int maxParallel) {
    this.nodes = List.copyOf(nodes);
    this.mode = mode;
    this.maxParallel = maxParallel;
  }

  /** The plan of a run of the mode under the runbook. */
  public static PlanGraph of(Runbook runbook, Mode mode) {
    List<Step> builtIn = builtInSteps(runbook, mode);
    List<Node> nodes = new ArrayList<>(builtInNodes(builtIn, runbook.approval().before()));
    Node report = nodes.remove(nodes.size() - 1);
    placeCustomSteps(nodes, builtIn, runbook.steps(), mode);
    List<String> everything = nodes.stream().map(Node::name).toList();
    nodes.add(new Node(report.name(), Step.REPORT, null, everything));
    return new PlanGraph(nodes, mode, Math.max(1, runbook.steps().maxParallel()));
  }

  /** Every step, built-in and custom, in the report's order; the report last. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The built-in steps, in the report's order. */
  public List<Step> steps() {
    return nodes.stream().filter(n -> n.step() != null).map(Node::step).toList();
  }

  /** The names of every step, in the report's order. */
  public List<String> names() {
    return nodes.stream().map(Node::name).toList();
  }

  public boolean has(Step step) {
    return nodes.stream().anyMatch(n -> n.step() == step);
  }

  /** How many steps run at once, at most ({@code steps.maxParallel}). */
  public int maxParallel() {
    return maxParallel;
  }

  /** The node of that name. */
  public Node node(String name) {
    return nodes.stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no step " + name + " in the plan"));
  }

  /**
   * A step that starts before all of its needs have run, once {@code after} has: it does the part
   * that needs no more ({@code what}), then waits inside for the rest of its needs. The jobs are
   * the slowest family (a read per job at the Jobs API's rate), so their reads start early:
   *
   * <ul>
   *   <li>{@code converge-jobs} reads DR's copies of the jobs beside the steps it needs ({@link
   *       ConvergeStep}); its batches converge from that read. In a drill it reads every copy DR
   *       holds once readiness has passed, beside capture, and then writes each job capture hands
   *       on as it reads it, those that name no warehouse, cluster, policy or other job and whose
   *       run-as identity DR lists ({@code ConvergeActivities.convergeAsCaptured}); the batches
   *       leave those out. A failover or failback reads the copies of the captured jobs once
   *       capture has run: only then does a failover know whether it trusts the record that DR
   *       matched a snapshot, and so reads nothing ahead.
   *   <li>the smoke test checks the jobs once {@code converge-jobs} has run, beside permissions and
   *       whatever else still converges, and the access lists once {@code converge-permissions} has
   *       run, beside the storage steps ({@link SmokeTestStep}): permissions set access lists and
   *       owners, which the jobs check does not compare (a copy's {@code run_as} is set
   *       explicitly), and no other step sets access lists; and Unity Catalog (catalogs, schemas,
   *       grants, tables, models, locations, credentials, the metastore) and the groups once {@code
   *       converge-grants} has run, which needs every step that creates in Unity Catalog and moves
   *       the owners last.
   * </ul>
   */
  public record EarlyStart(Step after, String what) {}

  private static EarlyStart earlyStartOf(Step step, Mode mode) {
    return switch (step) {
      case CONVERGE_JOBS ->
          mode == Mode.DRILL
              ? new EarlyStart(
                  Step.READINESS,
                  "once readiness has passed it reads DR's copies of every job and writes each"
                      + " job that names no other object as capture reads it")
              : new EarlyStart(
                  Step.CAPTURE, "it reads DR's copies of the captured jobs once capture has run");
      case SMOKE_TEST ->
          new EarlyStart(
              Step.CONVERGE_JOBS,
              "it checks the jobs once converge-jobs has run, the access lists once"
                  + " converge-permissions has, and Unity Catalog and the groups once"
                  + " converge-grants has (without a failover group or custom step)");
      default -> null;
    };
  }

  /**
   * How a step starts before all of its needs have run, or null. Only with two slots or more: the
   * step holds one while it waits, and at most one such step waits at a time.
   */
  public EarlyStart earlyStart(Node node) {
    EarlyStart early = node.step() == null ? null : earlyStartOf(node.step(), mode);
    return early == null || maxParallel < 2 || !has(early.after()) ? null : early;
  }

  /**
   * What a step waits for before it starts: its needs, or for a step that starts early ({@link
   * #earlyStart}), the step it starts after, what that one needs, and readiness and the approval
   * when the step needs them (nothing reads DR before an operator approves).
   */
  public List<String> startNeeds(Node node) {
    EarlyStart early = earlyStart(node);
    if (early == null) {
      return node.needs();
    }
    String after = early.after().stepName();
    Set<String> first = new LinkedHashSet<>(ancestors(after));
    first.add(after);
    Set<String> all = ancestors(node.name());
    for (Step gate : List.of(Step.READINESS, Step.APPROVAL)) {
      if (all.contains(gate.stepName())) {
        first.add(gate.stepName());
      }
    }
    return List.copyOf(first);
  }

  /** The steps a node needs that no other of its needs already needs: what people read. */
  public List<String> directNeeds(Node node) {
    List<String> direct = new ArrayList<>();
    for (String need : node.needs()) {
      boolean implied =
          node.needs().stream()
              .anyMatch(other -> !other.equals(need) && ancestors(other).contains(need));
      if (!implied) {
        direct.add(need);
      }
    }
    return direct;
  }

  /** Every step a node runs after, directly or through the steps it needs. */
  public Set<String> ancestors(String name) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(node(name).needs());
    while (!todo.isEmpty()) {
      String next = todo.remove(todo.size() - 1);
      if (seen.add(next)) {
        todo.addAll(node(next).needs());
      }
    }
    return seen;
  }

  /** The mode's built-in steps the runbook keeps, the approval only where one is required. */
  private static List<Step> builtInSteps(Runbook runbook, Mode mode) {
    return Arrays.stream(Step.values())
        .filter(step -> step.runsIn(mode))
        .filter(step -> step.appliesTo(runbook))
        .filter(step -> !runbook.steps().disable().contains(step.stepName()))
        .filter(step -> step != Step.APPROVAL || Step.approvalRequired(runbook, mode))
        .toList();
  }

  private static List<Node> builtInNodes(List<Step> plan, String approvalBefore) {
    List<List<Step>> needs = new ArrayList<>();
    for (Step step : plan) {
      needs.add(new ArrayList<>(resolved(step, plan)));
    }
    if (plan.contains(Step.APPROVAL)) {
      placeApproval(plan, needs, Step.named(approvalBefore));
    }
    List<Node> nodes = new ArrayList<>();
    for (int i : stableTopologicalOrder(plan, needs)) {
      List<String> names = needs.get(i).stream().map(Step::stepName).toList();
      nodes.add(new Node(plan.get(i).stepName(), plan.get(i), null, names));
    }
    return nodes;
  }

  /** A step's needs in the plan: a need the plan lacks stands for its own needs. */
  private static Set<Step> resolved(Step step, List<Step> plan) {
    Set<Step> resolved = new LinkedHashSet<>();
    for (Step need : step.needs()) {
      if (need == Step.APPROVAL) {
        continue;
      } else if (plan.contains(need)) {
        resolved.add(need);
      } else if (!step.needsOnlyIfPlanned(need)) {
        resolved.addAll(resolved(need, plan));
      }
    }
    return resolved;
  }

  /** The approval needs what {@code before} needs; every other step it does not need waits. */
  private static void placeApproval(List<Step> plan, List<List<Step>> needs, Step before) {
    int at = plan.indexOf(Step.APPROVAL);
    boolean placeable =
        before != null
            && plan.contains(before)
            && before != Step.READINESS
            && before != Step.REPORT;
    if (placeable) {
      List<Step> approvalNeeds = new ArrayList<>(needs.get(plan.indexOf(before)));
      // An operator approves what readiness found, even before a step that does not need it.
      if (!approvalNeeds.contains(Step.READINESS)) {
        approvalNeeds.add(0, Step.READINESS);
      }
      needs.set(at, approvalNeeds);
    }
    Set<Step> beforeApproval = new HashSet<>();
    List<Step> todo = new ArrayList<>(needs.get(at));
    while (!todo.isEmpty()) {
      Step next = todo.remove(todo.size() - 1);
      if (beforeApproval.add(next)) {
        todo.addAll(needs.get(plan.indexOf(next)));
      }
    }
    for (int i = 0; i < plan.size(); i++) {
      if (i != at && !beforeApproval.contains(plan.get(i))) {
        needs.get(i).add(Step.APPROVAL);
      }
    }
  }

  /**
   * The steps in an order where each comes after what it needs, otherwise in the order of
   * declaration: the first step whose needs are all placed goes next.
   */
  private static List<Integer> stableTopologicalOrder(List<Step> plan, List<List<Step>> needs) {
    List<Integer> order = new ArrayList<>();
    Set<Step> placed = new HashSet<>();
    while (order.size() < plan.size()) {
      for (int i = 0; i < plan.size(); i++) {
        if (!placed.contains(plan.get(i)) && placed.containsAll(needs.get(i))) {
          order.add(i);
          placed.add(plan.get(i));
          break;
        }
      }
    }
    return order;
  }

  /**
   * Adds the mode's custom steps, each after the latest step it needs and the custom steps already
   * listed there, in the runbook's order.
   */
  private static void placeCustomSteps(
      List<Node> nodes, List<Step> builtIn, Runbook.Steps settings, Mode mode) {
    List<Runbook.CustomStep> custom =
        settings.custom().stream().filter(s -> s.modes().contains(mode.label())).toList();
    Set<String> customNames = new HashSet<>();
    custom.forEach(s -> customNames.add(s.name()));
    List<String> lastBuiltIns = nodes.stream().map(Node::name).toList();
    List<Runbook.CustomStep> left = new ArrayList<>(custom);
    while (!left.isEmpty()) {
      int before = left.size();
      for (Runbook.CustomStep step : List.copyOf(left)) {
        List<String> needs = customNeeds(step, builtIn, customNames, lastBuiltIns);
        if (needs.stream().allMatch(n -> nodes.stream().anyMatch(p -> p.name().equals(n)))) {
          insertAfterNeeds(nodes, new Node(step.name(), null, step, needs));
          left.remove(step);
        }
      }
      if (left.size() == before) {
        // A cycle: the validator refuses it; its steps run last rather than never.
        left.forEach(s -> nodes.add(new Node(s.name(), null, s, lastBuiltIns)));
        left.clear();
      }
    }
  }

  private static List<String> customNeeds(
      Runbook.CustomStep step, List<Step> builtIn, Set<String> customNames, List<String> last) {
    List<String> needs = new ArrayList<>();
    for (String dependency : step.dependsOn()) {
      Step named = Step.named(dependency);
      boolean inPlan = named != null && named != Step.REPORT && builtIn.contains(named);
      if (inPlan || (named == null && customNames.contains(dependency))) {
        needs.add(dependency);
      }
    }
    return needs.isEmpty() ? last : needs;
  }

  private static void insertAfterNeeds(List<Node> nodes, Node node) {
    int at = 0;
    for (int i = 0; i < nodes.size(); i++) {
      if (node.needs().contains(nodes.get(i).name())) {
        at = i + 1;
      }
    }
    while (at < nodes.size() && nodes.get(at).custom() != null) {
      at++;
    }
    nodes.add(at, node);
  }
}
