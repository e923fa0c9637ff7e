package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;

/** Read-only checks that the DR side can take over before anything changes. */
@ActivityInterface
public interface ReadinessActivities {
  /** Verifies that a workspace answers with the profile's credentials; returns who we are. */
  String checkWorkspace(WorkspaceTarget workspace);

  /**
   * Verifies that the replica bucket exists with versioning and that the primary bucket has an
   * enabled replication rule towards it; returns a one-line description of the rule found.
   */
  String checkReplication(BucketTarget primary, BucketTarget replica);
}
