package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/**
 * What the Delta consistency check needs: the snapshot that lists the external tables, the rewrites
 * that map their locations to the replicas, and the pairs with the profiles to read both sides.
 *
 * @param snapshot the captured control plane
 * @param storagePathRewrites primary prefix to replica prefix
 * @param pairs the bucket pairs
 * @param comparePrimary whether to read the primary's log to tell "behind" from "consistent" (false
 *     when the primary region is unreachable)
 */
public record DeltaCheckRequest(
    SnapshotRef snapshot,
    List<Runbook.PathRewrite> storagePathRewrites,
    List<BucketPairTarget> pairs,
    boolean comparePrimary) {}
