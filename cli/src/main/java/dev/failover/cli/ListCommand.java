package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.RunbookWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.filter.v1.WorkflowExecutionFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code failover list}: the runs of one runbook, or of all, newest first. Uses the server's
 * visibility (ListWorkflowExecutions); a server without advanced visibility is asked through the
 * older open/closed listing, and a server that cannot list at all is said to be so.
 */
@Command(name = "list", description = "List runs (of a runbook, or all), newest first.")
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--runbook", description = "Only runs of this runbook")
  String runbook;

  @Option(names = "--limit", defaultValue = "20", description = "At most this many runs")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 1000) {
      throw new CliException(ExitCodes.USAGE, "--limit must be between 1 and 1000, got " + limit);
    }
    try (TemporalConnection temporal = connection.connect()) {
      WorkflowServiceStubs service = temporal.client().getWorkflowServiceStubs();
      String namespace = temporal.client().getOptions().getNamespace();
      List<WorkflowExecutionInfo> runs;
      try {
        runs = visibility(service, namespace);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED
            && e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
          throw cannotList(temporal, e);
        }
        try {
          runs = openAndClosed(service, namespace);
        } catch (StatusRuntimeException fallback) {
          throw cannotList(temporal, fallback);
        }
      }
      runs.sort(
          Comparator.comparing(
              (WorkflowExecutionInfo info) ->
                  Instant.ofEpochSecond(
                      info.getStartTime().getSeconds(), info.getStartTime().getNanos()),
              Comparator.reverseOrder()));
      PrintWriter out = spec.commandLine().getOut();
      if (runs.isEmpty()) {
        out.println("no runs" + (runbook == null ? "" : " of runbook " + runbook));
      }
      out.printf("%-30s %-36s %-11s %-24s %s%n", "WORKFLOW", "RUN", "STATUS", "STARTED", "CLOSED");
      for (WorkflowExecutionInfo info : runs.subList(0, Math.min(limit, runs.size()))) {
        out.printf(
            "%-30s %-36s %-11s %-24s %s%n",
            info.getExecution().getWorkflowId(),
            info.getExecution().getRunId(),
            info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
            time(info.getStartTime()),
            info.hasCloseTime() ? time(info.getCloseTime()) : "");
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  private List<WorkflowExecutionInfo> visibility(WorkflowServiceStubs service, String namespace) {
    String query =
        runbook == null
            ? "WorkflowType = 'RunbookWorkflow'"
            : "WorkflowId = '" + RunbookWorkflow.workflowId(runbook) + "'";
    return new ArrayList<>(
        service
            .blockingStub()
            .listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace)
                    .setQuery(query)
                    .setPageSize(limit)
                    .build())
            .getExecutionsList());
  }

  private List<WorkflowExecutionInfo> openAndClosed(
      WorkflowServiceStubs service, String namespace) {
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    ListOpenWorkflowExecutionsRequest.Builder open =
        ListOpenWorkflowExecutionsRequest.newBuilder()
            .setNamespace(namespace)
            .setMaximumPageSize(limit);
    ListClosedWorkflowExecutionsRequest.Builder closed =
        ListClosedWorkflowExecutionsRequest.newBuilder()
            .setNamespace(namespace)
            .setMaximumPageSize(limit);
    if (runbook != null) {
      WorkflowExecutionFilter filter =
          WorkflowExecutionFilter.newBuilder()
              .setWorkflowId(RunbookWorkflow.workflowId(runbook))
              .build();
      open.setExecutionFilter(filter);
      closed.setExecutionFilter(filter);
    } else {
      WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName("RunbookWorkflow").build();
      open.setTypeFilter(type);
      closed.setTypeFilter(type);
    }
    all.addAll(service.blockingStub().listOpenWorkflowExecutions(open.build()).getExecutionsList());
    all.addAll(
        service.blockingStub().listClosedWorkflowExecutions(closed.build()).getExecutionsList());
    return all;
  }

  private static CliException cannotList(TemporalConnection temporal, StatusRuntimeException e) {
    return new CliException(
        ExitCodes.FAILED,
        "the Temporal server at "
            + temporal.target()
            + " cannot list runs ("
            + e.getStatus().getCode()
            + ": "
            + e.getStatus().getDescription()
            + "); use 'failover status failover-<runbook>' for the latest run of a runbook");
  }

  private static String time(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
  }
}
