package dev.failover.workflows.run;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test-only workaround for a defect of Temporal's Java test server (temporal-test-server 1.38.0,
 * <a href="https://github.com/temporalio/sdk-java/issues/2391">sdk-java#2391</a>): the worker holds
 * an activity's result back while a workflow task or an update is in flight, and an update waits
 * until the activity results already sent have been answered.
 *
 * <p>The defect: when an activity ends while a workflow task is in flight, the test server buffers
 * the activity's result and forgets the activity at once. If that workflow task cancels the
 * activity (an abort, an update, cancels the steps running, {@link StepExecutor}), the server
 * rejects the whole completion with {@code FAILED_PRECONDITION: ACTIVITY_UNKNOWN for
 * scheduledEventId=N}; it has by then moved the workflow task out of STARTED without committing
 * anything, so the task is never timed out nor retried, the buffered events are never written, and
 * the run stands still: the update waits for ever ({@code run.abort(...)} in {@code
 * OperatorControlsTest}, blocked in {@code updateWorkflowExecution}), and so would {@code
 * getResult}. A real Temporal server records the cancel request of an activity that has already
 * ended and goes on ({@code handleCommandRequestCancelActivity}: "the activity has already been
 * canceled/completed/timedout. The cancel request will be recorded in the history, but no further
 * action will be taken"): the workflow's cancel is correct, and nothing changes in it.
 *
 * <p>Only an update cancels activities in this workflow (abort, or a decision to abort). An update
 * is sent once every activity result sent before it has been answered, so the workflow task it
 * causes sees those results in its history; a result that comes while the update is in flight is
 * sent once the update has been answered, that is once its workflow task was completed. Results
 * also wait for the workflow tasks the worker holds (whatever caused them), which narrows the same
 * race for other causes of a cancel. This only delays a result by a workflow task: the run sees it
 * in the next task, as from a real server that received it just after. Every wait is bounded
 * ({@link #MAX_WAIT}), so nothing can stop for good on it.
 */
final class ActivityResultsAfterWorkflowTasks implements ClientInterceptor {
  private static final Logger log =
      LoggerFactory.getLogger(ActivityResultsAfterWorkflowTasks.class);

  /** The longest an activity's result waits for the workflow tasks in flight. */
  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  private static final String POLL =
      WorkflowServiceGrpc.getPollWorkflowTaskQueueMethod().getFullMethodName();
  private static final Set<String> TASK_ANSWERS =
      Set.of(
          WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod().getFullMethodName(),
          WorkflowServiceGrpc.getRespondWorkflowTaskFailedMethod().getFullMethodName());
  private static final Set<String> ACTIVITY_RESULTS =
      Set.of(
          WorkflowServiceGrpc.getRespondActivityTaskCompletedMethod().getFullMethodName(),
          WorkflowServiceGrpc.getRespondActivityTaskFailedMethod().getFullMethodName(),
          WorkflowServiceGrpc.getRespondActivityTaskCanceledMethod().getFullMethodName(),
          WorkflowServiceGrpc.getRespondActivityTaskCompletedByIdMethod().getFullMethodName(),
          WorkflowServiceGrpc.getRespondActivityTaskFailedByIdMethod().getFullMethodName(),
          WorkflowServiceGrpc.getRespondActivityTaskCanceledByIdMethod().getFullMethodName());

  private static final Set<String> UPDATES =
      Set.of(
          WorkflowServiceGrpc.getUpdateWorkflowExecutionMethod().getFullMethodName(),
          WorkflowServiceGrpc.getPollWorkflowExecutionUpdateMethod().getFullMethodName());

  /** The activity results sent and not answered yet. */
  private int resultsInFlight;

  /** The updates sent and not answered yet. */
  private int updatesInFlight;

  /**
   * The task tokens of the workflow tasks the worker received and has not answered yet, with when
   * each was received ({@link System#nanoTime}).
   */
  private final Map<ByteString, Long> inFlight = new HashMap<>();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    ClientCall<Q, R> call = next.newCall(method, options);
    String name = method.getFullMethodName();
    if (name.equals(POLL)) {
      return new Poll<>(call);
    }
    if (TASK_ANSWERS.contains(name)) {
      return new TaskAnswer<>(call);
    }
    if (ACTIVITY_RESULTS.contains(name)) {
      return new ActivityResult<>(call);
    }
    if (UPDATES.contains(name)) {
      return new Update<>(call);
    }
    return call;
  }

  private synchronized void received(ByteString token) {
    inFlight.put(token, System.nanoTime());
  }

  private synchronized void answered(ByteString token) {
    if (inFlight.remove(token) != null) {
      notifyAll();
    }
  }

  /**
   * Before an activity result: waits until no workflow task and no update is in flight, at most
   * {@link #MAX_WAIT}; a task received longer ago than that is taken as never to be answered.
   */
  private synchronized void beforeResult() {
    long start = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      inFlight.values().removeIf(received -> now - received > MAX_WAIT.toNanos());
      if (inFlight.isEmpty() && updatesInFlight == 0) {
        break;
      }
      if (!waitLeft(start, now, "workflow task(s) or update(s) in flight")) {
        break;
      }
    }
    resultsInFlight++;
  }

  /** Before an update: waits until the activity results sent have been answered. */
  private synchronized void beforeUpdate() {
    long start = System.nanoTime();
    while (resultsInFlight > 0 && waitLeft(start, System.nanoTime(), "activity result(s)")) {
      // Waits.
    }
    updatesInFlight++;
  }

  private synchronized void resultAnswered() {
    resultsInFlight--;
    notifyAll();
  }

  private synchronized void updateAnswered() {
    updatesInFlight--;
    notifyAll();
  }

  /** Waits for a change until {@link #MAX_WAIT} after {@code start}; false once that has passed. */
  private boolean waitLeft(long start, long now, String what) {
    long left = MAX_WAIT.toNanos() - (now - start);
    if (left <= 0) {
      log.warn("Waited {} for {}; going on", MAX_WAIT, what);
      return false;
    }
    try {
      wait(Math.max(1, left / 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A poll for a workflow task: a task it returns is in flight (not a legacy query task). */
  private final class Poll<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
    Poll(ClientCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      super.start(
          new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onMessage(R message) {
              if (message instanceof PollWorkflowTaskQueueResponse task
                  && !task.getTaskToken().isEmpty()
                  && !task.hasQuery()) {
                received(task.getTaskToken());
              }
              super.onMessage(message);
            }
          },
          headers);
    }
  }

  /** A workflow task's completion or failure: once the server answered, it is no more in flight. */
  private final class TaskAnswer<Q, R>
      extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
    private volatile ByteString token;

    TaskAnswer(ClientCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      super.start(
          new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
              if (token != null) {
                answered(token);
              }
              super.onClose(status, trailers);
            }
          },
          headers);
    }

    @Override
    public void sendMessage(Q message) {
      if (message instanceof RespondWorkflowTaskCompletedRequest completed) {
        token = completed.getTaskToken();
      } else if (message instanceof RespondWorkflowTaskFailedRequest failed) {
        token = failed.getTaskToken();
      }
      super.sendMessage(message);
    }
  }

  /** An activity's result: sent once no workflow task and no update is in flight. */
  private final class ActivityResult<Q, R>
      extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
    ActivityResult(ClientCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      beforeResult();
      super.start(
          answered(listener, ActivityResultsAfterWorkflowTasks.this::resultAnswered), headers);
    }
  }

  /** An update (or a poll for its outcome): sent once the activity results sent are answered. */
  private final class Update<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
    Update(ClientCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      beforeUpdate();
      super.start(
          answered(listener, ActivityResultsAfterWorkflowTasks.this::updateAnswered), headers);
    }
  }

  /** The listener, which also runs {@code then} once the call has closed. */
  private static <R> ClientCall.Listener<R> answered(
      ClientCall.Listener<R> listener, Runnable then) {
    return new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
      @Override
      public void onClose(Status status, Metadata trailers) {
        then.run();
        super.onClose(status, trailers);
      }
    };
  }
}
