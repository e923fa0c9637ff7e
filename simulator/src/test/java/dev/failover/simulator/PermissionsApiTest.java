package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.service.iam.AccessControlRequest;
import com.databricks.sdk.service.iam.AccessControlResponse;
import com.databricks.sdk.service.iam.ObjectPermissions;
import com.databricks.sdk.service.iam.Permission;
import com.databricks.sdk.service.iam.PermissionLevel;
import com.databricks.sdk.service.iam.PermissionsDescription;
import com.databricks.sdk.service.iam.SetObjectPermissions;
import com.databricks.sdk.service.iam.UpdateObjectPermissions;
import com.databricks.sdk.service.sql.WarehouseAccessControlRequest;
import com.databricks.sdk.service.sql.WarehousePermissionLevel;
import com.databricks.sdk.service.sql.WarehousePermissionsRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.simulator.databricks.KnownPrincipals;
import dev.failover.simulator.databricks.WorkspaceState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated Permissions API, driven only through the real SDK. */
class PermissionsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Simulator simulator;
  private WorkspaceClient workspace;
  private WorkspaceState state;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    state = simulator.workspace("primary");
    state
        .permissions()
        .usePrincipals(
            new KnownPrincipals.Names(state.userName())
                .addUsers("alice@example.com")
                .addServicePrincipals("6f0c-etl-sp"));
    state.groups().create("analysts", null, List.of(), List.of(), List.of());
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private String job() {
    ObjectNode settings = JSON.createObjectNode().put("name", "nightly");
    return Long.toString(state.jobs().create(settings));
  }

  private static AccessControlRequest user(String name, PermissionLevel level) {
    return new AccessControlRequest().setUserName(name).setPermissionLevel(level);
  }

  private static AccessControlRequest group(String name, PermissionLevel level) {
    return new AccessControlRequest().setGroupName(name).setPermissionLevel(level);
  }

  private ObjectPermissions put(String type, String id, AccessControlRequest... entries) {
    return workspace
        .permissions()
        .set(
            new SetObjectPermissions()
                .setRequestObjectType(type)
                .setRequestObjectId(id)
                .setAccessControlList(List.of(entries)));
  }

  /** {@code principal level inherited-from} per permission, for compact assertions. */
  private static List<String> lines(ObjectPermissions acl) {
    List<String> lines = new ArrayList<>();
    for (AccessControlResponse entry : acl.getAccessControlList()) {
      String who =
          entry.getUserName() != null
              ? entry.getUserName()
              : entry.getGroupName() != null
                  ? entry.getGroupName()
                  : entry.getServicePrincipalName();
      for (Permission p : entry.getAllPermissions()) {
        lines.add(
            who
                + " "
                + p.getPermissionLevel()
                + (p.getInherited()
                    ? " from " + String.join(",", p.getInheritedFromObject())
                    : ""));
      }
    }
    return lines;
  }

  @Test
  void aJobIsOwnedByItsCreatorAndAdminsInheritManageFromTheRoot() {
    String id = job();
    ObjectPermissions acl = workspace.permissions().get("jobs", id);

    assertThat(acl.getObjectId()).isEqualTo("/jobs/" + id);
    assertThat(acl.getObjectType()).isEqualTo("job");
    assertThat(lines(acl))
        .containsExactly(state.userName() + " IS_OWNER", "admins CAN_MANAGE from /jobs/");
    assertThat(
            workspace.permissions().getPermissionLevels("jobs", id).getPermissionLevels().stream()
                .map(PermissionsDescription::getPermissionLevel)
                .map(Object::toString))
        .containsExactly("CAN_MANAGE", "CAN_MANAGE_RUN", "CAN_VIEW", "IS_OWNER");
  }

  @Test
  void putReplacesTheDirectEntriesAndPatchAddsToThem() {
    String id = job();
    put(
        "jobs",
        id,
        user("alice@example.com", PermissionLevel.IS_OWNER),
        group("analysts", PermissionLevel.CAN_VIEW));
    ObjectPermissions patched =
        workspace
            .permissions()
            .update(
                new UpdateObjectPermissions()
                    .setRequestObjectType("jobs")
                    .setRequestObjectId(id)
                    .setAccessControlList(
                        List.of(
                            new AccessControlRequest()
                                .setServicePrincipalName("6f0c-etl-sp")
                                .setPermissionLevel(PermissionLevel.CAN_MANAGE_RUN))));

    assertThat(lines(patched))
        .containsExactly(
            "alice@example.com IS_OWNER",
            "analysts CAN_VIEW",
            "6f0c-etl-sp CAN_MANAGE_RUN",
            "admins CAN_MANAGE from /jobs/");
  }

  @Test
  void aJobMustKeepExactlyOneOwner() {
    String id = job();
    assertThatThrownBy(() -> put("jobs", id, group("analysts", PermissionLevel.CAN_VIEW)))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessage("The job must have exactly one owner.");
    assertThatThrownBy(
            () ->
                put(
                    "jobs",
                    id,
                    user("alice@example.com", PermissionLevel.IS_OWNER),
                    user(state.userName(), PermissionLevel.IS_OWNER)))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(() -> put("jobs", id, group("analysts", PermissionLevel.IS_OWNER)))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("analysts");
  }

  @Test
  void aLevelTheTypeDoesNotHaveIsRefusedNamingIt() {
    String id = job();
    assertThatThrownBy(
            () ->
                put(
                    "jobs",
                    id,
                    user("alice@example.com", PermissionLevel.IS_OWNER),
                    group("analysts", PermissionLevel.CAN_USE)))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("CAN_USE")
        .hasMessageContaining("job");
    assertThat(lines(workspace.permissions().get("jobs", id)))
        .containsExactly(state.userName() + " IS_OWNER", "admins CAN_MANAGE from /jobs/");
  }

  @Test
  void anUnknownPrincipalIsRefusedAsTheServiceAnswers() {
    String id = job();
    assertThatThrownBy(
            () ->
                put(
                    "jobs",
                    id,
                    user("alice@example.com", PermissionLevel.IS_OWNER),
                    user("nobody@example.com", PermissionLevel.CAN_VIEW)))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessage("Principal: UserName(nobody@example.com) does not exist");
    assertThatThrownBy(() -> put("jobs", id, group("ghosts", PermissionLevel.CAN_VIEW)))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessage("Principal: GroupName(ghosts) does not exist");
  }

  @Test
  void aWarehousePutWithoutAnOwnerKeepsItsOwnerUnderBothPaths() {
    String id =
        state
            .warehouses()
            .create(JSON.createObjectNode().put("name", "bi").put("cluster_size", "Small"));
    workspace
        .warehouses()
        .setPermissions(
            new WarehousePermissionsRequest()
                .setWarehouseId(id)
                .setAccessControlList(
                    List.of(
                        new WarehouseAccessControlRequest()
                            .setGroupName("analysts")
                            .setPermissionLevel(WarehousePermissionLevel.CAN_USE))));
    ObjectPermissions acl = workspace.permissions().get("sql/warehouses", id);

    assertThat(acl.getObjectId()).isEqualTo("/sql/warehouses/" + id);
    assertThat(lines(acl))
        .containsExactly(
            "analysts CAN_USE",
            state.userName() + " IS_OWNER",
            "admins CAN_MANAGE from /sql/warehouses/");
  }

  @Test
  void aNotebookInheritsFromItsFolders() {
    state.workspaceTree().mkdirs("/Shared/etl");
    long folder = state.workspaceTree().status("/Shared/etl").objectId();
    long notebook =
        state
            .workspaceTree()
            .importNotebook("/Shared/etl/load", "PYTHON", "print(1)", false)
            .objectId();
    put("directories", Long.toString(folder), group("analysts", PermissionLevel.CAN_READ));
    put("notebooks", Long.toString(notebook), user("alice@example.com", PermissionLevel.CAN_EDIT));

    assertThat(lines(workspace.permissions().get("notebooks", Long.toString(notebook))))
        .containsExactly(
            "alice@example.com CAN_EDIT",
            "analysts CAN_READ from /directories/" + folder,
            "admins CAN_MANAGE from /directories/");
    assertThatThrownBy(
            () ->
                put(
                    "notebooks",
                    Long.toString(notebook),
                    user("alice@example.com", PermissionLevel.IS_OWNER)))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(() -> put("directories", Long.toString(notebook)))
        .isInstanceOf(ResourceDoesNotExist.class);
  }

  @Test
  void clustersAndPoliciesHaveTheirOwnLevels() {
    String cluster =
        state
            .clusters()
            .create(
                JSON.createObjectNode()
                    .put("cluster_name", "shared")
                    .put("spark_version", "15.4.x-scala2.12")
                    .put("node_type_id", "i3.xlarge")
                    .put("num_workers", 1));
    assertThat(lines(workspace.permissions().get("clusters", cluster)))
        .containsExactly(state.userName() + " CAN_MANAGE", "admins CAN_MANAGE from /clusters/");
    put("clusters", cluster, group("analysts", PermissionLevel.CAN_RESTART));
    assertThat(lines(workspace.permissions().get("clusters", cluster)))
        .containsExactly("analysts CAN_RESTART", "admins CAN_MANAGE from /clusters/");
    assertThatThrownBy(() -> put("clusters", cluster, group("analysts", PermissionLevel.CAN_USE)))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void unknownTypesAndObjectsAreRefused() {
    assertThatThrownBy(() -> workspace.permissions().get("sql-warehouses", "abc"))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("is not a supported object type for permissions");
    assertThatThrownBy(() -> workspace.permissions().get("jobs", "42"))
        .isInstanceOf(ResourceDoesNotExist.class);
  }
}
