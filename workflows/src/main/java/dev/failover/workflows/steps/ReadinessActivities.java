package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;

/** Read-only checks that the DR side can take over before anything changes. */
@ActivityInterface
public interface ReadinessActivities {
  /** Verifies that a workspace answers with the profile's credentials; returns who we are. */
  String checkWorkspace(WorkspaceTarget workspace);
}
