package dev.failover.activities.components;

import java.util.List;
import java.util.Set;

/**
 * Where a drill records, before it creates them, the keys of the objects it creates, so that its
 * clean-up removes exactly those, also for kinds of object that carry no mark (repos, notebooks).
 */
public interface CreatedLedger {
  /** Records that {@code keys} of {@code component} are about to be created by this run. */
  void willCreate(String component, List<String> keys);

  /** Every key of {@code component} this run recorded. */
  Set<String> created(String component);
}
