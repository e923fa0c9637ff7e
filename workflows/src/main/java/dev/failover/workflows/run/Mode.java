package dev.failover.workflows.run;

/** What a run does. */
public enum Mode {
  /** Rehearse a failover: the primary is never changed; evidence is reported. */
  DRILL,
  /** Make the DR side active: promote the replica buckets and converge the DR control plane. */
  FAILOVER,
  /** Return to the primary: restore replication's direction and converge the primary. */
  FAILBACK;

  /** The lowercase name the CLI and reports use. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
