package dev.failover.workflows.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failover.workflows.run.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the sections of a runbook that shape the plan: approval, onStepFailure and steps. */
final class StepSections {
  private final RunbookFields f;

  StepSections(RunbookFields f) {
    this.f = f;
  }

  private static final Pattern STEP_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  /** Every built-in step's name: custom steps may depend on them and may not take them. */
  private static final List<String> BUILT_IN_STEPS = Step.names();

  /** The steps an approval may come before: after readiness, before the report. */
  private static final List<String> APPROVAL_PLACES =
      BUILT_IN_STEPS.stream()
          .filter(n -> !List.of("readiness", "approval", "report").contains(n))
          .toList();

  private static final List<String> MODES = List.of("drill", "failover", "failback");

  Runbook.Approval approval(JsonNode root) {
    JsonNode node = f.object(root, "", "approval", false);
    if (node == null) {
      return new Runbook.Approval(true, false, List.of(), 60);
    }
    f.allowOnly(
        node, "approval", "required", "requiredForDrill", "approvers", "timeoutMinutes", "before");
    Boolean required = f.bool(node, "approval", "required");
    Boolean forDrill = f.bool(node, "approval", "requiredForDrill");
    List<String> approvers = f.textList(node, "approval", "approvers", false);
    Integer timeout = f.positive(node, "approval", "timeoutMinutes", false, 60);
    String before = f.text(node, "approval", "before", false);
    if (before != null && !APPROVAL_PLACES.contains(before)) {
      f.problem(
          "approval.before",
          "must name a step after readiness and before the report, one of "
              + APPROVAL_PLACES
              + ", got '"
              + before
              + "'");
    }
    return new Runbook.Approval(
        required == null || required,
        forDrill != null && forDrill,
        approvers == null ? List.of() : approvers,
        timeout == null ? 60 : timeout,
        before);
  }

  Runbook.OnStepFailure onStepFailure(JsonNode root) {
    JsonNode node = f.object(root, "", "onStepFailure", false);
    if (node == null) {
      return Runbook.OnStepFailure.DEFAULT;
    }
    f.allowOnly(node, "onStepFailure", "waitForDecision", "timeoutMinutes");
    Boolean wait = f.bool(node, "onStepFailure", "waitForDecision");
    Integer timeout = f.positive(node, "onStepFailure", "timeoutMinutes", false, 60);
    return new Runbook.OnStepFailure(
        wait == null ? Runbook.OnStepFailure.DEFAULT.waitForDecision() : wait,
        timeout == null ? Runbook.OnStepFailure.DEFAULT.timeoutMinutes() : timeout);
  }

  Runbook.Steps steps(JsonNode root) {
    JsonNode node = f.object(root, "", "steps", false);
    if (node == null) {
      return Runbook.Steps.NONE;
    }
    f.allowOnly(node, "steps", "disable", "custom", "maxParallel");
    List<String> disable = f.textList(node, "steps", "disable", false);
    if (disable != null) {
      for (int i = 0; i < disable.size(); i++) {
        if (!Runbook.Steps.DISABLEABLE.contains(disable.get(i))) {
          f.problem(
              "steps.disable[" + i + "]",
              "'"
                  + disable.get(i)
                  + "' cannot be disabled; these can: "
                  + Runbook.Steps.DISABLEABLE);
        }
      }
    }
    Integer maxParallel = f.positive(node, "steps", "maxParallel", false, 2);
    List<Runbook.CustomStep> custom = new ArrayList<>();
    JsonNode list = node.get("custom");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        f.problem("steps.custom", "must be a list of steps");
      } else {
        for (int i = 0; i < list.size(); i++) {
          Runbook.CustomStep step = customStep(list.get(i), "steps.custom[" + i + "]");
          if (step != null) {
            custom.add(step);
          }
        }
      }
    }
    checkCustomSteps(custom);
    return new Runbook.Steps(
        disable == null ? List.of() : disable,
        custom,
        maxParallel == null ? Runbook.Steps.DEFAULT_MAX_PARALLEL : maxParallel);
  }

  private Runbook.CustomStep customStep(JsonNode node, String path) {
    if (!node.isObject()) {
      f.problem(path, "must be a mapping with name, dependsOn and webhook");
      return null;
    }
    f.allowOnly(node, path, "name", "modes", "dependsOn", "webhook");
    String name = f.text(node, path, "name", true);
    if (name != null && !STEP_NAME.matcher(name).matches()) {
      f.problem(
          path + ".name",
          "must be 1-40 lowercase letters, digits or '-', starting with a letter, got '"
              + name
              + "'");
    }
    List<String> modes = f.textList(node, path, "modes", false);
    if (modes != null) {
      for (int i = 0; i < modes.size(); i++) {
        if (!MODES.contains(modes.get(i))) {
          f.problem(
              path + ".modes[" + i + "]",
              "must be one of " + MODES + ", got '" + modes.get(i) + "'");
        }
      }
    }
    List<String> dependsOn = f.textList(node, path, "dependsOn", false);
    JsonNode hook = f.object(node, path, "webhook", true);
    Runbook.Webhook webhook = hook == null ? null : webhook(hook, path + ".webhook");
    if (name == null || webhook == null) {
      return null;
    }
    return new Runbook.CustomStep(
        name,
        modes == null || modes.isEmpty() ? MODES : modes,
        dependsOn == null || dependsOn.isEmpty() ? List.of("smoke-test") : dependsOn,
        webhook);
  }

  private Runbook.Webhook webhook(JsonNode node, String path) {
    f.allowOnly(node, path, "url", "method", "body", "expectStatus", "timeoutSeconds");
    String url = f.text(node, path, "url", true);
    if (url != null) {
      String reason = webhookUrlProblem(url);
      if (reason != null) {
        f.problem(path + ".url", reason);
      }
    }
    String method = f.text(node, path, "method", false);
    if (method != null && !List.of("POST", "PUT", "PATCH", "GET").contains(method)) {
      f.problem(path + ".method", "must be POST, PUT, PATCH or GET, got '" + method + "'");
    }
    JsonNode body = node.get("body");
    Integer status = f.integer(node, path, "expectStatus", false);
    if (status != null && (status < 100 || status > 599)) {
      f.problem(path + ".expectStatus", "must be an HTTP status (100-599), got " + status);
    }
    Integer timeout = f.positive(node, path, "timeoutSeconds", false, 30);
    if (timeout != null && timeout > 300) {
      f.problem(path + ".timeoutSeconds", "must be at most 300, got " + timeout);
    }
    return new Runbook.Webhook(
        url,
        method == null ? "POST" : method,
        body == null || body.isNull() ? null : body.toString(),
        status == null ? 200 : status,
        timeout == null ? 30 : timeout);
  }

  /** Why a webhook URL is not acceptable, or null. */
  private static String webhookUrlProblem(String url) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      return "is not a valid URL: '" + url + "'";
    }
    String host = uri.getHost();
    boolean local = "localhost".equals(host) || "127.0.0.1".equals(host);
    if (host == null
        || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && local))) {
      return "must be an https:// URL (http:// only to localhost), got '" + url + "'";
    }
    if (uri.getUserInfo() != null) {
      return "must not carry credentials: the runbook is part of the run's history";
    }
    return null;
  }

  /** Names unique and not built-in; dependencies known; no cycle. */
  private void checkCustomSteps(List<Runbook.CustomStep> custom) {
    java.util.Map<String, Runbook.CustomStep> byName = new java.util.LinkedHashMap<>();
    for (int i = 0; i < custom.size(); i++) {
      String name = custom.get(i).name();
      if (BUILT_IN_STEPS.contains(name)) {
        f.problem("steps.custom[" + i + "].name", "'" + name + "' is the name of a built-in step");
      } else if (byName.putIfAbsent(name, custom.get(i)) != null) {
        f.problem("steps.custom[" + i + "].name", "'" + name + "' is used by another step");
      }
    }
    for (int i = 0; i < custom.size(); i++) {
      for (String dependency : custom.get(i).dependsOn()) {
        if (!BUILT_IN_STEPS.contains(dependency) && !byName.containsKey(dependency)) {
          f.problem(
              "steps.custom[" + i + "].dependsOn",
              "names '" + dependency + "', which is neither a built-in nor a custom step");
        }
      }
    }
    // Depth-first search for a cycle among custom steps.
    java.util.Map<String, Integer> state = new java.util.HashMap<>();
    for (String name : byName.keySet()) {
      List<String> path = new ArrayList<>();
      if (cycle(name, byName, state, path)) {
        f.problem("steps.custom", "dependencies form a cycle: " + String.join(" -> ", path));
        return;
      }
    }
  }

  private static boolean cycle(
      String name,
      java.util.Map<String, Runbook.CustomStep> byName,
      java.util.Map<String, Integer> state,
      List<String> path) {
    Integer seen = state.get(name);
    if (seen != null && seen == 2) {
      return false;
    }
    path.add(name);
    if (seen != null && seen == 1) {
      return true;
    }
    state.put(name, 1);
    Runbook.CustomStep step = byName.get(name);
    if (step != null) {
      for (String dependency : step.dependsOn()) {
        if (byName.containsKey(dependency) && cycle(dependency, byName, state, path)) {
          return true;
        }
      }
    }
    state.put(name, 2);
    path.remove(path.size() - 1);
    return false;
  }
}
