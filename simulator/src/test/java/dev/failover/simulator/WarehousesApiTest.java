package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.sql.CreateWarehouseRequest;
import com.databricks.sdk.service.sql.CreateWarehouseRequestWarehouseType;
import com.databricks.sdk.service.sql.EditWarehouseRequest;
import com.databricks.sdk.service.sql.EndpointInfo;
import com.databricks.sdk.service.sql.EndpointTagPair;
import com.databricks.sdk.service.sql.EndpointTags;
import com.databricks.sdk.service.sql.GetWarehouseResponse;
import com.databricks.sdk.service.sql.GetWarehouseResponseWarehouseType;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import com.databricks.sdk.service.sql.SpotInstancePolicy;
import com.databricks.sdk.service.sql.StartRequest;
import com.databricks.sdk.service.sql.State;
import com.databricks.sdk.service.sql.StopRequest;
import dev.failover.simulator.databricks.WarehousesState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated SQL Warehouses API, driven only through the real Databricks SDK for Java, including
 * its waiters ({@code Wait.get}), which poll {@code GET /api/2.0/sql/warehouses/{id}}.
 */
class WarehousesApiTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Simulator simulator;
  private WorkspaceClient workspace;
  private WarehousesState warehouses;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    warehouses = simulator.workspace("primary").warehouses();
    simulator.workspace("primary").setWarehouseStartDelay(Duration.ofMillis(300));
    warehouses.setStopDelay(Duration.ofMillis(300));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static CreateWarehouseRequest small(String name) {
    return new CreateWarehouseRequest().setName(name).setClusterSize("Small");
  }

  @Test
  void createStartsTheWarehouseAndTheSdksWaitSeesItRunning() throws TimeoutException {
    var waiter =
        workspace
            .warehouses()
            .create(
                small("bi")
                    .setMinNumClusters(2L)
                    .setMaxNumClusters(4L)
                    .setAutoStopMins(30L)
                    .setEnablePhoton(true)
                    .setEnableServerlessCompute(true)
                    .setWarehouseType(CreateWarehouseRequestWarehouseType.PRO)
                    .setSpotInstancePolicy(SpotInstancePolicy.RELIABILITY_OPTIMIZED)
                    .setTags(
                        new EndpointTags()
                            .setCustomTags(
                                List.of(new EndpointTagPair().setKey("team").setValue("bi")))));
    String id = waiter.getResponse().getId();
    assertThat(id).matches("[0-9a-f]{16}");
    assertThat(workspace.warehouses().get(id).getState()).isEqualTo(State.STARTING);

    GetWarehouseResponse running = waiter.get(WAIT);

    assertThat(running.getState()).isEqualTo(State.RUNNING);
    assertThat(running.getId()).isEqualTo(id);
    assertThat(running.getName()).isEqualTo("bi");
    assertThat(running.getClusterSize()).isEqualTo("Small");
    assertThat(running.getMinNumClusters()).isEqualTo(2L);
    assertThat(running.getMaxNumClusters()).isEqualTo(4L);
    assertThat(running.getNumClusters()).isEqualTo(2L);
    assertThat(running.getNumActiveSessions()).isZero();
    assertThat(running.getAutoStopMins()).isEqualTo(30L);
    assertThat(running.getEnablePhoton()).isTrue();
    assertThat(running.getEnableServerlessCompute()).isTrue();
    assertThat(running.getWarehouseType()).isEqualTo(GetWarehouseResponseWarehouseType.PRO);
    assertThat(running.getSpotInstancePolicy()).isEqualTo(SpotInstancePolicy.RELIABILITY_OPTIMIZED);
    assertThat(running.getTags().getCustomTags())
        .extracting(EndpointTagPair::getKey, EndpointTagPair::getValue)
        .containsExactly(tuple("team", "bi"));
    assertThat(running.getCreatorName()).isEqualTo("sre-automation@acme.example");
    assertThat(running.getJdbcUrl()).contains("httpPath=/sql/1.0/warehouses/" + id);
    assertThat(running.getOdbcParams().getPath()).isEqualTo("/sql/1.0/warehouses/" + id);
    assertThat(running.getOdbcParams().getPort()).isEqualTo(443L);
    assertThat(running.getOdbcParams().getProtocol()).isEqualTo("https");
  }

  @Test
  void serviceFillsInTheDocumentedDefaults() {
    String id = workspace.warehouses().create(small("defaults")).getResponse().getId();
    GetWarehouseResponse w = workspace.warehouses().get(id);
    assertThat(w.getAutoStopMins()).isEqualTo(120L);
    assertThat(w.getMinNumClusters()).isEqualTo(1L);
    assertThat(w.getMaxNumClusters()).isEqualTo(1L);
    assertThat(w.getEnablePhoton()).isTrue();
    assertThat(w.getEnableServerlessCompute()).isFalse();
    assertThat(w.getWarehouseType()).isEqualTo(GetWarehouseResponseWarehouseType.CLASSIC);
    assertThat(w.getNumClusters()).isZero();
  }

  @Test
  void stopThenStartThroughTheSdksWaiters() throws TimeoutException {
    String id = workspace.warehouses().create(small("etl")).getResponse().getId();
    workspace.warehouses().waitGetWarehouseRunning(id, WAIT, null);

    GetWarehouseResponse stopped =
        workspace.warehouses().stop(new StopRequest().setId(id)).get(WAIT);
    assertThat(stopped.getState()).isEqualTo(State.STOPPED);
    assertThat(stopped.getNumClusters()).isZero();

    GetWarehouseResponse restarted =
        workspace.warehouses().start(new StartRequest().setId(id)).get(WAIT);
    assertThat(restarted.getState()).isEqualTo(State.RUNNING);
  }

  @Test
  void waitingForRunningFailsWhenTheWarehouseIsStoppedMeanwhile() {
    warehouses.setStartDelay(Duration.ofMinutes(5));
    warehouses.setStopDelay(Duration.ZERO);
    var waiter = workspace.warehouses().create(small("interrupted"));
    workspace.warehouses().stop(new StopRequest().setId(waiter.getResponse().getId()));

    assertThatThrownBy(() -> waiter.get(WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("STOPPED");
  }

  @Test
  void editChangesTheGivenFieldsAndKeepsTheOthers() {
    String id =
        workspace.warehouses().create(small("edit-me").setAutoStopMins(45L)).getResponse().getId();
    workspace
        .warehouses()
        .edit(new EditWarehouseRequest().setId(id).setClusterSize("Large").setMaxNumClusters(3L));

    GetWarehouseResponse edited = workspace.warehouses().get(id);
    assertThat(edited.getClusterSize()).isEqualTo("Large");
    assertThat(edited.getMaxNumClusters()).isEqualTo(3L);
    assertThat(edited.getAutoStopMins()).isEqualTo(45L);
    assertThat(edited.getName()).isEqualTo("edit-me");
  }

  @Test
  void listAnswersEveryWarehouseAndPagesByPageSize() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ids.add(workspace.warehouses().create(small("wh-" + i)).getResponse().getId());
    }
    simulator.requests().clear();

    List<EndpointInfo> all = new ArrayList<>();
    workspace.warehouses().list(new ListWarehousesRequest()).forEach(all::add);
    assertThat(all).extracting(EndpointInfo::getId).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(all).allMatch(w -> w.getJdbcUrl() != null && w.getState() != null);

    List<EndpointInfo> paged = new ArrayList<>();
    workspace.warehouses().list(new ListWarehousesRequest().setPageSize(2L)).forEach(paged::add);
    assertThat(paged).extracting(EndpointInfo::getId).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.query().contains("page_size=2"))
        .hasSize(3);
  }

  @Test
  void deletedWarehouseAnswersDeletedForAWhileThenNotFound() {
    String id = workspace.warehouses().create(small("gone")).getResponse().getId();
    workspace.warehouses().delete(id);

    assertThat(workspace.warehouses().get(id).getState()).isEqualTo(State.DELETED);
    List<EndpointInfo> listed = new ArrayList<>();
    workspace.warehouses().list(new ListWarehousesRequest()).forEach(listed::add);
    assertThat(listed).isEmpty();
    assertThatThrownBy(() -> workspace.warehouses().start(new StartRequest().setId(id)))
        .isInstanceOf(NotFound.class);

    String other = workspace.warehouses().create(small("gone too")).getResponse().getId();
    warehouses.setDeletedRetention(Duration.ZERO);
    workspace.warehouses().delete(other);
    assertThatThrownBy(() -> workspace.warehouses().get(other)).isInstanceOf(NotFound.class);
  }

  @Test
  void aTakenNameIsABadRequestInTheServicesWordsAlsoWhileADeletedOneHoldsIt() {
    String id = workspace.warehouses().create(small("bi")).getResponse().getId();

    assertThatThrownBy(() -> workspace.warehouses().create(small("bi")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessage("SQL warehouse with name `bi` already exists")
        .satisfies(e -> assertThat(((DatabricksError) e).getStatusCode()).isEqualTo(400));

    workspace.warehouses().delete(id);
    assertThatThrownBy(() -> workspace.warehouses().create(small("bi")))
        .isInstanceOf(InvalidParameterValue.class);
    warehouses.setDeletedRetention(Duration.ZERO);
    String other = workspace.warehouses().create(small("other")).getResponse().getId();
    workspace.warehouses().delete(other);
    assertThat(workspace.warehouses().create(small("other")).getResponse().getId())
        .isNotEqualTo(other);
  }

  @Test
  void unknownIdIsNotFoundWithTheServicesErrorCode() {
    assertThatThrownBy(() -> workspace.warehouses().get("0123456789abcdef"))
        .isInstanceOf(NotFound.class)
        .hasMessage("The warehouse 0123456789abcdef was not found.")
        .satisfies(
            e -> {
              DatabricksError error = (DatabricksError) e;
              assertThat(error.getStatusCode()).isEqualTo(404);
              assertThat(error.getErrorCode()).isEqualTo("NOT_FOUND");
            });
    assertThatThrownBy(() -> workspace.warehouses().delete("0123456789abcdef"))
        .isInstanceOf(NotFound.class);
  }

  @Test
  void invalidConfigurationsAndDuplicateNamesAreRefused() {
    assertThatThrownBy(
            () -> workspace.warehouses().create(new CreateWarehouseRequest().setName("no-size")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("cluster_size");
    assertThatThrownBy(() -> workspace.warehouses().create(small("x").setAutoStopMins(5L)))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("auto_stop_mins");
    assertThatThrownBy(
            () ->
                workspace
                    .warehouses()
                    .create(
                        small("x")
                            .setEnableServerlessCompute(true)
                            .setWarehouseType(CreateWarehouseRequestWarehouseType.CLASSIC)))
        .isInstanceOf(InvalidParameterValue.class);
    workspace.warehouses().create(small("taken"));
    assertThatThrownBy(() -> workspace.warehouses().create(small("taken")))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void requestLogMarksWritesAsMutatingAndReadsNot() throws TimeoutException {
    warehouses.setStartDelay(Duration.ZERO);
    warehouses.setStopDelay(Duration.ZERO);
    simulator.requests().clear();
    String id = workspace.warehouses().create(small("logged")).get(WAIT).getId();
    workspace.warehouses().list(new ListWarehousesRequest()).forEach(w -> {});
    workspace.warehouses().edit(new EditWarehouseRequest().setId(id).setClusterSize("Medium"));
    workspace.warehouses().stop(new StopRequest().setId(id));
    workspace.warehouses().start(new StartRequest().setId(id));
    workspace.warehouses().delete(id);

    Set<String> mutating = new HashSet<>();
    Set<String> reads = new HashSet<>();
    simulator.requests().all().stream()
        .filter(r -> r.path().startsWith("/api/2.0/sql/warehouses"))
        .forEach(r -> (r.mutating() ? mutating : reads).add(r.method() + " " + r.path()));
    String path = "/api/2.0/sql/warehouses";
    assertThat(mutating)
        .containsExactlyInAnyOrder(
            "POST " + path,
            "POST " + path + "/" + id + "/edit",
            "POST " + path + "/" + id + "/stop",
            "POST " + path + "/" + id + "/start",
            "DELETE " + path + "/" + id);
    assertThat(reads).containsExactlyInAnyOrder("GET " + path, "GET " + path + "/" + id);
  }
}
