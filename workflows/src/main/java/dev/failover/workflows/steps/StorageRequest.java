package dev.failover.workflows.steps;

/**
 * What a storage step needs: the pair, how long to wait for a backlog to drain, how far back to
 * scan, and where the run keeps its state (the original replication rules, for failback).
 *
 * @param pair the bucket pair
 * @param drainTimeoutSeconds how long to wait for the backlog to drain before changing direction
 * @param lookbackHours how far back the backlog scan inspects object versions
 * @param store the bucket that keeps the run's state
 * @param stateKey the key under which the primary's original replication rules are kept
 * @param runId the run that makes the change, recorded in the buckets' tags
 * @param reversePathTimeoutSeconds how long a promotion waits for its canary to reach the primary
 *     through the reverse rule (0, in requests recorded before it existed: the runbook default)
 */
public record StorageRequest(
    BucketPairTarget pair,
    long drainTimeoutSeconds,
    int lookbackHours,
    BucketTarget store,
    String stateKey,
    String runId,
    long reversePathTimeoutSeconds) {}
