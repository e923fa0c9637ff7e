package dev.failover.workflows.run;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * The search attributes a run carries, for finding runs in Temporal UI and with list queries (for
 * example {@code FailoverRunbook = 'acme-lakehouse' AND FailoverOutcome = 'FAILED'}). They must be
 * registered on the namespace first ({@code temporal operator search-attribute create}), so a run
 * sets them only when its request says so.
 */
public final class RunSearchAttributes {
  public static final SearchAttributeKey<String> RUNBOOK =
      SearchAttributeKey.forKeyword("FailoverRunbook");
  public static final SearchAttributeKey<String> MODE =
      SearchAttributeKey.forKeyword("FailoverMode");
  public static final SearchAttributeKey<String> INCIDENT =
      SearchAttributeKey.forKeyword("FailoverIncident");
  public static final SearchAttributeKey<String> PHASE =
      SearchAttributeKey.forKeyword("FailoverPhase");
  public static final SearchAttributeKey<String> OUTCOME =
      SearchAttributeKey.forKeyword("FailoverOutcome");

  /** Every key, for registration. */
  public static final List<SearchAttributeKey<String>> ALL =
      List.of(RUNBOOK, MODE, INCIDENT, PHASE, OUTCOME);

  private RunSearchAttributes() {}
}
