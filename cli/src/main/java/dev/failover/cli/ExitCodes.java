package dev.failover.cli;

/** The CLI's exit codes; the README lists them. */
public final class ExitCodes {
  /** The command did what was asked; a run it watched succeeded. */
  public static final int OK = 0;

  /** A run failed, or the command could not do its work (for example, no Temporal server). */
  public static final int FAILED = 1;

  /** The command line or the runbook is invalid; nothing was started or changed. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
