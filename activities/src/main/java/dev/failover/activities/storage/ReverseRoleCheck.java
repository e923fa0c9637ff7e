package dev.failover.activities.storage;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
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
  static final String PASS_ROLE = "iam:PassRole";
  static final String PUT_REPLICATION_CONFIGURATION = "s3:PutReplicationConfiguration";

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
    String workerNote = workerRights(pair, primaryConfig.map(ReplicationConfiguration::role), role);
    String line = roleLine(pair, runbookRole, role);
    return workerNote == null ? line : line + "; " + workerNote;
  }

  /** The line about the reverse role itself. */
  private String roleLine(
      BucketPairTarget pair, Optional<String> runbookRole, Optional<String> role) {
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

  /**
   * Fails naming what the worker may not do for the failover's replication writes; returns null
   * when it may, or a note when its rights could not be checked.
   */
  private String workerRights(
      BucketPairTarget pair, Optional<String> forwardRole, Optional<String> reverseRole) {
    List<String> missing = new ArrayList<>();
    List<String> notChecked = new ArrayList<>();
    workerSide(pair.primary(), forwardRole, missing, notChecked);
    workerSide(pair.replica(), reverseRole, missing, notChecked);
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newFailure(
          "the worker may not change the replication of pair "
              + pair.name()
              + ": "
              + String.join("; ", missing)
              + ". A failover would mark "
              + pair.replica().bucket()
              + " active and then be refused (403 AccessDenied) when it disables the rules of "
              + pair.primary().bucket()
              + " or sets the reverse rule on "
              + pair.replica().bucket()
              + " (S3 needs iam:PassRole on a replication configuration's role from whoever puts"
              + " it): grant these to the worker's credentials, then retry",
          FailureTypes.PERMISSION_DENIED);
    }
    return notChecked.isEmpty()
        ? null
        : "the worker's own rights to change replication not checked: "
            + String.join("; ", notChecked);
  }

  /** What the principal of a side's credentials may not do on that side's configuration. */
  private void workerSide(
      BucketTarget side, Optional<String> role, List<String> missing, List<String> notChecked) {
    String principal;
    try {
      String caller =
          retry
              .aws(
                  "ask STS whose credentials profile " + side.credentialProfile() + " holds",
                  () -> clients.sts(side).getCallerIdentity())
              .arn();
      principal = simulatable(caller);
      if (principal == null) {
        notChecked.add(caller + " (profile " + side.credentialProfile() + ") cannot be simulated");
        return;
      }
    } catch (ApplicationFailure e) {
      notChecked.add("profile " + side.credentialProfile() + ": " + e.getOriginalMessage());
      return;
    }
    List<String> denied = new ArrayList<>();
    try {
      denied.addAll(
          simulate(
              side,
              principal,
              List.of(PUT_REPLICATION_CONFIGURATION),
              ReplicationRules.arn(side.bucket())));
      if (role.isPresent()) {
        denied.addAll(simulate(side, principal, List.of(PASS_ROLE), role.get()));
      }
    } catch (ApplicationFailure e) {
      notChecked.add(principal + ": " + e.getOriginalMessage());
      return;
    }
    if (!denied.isEmpty()) {
      missing.add(
          principal
              + " (credential profile "
              + side.credentialProfile()
              + ") may not "
              + String.join(", ", denied));
    }
  }

  /**
   * The IAM principal the policy simulator takes for a caller's ARN: a role's session is simulated
   * as the role (STS names it {@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}, IAM user
   * guide "IAM identifiers"; a role with a path is then not found, and said), a user as itself;
   * null for anything else (the root user, a federated user).
   */
  static String simulatable(String callerArn) {
    String[] arn = callerArn.split(":", 6);
    if (arn.length != 6) {
      return null;
    }
    if (arn[2].equals("sts") && arn[5].startsWith("assumed-role/")) {
      String[] names = arn[5].split("/");
      return names.length < 2 ? null : "arn:" + arn[1] + ":iam::" + arn[4] + ":role/" + names[1];
    }
    if (arn[2].equals("iam") && arn[5].startsWith("user/")) {
      return callerArn;
    }
    return null;
  }

  /** The actions the role may not take on the resource, as "action on resource". */
  private List<String> denied(
      BucketPairTarget pair, String role, List<String> actions, String resource) {
    return simulate(pair.replica(), role, actions, resource);
  }

  /** What a principal may not do on a resource, asked with a side's credentials. */
  private List<String> simulate(
      BucketTarget side, String principal, List<String> actions, String resource) {
    String role = principal;
    List<EvaluationResult> results =
        retry.aws(
            "simulate the policy of " + role + " on " + resource,
            () ->
                clients
                    .iam(side)
                    .simulatePrincipalPolicy(
                        s -> s.policySourceArn(role).actionNames(actions).resourceArns(resource))
                    .evaluationResults());
    return results.stream()
        .filter(r -> r.evalDecision() != PolicyEvaluationDecisionType.ALLOWED)
        .map(r -> r.evalActionName() + " on " + resource)
        .toList();
  }
}
