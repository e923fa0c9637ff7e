package dev.failover.cli;

import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Decision;
import dev.failover.workflows.run.OperatorAction;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunRequest;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A run's Temporal history read as a person reads a runbook log: who started it and why, each
 * activity under the step it belongs to with its duration, attempts and result, every approval and
 * operator decision with who made it, and how the run ended. Payloads are decoded with the client's
 * data converter (so an encrypted history reads too, given the key).
 */
public final class RunTimeline {
  /** The step each activity belongs to, by its Temporal activity type. */
  private static final Map<String, String> STEP_OF_ACTIVITY =
      Map.ofEntries(
          Map.entry("CheckWorkspace", "readiness"),
          Map.entry("MeasureReplication", "readiness"),
          Map.entry("PromoteReplica", "promote-storage"),
          Map.entry("RestoreReplication", "restore-replication"),
          Map.entry("CaptureControlPlane", "capture"),
          Map.entry("ConvergeCatalogs", "converge-catalogs"),
          Map.entry("ConvergeSchemas", "converge-schemas"),
          Map.entry("ConvergeGrants", "converge-grants"),
          Map.entry("CheckDeltaTables", "check-delta-tables"),
          Map.entry("VerifyControlPlane", "smoke-test"),
          Map.entry("StoreReport", "report"));

  /** One line of the timeline. */
  public record Entry(Instant at, String step, String what) {}

  private RunTimeline() {}

  public static List<Entry> of(WorkflowExecutionHistory history, DataConverter converter) {
    List<Entry> entries = new ArrayList<>();
    Map<Long, HistoryEvent> scheduled = new HashMap<>();
    Map<Long, Integer> attempts = new HashMap<>();
    Map<String, String> updateNames = new HashMap<>();
    for (HistoryEvent event : history.getEvents()) {
      Instant at =
          Instant.ofEpochSecond(event.getEventTime().getSeconds(), event.getEventTime().getNanos());
      EventType type = event.getEventType();
      switch (type) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
          var attributes = event.getWorkflowExecutionStartedEventAttributes();
          Optional<RunRequest> request = decode(converter, attributes.getInput(), RunRequest.class);
          entries.add(
              new Entry(
                  at,
                  null,
                  request
                      .map(
                          r ->
                              "started: "
                                  + r.mode().label()
                                  + " of runbook "
                                  + r.runbook().name()
                                  + " by "
                                  + r.requestedBy()
                                  + (r.incidentId() == null ? "" : ", incident " + r.incidentId()))
                      .orElse("started (input not readable with this client's converter)")));
        }
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> scheduled.put(event.getEventId(), event);
        case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
          var attributes = event.getActivityTaskStartedEventAttributes();
          attempts.put(attributes.getScheduledEventId(), attributes.getAttempt());
        }
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          long id = event.getActivityTaskCompletedEventAttributes().getScheduledEventId();
          entries.add(activity(scheduled.get(id), at, attempts.get(id), "succeeded"));
        }
        case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
          var attributes = event.getActivityTaskFailedEventAttributes();
          long id = attributes.getScheduledEventId();
          entries.add(
              activity(
                  scheduled.get(id),
                  at,
                  attempts.get(id),
                  "FAILED: " + message(attributes.getFailure())));
        }
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
          long id = event.getActivityTaskTimedOutEventAttributes().getScheduledEventId();
          entries.add(activity(scheduled.get(id), at, attempts.get(id), "TIMED OUT"));
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
          var attributes = event.getWorkflowExecutionSignaledEventAttributes();
          if (attributes.getSignalName().equals("approve")) {
            Optional<Approval> approval = decode(converter, attributes.getInput(), Approval.class);
            entries.add(
                new Entry(
                    at,
                    "approval",
                    approval
                        .map(a -> "approved by " + a.by() + comment(a.comment()))
                        .orElse("approval received")));
          } else {
            entries.add(new Entry(at, null, "signal " + attributes.getSignalName()));
          }
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
          var attributes = event.getWorkflowExecutionUpdateAcceptedEventAttributes();
          var update = attributes.getAcceptedRequest().getInput();
          String name = update.getName();
          updateNames.put(attributes.getProtocolInstanceId(), name);
          Payloads args = update.getArgs();
          String who =
              name.equals("decide")
                  ? decode(converter, args, Decision.class)
                      .map(
                          d ->
                              d.action().name().toLowerCase(Locale.ROOT)
                                  + " by "
                                  + d.by()
                                  + comment(d.reason()))
                      .orElse("decision")
                  : decode(converter, args, OperatorAction.class)
                      .map(a -> name + " by " + a.by() + comment(a.reason()))
                      .orElse(name);
          entries.add(new Entry(at, null, who));
        }
        case EVENT_TYPE_TIMER_FIRED -> entries.add(new Entry(at, null, "a wait timed out"));
        case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
          var result = event.getWorkflowExecutionCompletedEventAttributes().getResult();
          entries.add(
              new Entry(
                  at,
                  null,
                  "ended: "
                      + decode(converter, result, RunReport.class)
                          .map(
                              r ->
                                  r.outcome()
                                      + (r.failure() == null ? "" : " (" + r.failure() + ")"))
                          .orElse("completed")));
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED ->
            entries.add(
                new Entry(
                    at,
                    null,
                    "ended: FAILED ("
                        + message(event.getWorkflowExecutionFailedEventAttributes().getFailure())
                        + ")"));
        case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED ->
            entries.add(
                new Entry(
                    at,
                    null,
                    "terminated: "
                        + event.getWorkflowExecutionTerminatedEventAttributes().getReason()));
        case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT ->
            entries.add(new Entry(at, null, "ended: TIMED OUT"));
        default -> {}
      }
    }
    return entries;
  }

  private static Entry activity(HistoryEvent scheduled, Instant end, Integer attempt, String how) {
    if (scheduled == null) {
      return new Entry(end, null, "activity " + how);
    }
    var attributes = scheduled.getActivityTaskScheduledEventAttributes();
    String type = attributes.getActivityType().getName();
    Instant start =
        Instant.ofEpochSecond(
            scheduled.getEventTime().getSeconds(), scheduled.getEventTime().getNanos());
    Duration took = Duration.between(start, end);
    return new Entry(
        end,
        STEP_OF_ACTIVITY.getOrDefault(type, null),
        String.format(
            Locale.ROOT,
            "%s %s in %.1fs%s",
            type,
            how,
            took.toMillis() / 1000.0,
            attempt == null || attempt <= 1 ? "" : " (attempt " + attempt + ")"));
  }

  private static String comment(String text) {
    return text == null || text.isBlank() ? "" : ": " + text;
  }

  private static String message(Failure failure) {
    Failure root = failure;
    while (root.hasCause() && root.getMessage().isEmpty()) {
      root = root.getCause();
    }
    String type =
        root.hasApplicationFailureInfo() ? root.getApplicationFailureInfo().getType() : "";
    return root.getMessage() + (type.isEmpty() ? "" : " [" + type + "]");
  }

  private static <T> Optional<T> decode(DataConverter converter, Payloads payloads, Class<T> type) {
    if (payloads == null || payloads.getPayloadsCount() == 0) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(converter.fromPayloads(0, Optional.of(payloads), type, type));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
