package dev.failover.workflows.run;

/** An operator aborted the run: no further step starts, the report says who and why. */
final class RunAbortedException extends Exception {
  RunAbortedException(String message) {
    super(message);
  }
}
