package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.AccountClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.error.platform.Aborted;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.InvalidState;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.service.disasterrecovery.FailoverFailoverGroupRequest;
import com.databricks.sdk.service.disasterrecovery.FailoverGroup;
import com.databricks.sdk.service.disasterrecovery.FailoverGroupState;
import com.databricks.sdk.service.disasterrecovery.StableUrl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated disaster-recovery API, driven through the real SDK's {@link AccountClient}. */
class DisasterRecoveryApiTest {
  private Simulator simulator;
  private AccountClient account;
  private String group;
  private String stableUrl;
  private String primary;
  private String secondary;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    DemoWorkspace.seed(simulator);
    simulator.disasterRecovery().setFailoverDuration(Duration.ofMillis(300));
    account =
        new AccountClient(
            new DatabricksConfig()
                .setHost(simulator.accountUrl().toString())
                .setAccountId(Simulator.ACCOUNT_ID)
                .setToken(simulator.accountToken())
                .setAuthType("pat"));
    group = simulator.disasterRecovery().groupName(DemoWorkspace.FAILOVER_GROUP_ID);
    stableUrl = simulator.disasterRecovery().stableUrlName(DemoWorkspace.STABLE_URL_ID);
    primary = simulator.workspace("primary").workspaceId();
    secondary = simulator.workspace("secondary").workspaceId();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void getsAndListsTheGroupWithItsWorkspaceSetsAndARecentReplicationPoint() {
    FailoverGroup got = account.disasterRecovery().getFailoverGroup(group);

    assertThat(got.getState()).isEqualTo(FailoverGroupState.ACTIVE);
    assertThat(got.getEffectivePrimaryRegion()).isEqualTo("us-east-1");
    assertThat(got.getRegions()).containsExactly("us-east-1", "us-west-2");
    assertThat(got.getWorkspaceSets().iterator().next().getWorkspaceIds())
        .containsExactly(primary, secondary);
    assertThat(got.getEtag()).isNotBlank();
    Instant point = Instant.ofEpochSecond(got.getReplicationPoint().getSeconds());
    assertThat(point).isBetween(Instant.now().minusSeconds(120), Instant.now());
    assertThat(
            StreamSupport.stream(
                    account
                        .disasterRecovery()
                        .listFailoverGroups("accounts/" + Simulator.ACCOUNT_ID)
                        .spliterator(),
                    false)
                .map(FailoverGroup::getName))
        .containsExactly(group);
  }

  @Test
  void aFailoverTakesTimeThenMovesTheRegionAndTheStableUrl() throws Exception {
    String etag = account.disasterRecovery().getFailoverGroup(group).getEtag();
    assertThat(account.disasterRecovery().getStableUrl(stableUrl).getEffectiveWorkspaceId())
        .isEqualTo(primary);

    FailoverGroup started = failover("us-west-2", etag);

    assertThat(started.getState()).isEqualTo(FailoverGroupState.FAILING_OVER);
    assertThat(started.getEtag()).isNotEqualTo(etag);
    Thread.sleep(500);
    FailoverGroup done = account.disasterRecovery().getFailoverGroup(group);
    assertThat(done.getState()).isEqualTo(FailoverGroupState.ACTIVE);
    assertThat(done.getEffectivePrimaryRegion()).isEqualTo("us-west-2");
    StableUrl url = account.disasterRecovery().getStableUrl(stableUrl);
    assertThat(url.getEffectiveWorkspaceId()).isEqualTo(secondary);
    assertThat(url.getFailoverGroupName()).isEqualTo(group);
  }

  @Test
  void aStaleEtagIsRefusedAndTheGroupStays() {
    String etag = account.disasterRecovery().getFailoverGroup(group).getEtag();
    simulator.disasterRecovery().touchGroup(group);

    assertThatThrownBy(() -> failover("us-west-2", etag)).isInstanceOf(Aborted.class);
    assertThat(account.disasterRecovery().getFailoverGroup(group).getState())
        .isEqualTo(FailoverGroupState.ACTIVE);
    assertThat(simulator.disasterRecovery().failoversAccepted(group)).isZero();
  }

  @Test
  void aFailoverToTheCurrentRegionOrWhileFailingOverIsRefused() {
    assertThatThrownBy(() -> failover("us-east-1", null))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("already the effective primary region");
    assertThatThrownBy(() -> failover("eu-west-1", null)).isInstanceOf(InvalidParameterValue.class);
    failover("us-west-2", null);
    simulator.disasterRecovery().setFailoverDuration(Duration.ofMinutes(5));
    assertThatThrownBy(() -> failover("us-west-2", null)).isInstanceOf(InvalidState.class);
  }

  @Test
  void aPlantedFailureEndsFailoverFailedInTheOldRegion() throws Exception {
    simulator.disasterRecovery().failNextFailover(group, "replica not ready");

    failover("us-west-2", null);
    Thread.sleep(500);

    FailoverGroup failed = account.disasterRecovery().getFailoverGroup(group);
    assertThat(failed.getState()).isEqualTo(FailoverGroupState.FAILOVER_FAILED);
    assertThat(failed.getEffectivePrimaryRegion()).isEqualTo("us-east-1");
    assertThat(account.disasterRecovery().getStableUrl(stableUrl).getEffectiveWorkspaceId())
        .isEqualTo(primary);
  }

  @Test
  void anUnknownGroupIsNotFound() {
    assertThatThrownBy(
            () ->
                account
                    .disasterRecovery()
                    .getFailoverGroup("accounts/" + Simulator.ACCOUNT_ID + "/failover-groups/none"))
        .isInstanceOf(ResourceDoesNotExist.class);
  }

  private FailoverGroup failover(String region, String etag) {
    return account
        .disasterRecovery()
        .failoverFailoverGroup(
            new FailoverFailoverGroupRequest()
                .setName(group)
                .setTargetPrimaryRegion(region)
                .setEtag(etag));
  }
}
