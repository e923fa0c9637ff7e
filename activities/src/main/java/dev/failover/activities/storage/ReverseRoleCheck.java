package dev.failover.activities.storage;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;

/**
 * Read-only: whether the role a failover's reverse rule would assume may replicate the replica back
 * to the primary, asked of IAM's policy simulator (SimulatePrincipalPolicy), so that a drill can
 * tell without writing to the primary. A canary, as a failover writes, would need a reverse rule
 * and a write that reaches the primary: a drill may do neither.
 *
 * <p>The simulation evaluates the role's identity-based policies for the actions S3 replication
 * needs (AWS S3 user guide, "Setting up permissions for live replication"): {@code
 * s3:GetReplicationConfiguration} and {@code s3:ListBucket} on the replica bucket itself ("The
 * current permissions model requires the {@code s3:ListBucket} permission for accessing delete
 * markers": without it objects replicate and deletes do not, which nothing else would notice),
 * {@code s3:GetObjectVersionForReplication} on the replica's objects, {@code s3:ReplicateObject}
 * and {@code s3:ReplicateDelete} on the primary's. It does not cover the role's trust policy
 * (whether S3 may assume it), bucket policies of another account, or KMS key policies; the
 * failover's canary does.
 */
public final class ReverseRoleCheck {
  static final List<String> REPLICA_BUCKET_ACTIONS =
      List.of("s3:GetReplicationConfiguration", "s3:ListBucket");
  static final List<String> REPLICA_ACTIONS = List.of("s3:GetObjectVersionForReplication");
  static final List<String> PRIMARY_ACTIONS = List.of("s3:ReplicateObject", "s3:ReplicateDelete");

  private final CloudClients clients;
  private final CallRetry retry;

  public ReverseRoleCheck(CloudClients clients, CallRetry retry) {
    this.clients = clients;
    this.retry = retry;
  }

  /**
   * One line for the report: the reverse path would work, would not (naming the role and what it
   * may not do), or could not be checked (and why).
   *
   * @param primaryConfig the primary's replication configuration, whose role the reverse rule falls
   *     back to when the runbook names none
   */
  public String check(BucketPairTarget pair, Optional<ReplicationConfiguration> primaryConfig) {
    Optional<String> runbookRole = Optional.ofNullable(pair.reverseReplicationRoleArn());
    Optional<String> role = runbookRole.or(() -> primaryConfig.map(ReplicationConfiguration::role));
    if (role.isEmpty()) {
      return "reverse path would NOT work: no role for replication from "
          + pair.replica().bucket()
          + " to "
          + pair.primary().bucket()
          + "; set bucketPairs[].reverseReplicationRoleArn";
    }
    String which =
        "role "
            + role.get()
            + (runbookRole.isPresent()
                ? ""
                : " (the primary's replication role: the runbook names no reverseReplicationRoleArn)");
    try {
      List<String> denied = new ArrayList<>();
      String replicaArn = ReplicationRules.arn(pair.replica().bucket());
      denied.addAll(denied(pair, role.get(), REPLICA_BUCKET_ACTIONS, replicaArn));
      denied.addAll(denied(pair, role.get(), REPLICA_ACTIONS, replicaArn + "/*"));
      denied.addAll(
          denied(
              pair,
              role.get(),
              PRIMARY_ACTIONS,
              ReplicationRules.arn(pair.primary().bucket()) + "/*"));
      if (denied.isEmpty()) {
        return "reverse path would work: "
            + which
            + " may replicate "
            + pair.replica().bucket()
            + " to "
            + pair.primary().bucket()
            + " (IAM policy simulation; S3's trust in the role is proven by the failover's canary)";
      }
      return "reverse path would NOT work: "
          + which
          + " may not "
          + String.join(", ", denied)
          + "; every write in DR after a failover would fail to replicate to "
          + pair.primary().bucket();
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        return "reverse path would NOT work: " + which + " does not exist";
      }
      return "reverse path not checked: "
          + e.getOriginalMessage()
          + " (the worker's credentials for "
          + pair.replica().bucket()
          + " need iam:SimulatePrincipalPolicy)";
    }
  }

  /** The actions the role may not take on the resource, as "action on resource". */
  private List<String> denied(
      BucketPairTarget pair, String role, List<String> actions, String resource) {
    List<EvaluationResult> results =
        retry.aws(
            "simulate the policy of " + role + " on " + resource,
            () ->
                clients
                    .iam(pair.replica())
                    .simulatePrincipalPolicy(
                        s -> s.policySourceArn(role).actionNames(actions).resourceArns(resource))
                    .evaluationResults());
    return results.stream()
        .filter(r -> r.evalDecision() != PolicyEvaluationDecisionType.ALLOWED)
        .map(r -> r.evalActionName() + " on " + resource)
        .toList();
  }
}
