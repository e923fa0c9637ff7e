package dev.failover.worker;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;

/**
 * Turns sticky execution off for a worker: its completed workflow tasks no longer ask the server to
 * send the run's next task to this worker's own (sticky) queue, so every task goes through the
 * shared task queue.
 *
 * <p>A real Temporal server moves a task off a dead worker's sticky queue after the sticky
 * schedule-to-start timeout (5 s), so a replacement worker picks the run up. Temporal's Java test
 * server does not: a task scheduled on a killed worker's sticky queue waits there forever. A worker
 * that must survive being killed on the test server (the crash tests, a sandbox-like setup) runs
 * with {@code --no-sticky-execution}; the price is a full history replay per workflow task, small
 * for runbook histories.
 */
final class NoStickyExecution implements ClientInterceptor {
  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    ClientCall<Q, R> call = next.newCall(method, options);
    if (!method.getFullMethodName().endsWith("/RespondWorkflowTaskCompleted")) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      @SuppressWarnings("unchecked")
      public void sendMessage(Q message) {
        if (message instanceof RespondWorkflowTaskCompletedRequest request
            && request.hasStickyAttributes()) {
          message = (Q) request.toBuilder().clearStickyAttributes().build();
        }
        super.sendMessage(message);
      }
    };
  }
}
