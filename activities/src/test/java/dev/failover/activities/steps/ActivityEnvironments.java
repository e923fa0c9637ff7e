package dev.failover.activities.steps;

import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.WorkerFactoryOptions;

/** Temporal's activity test environment with the worker's interceptors, as the worker has them. */
final class ActivityEnvironments {
  private ActivityEnvironments() {}

  static TestActivityEnvironment withHeartbeats() {
    return TestActivityEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(
                WorkerFactoryOptions.newBuilder()
                    .setWorkerInterceptors(new HeartbeatInterceptor())
                    .build())
            .build());
  }
}
