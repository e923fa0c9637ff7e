package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/**
 * What readiness validates about storage credentials: that every credential the target serves the
 * source's external locations with can reach their replica URLs.
 *
 * @param source the side whose external locations are converged (read-only here)
 * @param target the side whose credentials are validated
 * @param storagePathRewrites the source's URLs to the target's, in the direction of the run
 * @param storageCredentials the runbook's credential mappings, in the direction of the run
 */
public record StorageCredentialCheck(
    WorkspaceTarget source,
    WorkspaceTarget target,
    List<Runbook.PathRewrite> storagePathRewrites,
    Runbook.StorageCredentials storageCredentials) {}
