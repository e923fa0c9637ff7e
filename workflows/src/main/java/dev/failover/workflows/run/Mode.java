package dev.failover.workflows.run;

/** What a run does. */
public enum Mode {
  /** Rehearse a failover: the primary is never changed; evidence is reported. */
  DRILL
}
