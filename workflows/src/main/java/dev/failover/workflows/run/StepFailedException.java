package dev.failover.workflows.run;

/** A step failed after its retries and no operator decided to go on: the run ends failed. */
final class StepFailedException extends Exception {
  StepFailedException(String message) {
    super(message);
  }
}
