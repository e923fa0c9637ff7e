package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.simulator.iam.IamState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * IAM's policy simulator through the real {@code IamClient}: roles as the demo account has them.
 */
class IamApiTest {
  private Simulator simulator;
  private IamClient iam;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    DemoWorkspace.seed(simulator);
    iam =
        IamClient.builder()
            .endpointOverride(simulator.iamUrl())
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .build();
  }

  @AfterEach
  void stop() {
    iam.close();
    simulator.close();
  }

  private List<EvaluationResult> simulate(String role, String resource, String... actions) {
    return iam.simulatePrincipalPolicy(
            r -> r.policySourceArn(role).actionNames(actions).resourceArns(resource))
        .evaluationResults();
  }

  @Test
  void theForwardRoleMayReplicatePrimaryToReplicaOnlyAndTheReverseRoleBack() {
    String replicaObjects = "arn:aws:s3:::" + DemoWorkspace.REPLICA_BUCKET + "/*";
    String primaryObjects = "arn:aws:s3:::" + DemoWorkspace.PRIMARY_BUCKET + "/*";

    assertThat(
            simulate(
                DemoWorkspace.FORWARD_ROLE,
                primaryObjects,
                IamState.GET_OBJECT_VERSION_FOR_REPLICATION,
                IamState.REPLICATE_OBJECT))
        .extracting(EvaluationResult::evalActionName, EvaluationResult::evalDecision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                IamState.GET_OBJECT_VERSION_FOR_REPLICATION, PolicyEvaluationDecisionType.ALLOWED),
            org.assertj.core.groups.Tuple.tuple(
                IamState.REPLICATE_OBJECT, PolicyEvaluationDecisionType.IMPLICIT_DENY));
    assertThat(simulate(DemoWorkspace.REVERSE_ROLE, primaryObjects, IamState.REPLICATE_OBJECT))
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
              assertThat(result.evalResourceName()).isEqualTo(primaryObjects);
            });
    assertThat(
            simulate(
                DemoWorkspace.REVERSE_ROLE,
                replicaObjects,
                IamState.GET_OBJECT_VERSION_FOR_REPLICATION))
        .singleElement()
        .extracting(EvaluationResult::evalDecision)
        .isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
    // Simulating changes nothing and is recorded as IAM's.
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.service().equals(Simulator.IAM_SERVICE))
        .hasSize(3);
  }

  @Test
  void injectedFaultsAnswerInIamsOwnErrorFormat() {
    simulator.faults().add(new Faults.Rule("iam", "", 1, List.of(Faults.Kind.THROTTLE), 0));
    IamClient once =
        IamClient.builder()
            .endpointOverride(simulator.iamUrl())
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
            .build();
    try (once) {
      assertThatThrownBy(
              () ->
                  once.simulatePrincipalPolicy(
                      r ->
                          r.policySourceArn(DemoWorkspace.REVERSE_ROLE)
                              .actionNames(IamState.REPLICATE_OBJECT)))
          .isInstanceOf(IamException.class)
          .satisfies(
              e -> {
                IamException iamError = (IamException) e;
                assertThat(iamError.statusCode()).isEqualTo(400);
                assertThat(iamError.awsErrorDetails().errorCode()).isEqualTo("Throttling");
              });
    }
  }

  @Test
  void anUnknownRoleIsNoSuchEntity() {
    assertThatThrownBy(
            () ->
                simulate("arn:aws:iam::123456789012:role/missing", "*", IamState.REPLICATE_OBJECT))
        .isInstanceOf(NoSuchEntityException.class)
        .extracting(e -> ((IamException) e).statusCode())
        .isEqualTo(404);
  }

  private StsClient sts(String accessKeyId) {
    return StsClient.builder()
        .endpointOverride(simulator.stsUrl())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")))
        .build();
  }

  @Test
  void getCallerIdentityNamesTheSessionOfTheRoleAKeyBelongsToAndRefusesAnUnknownKey() {
    // The demo signs every key as the worker; a key given its own role answers as that role.
    simulator.iam().createRole("arn:aws:iam::210987654321:role/ops/other");
    simulator.iam().signAs("AKIAOTHER", "arn:aws:iam::210987654321:role/ops/other");
    try (StsClient worker = sts("AKIDEXAMPLE");
        StsClient other = sts("AKIAOTHER")) {
      GetCallerIdentityResponse identity = worker.getCallerIdentity();
      assertThat(identity.arn())
          .isEqualTo("arn:aws:sts::123456789012:assumed-role/failover-worker/AKIDEXAMPLE");
      assertThat(identity.account()).isEqualTo("123456789012");
      assertThat(other.getCallerIdentity().arn())
          .isEqualTo("arn:aws:sts::210987654321:assumed-role/other/AKIAOTHER");
    }

    simulator.iam().signUnknownKeysAs(null);
    try (StsClient unknown = sts("AKIAUNKNOWN")) {
      assertThatThrownBy(unknown::getCallerIdentity)
          .isInstanceOfSatisfying(
              StsException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
              });
    }
  }
}
