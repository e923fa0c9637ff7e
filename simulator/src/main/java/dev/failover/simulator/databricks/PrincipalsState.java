package dev.failover.simulator.databricks;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The users and service principals of one simulated workspace, who each bearer token belongs to,
 * and who is a workspace admin.
 *
 * <ul>
 *   <li>A user is named by its {@code userName} (an email), a service principal by its {@code
 *       applicationId} (a UUID), as the SDK's {@code iam.User} and {@code iam.ServicePrincipal}
 *       carry them and as {@code JobRunAs.user_name} and {@code service_principal_name} name them.
 *       Both are account identities assigned to the workspace, so a name is the same in every
 *       workspace of the account while the SCIM {@code id} differs.
 *   <li>Workspace admins are the members of the built-in {@code admins} group (SCIM {@code Groups};
 *       "Manage users, service principals and groups": a user or service principal is a workspace
 *       admin by being in the workspace's {@code admins} group). Every principal is a member of
 *       {@code users}.
 *   <li>The account-level {@code servicePrincipal.user} role ("Roles for managing service
 *       principals": it lets a principal run jobs as the service principal; the account's rule sets
 *       API sets it, which the simulator does not serve) is kept here as data that the demo and
 *       tests set. A service principal may always act as itself.
 * </ul>
 *
 * All methods are synchronized.
 */
public final class PrincipalsState implements KnownPrincipals {
  /** A principal's kind, as the SCIM resource it is listed under. */
  public enum Kind {
    USER,
    SERVICE_PRINCIPAL
  }

  /**
   * A user or service principal.
   *
   * @param id the workspace's SCIM id
   * @param name the {@code userName} of a user, the {@code applicationId} of a service principal
   */
  public record Principal(String id, Kind kind, String name, String displayName, boolean active) {
    public boolean isServicePrincipal() {
      return kind == Kind.SERVICE_PRINCIPAL;
    }

    /** The SCIM member reference: {@code Users/<id>} or {@code ServicePrincipals/<id>}. */
    String ref() {
      return (kind == Kind.USER ? "Users/" : "ServicePrincipals/") + id;
    }
  }

  private final Map<String, Principal> byId = new TreeMap<>();
  private final Map<String, String> tokens = new HashMap<>();
  private final Map<String, Set<String>> servicePrincipalUsers = new HashMap<>();
  private final GroupsState groups;
  private long nextId;

  /**
   * @param groups the workspace's groups, whose {@code admins} and {@code users} hold the members
   * @param admin the workspace's first admin, already a member of both built-in groups
   * @param firstId the first id handed out to a principal added later
   */
  PrincipalsState(GroupsState groups, Principal admin, long firstId) {
    this.groups = groups;
    this.nextId = firstId;
    byId.put(admin.id(), admin);
  }

  /** Adds a workspace user (an account user assigned to the workspace); 409 if it exists. */
  public synchronized Principal addUser(String userName, String displayName) {
    return add(Kind.USER, null, userName, displayName);
  }

  /** Adds a service principal by its application id; 409 if it exists. */
  public synchronized Principal addServicePrincipal(String applicationId, String displayName) {
    return add(Kind.SERVICE_PRINCIPAL, null, applicationId, displayName);
  }

  /**
   * Adds an account user or service principal with its account id: with identity federation an
   * account identity keeps its id in every workspace it is assigned to, as account groups do.
   */
  public synchronized Principal addAccountPrincipal(
      Kind kind, String id, String name, String displayName) {
    return add(kind, id, name, displayName);
  }

  private Principal add(Kind kind, String id, String name, String displayName) {
    if (name == null || name.isBlank()) {
      throw ScimError.invalidValue(
          (kind == Kind.USER ? "userName" : "applicationId") + " is required.");
    }
    if (named(name).isPresent() || (id != null && byId.containsKey(id))) {
      throw new ScimError(409, "uniqueness", "Principal with name " + name + " already exists.");
    }
    Principal principal =
        new Principal(
            id != null ? id : Long.toString(nextId++),
            kind,
            name,
            displayName == null ? name : displayName,
            true);
    byId.put(principal.id(), principal);
    joinGroup("users", principal);
    return principal;
  }

  /** Makes the principal a workspace admin: a member of the {@code admins} group. */
  public synchronized void makeAdmin(String name) {
    joinGroup("admins", require(name));
  }

  private void joinGroup(String groupName, Principal principal) {
    GroupsState.Group group = groups.named(groupName).orElseThrow();
    groups.update(
        group.id(),
        old -> {
          List<GroupsState.Member> members = new ArrayList<>(old.members());
          if (members.stream().noneMatch(m -> m.value().equals(principal.id()))) {
            members.add(
                new GroupsState.Member(principal.id(), principal.displayName(), principal.ref()));
          }
          return new GroupsState.Group(
              old.id(),
              old.displayName(),
              old.externalId(),
              old.resourceType(),
              members,
              old.entitlements(),
              old.roles());
        });
  }

  /** Whether the principal is a member of the workspace's {@code admins} group. */
  public synchronized boolean isAdmin(Principal principal) {
    return groups
        .named("admins")
        .map(g -> g.members().stream().anyMatch(m -> m.value().equals(principal.id())))
        .orElse(false);
  }

  /**
   * Gives {@code principalName} the {@code servicePrincipal.user} role on the service principal.
   */
  public synchronized void grantServicePrincipalUser(String applicationId, String principalName) {
    Principal sp = require(applicationId);
    if (!sp.isServicePrincipal()) {
      throw new IllegalArgumentException(applicationId + " is not a service principal");
    }
    require(principalName);
    servicePrincipalUsers
        .computeIfAbsent(applicationId, k -> new LinkedHashSet<>())
        .add(principalName);
  }

  /** Whether {@code caller} holds {@code servicePrincipal.user} on the service principal. */
  public synchronized boolean mayActAs(Principal caller, String applicationId) {
    return caller.name().equals(applicationId)
        || servicePrincipalUsers.getOrDefault(applicationId, Set.of()).contains(caller.name());
  }

  /**
   * The token of a principal, issued on first request and the same afterwards (a personal access
   * token for a user, an OAuth token for a service principal: both are bearer tokens to the API).
   */
  public synchronized String tokenFor(String name) {
    Principal principal =
        find(name)
            .orElseThrow(
                () -> new IllegalArgumentException("no user or service principal " + name));
    for (Map.Entry<String, String> token : tokens.entrySet()) {
      if (token.getValue().equals(principal.id())) {
        return token.getKey();
      }
    }
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String token = "dapi" + HexFormat.of().formatHex(random);
    tokens.put(token, principal.id());
    return token;
  }

  /** Registers a token already handed out for a principal. */
  synchronized void addToken(String token, String name) {
    tokens.put(token, require(name).id());
  }

  /** The active principal a token belongs to, if any. */
  synchronized Optional<Principal> byToken(String token) {
    String id = tokens.get(token);
    Principal principal = id == null ? null : byId.get(id);
    return principal != null && principal.active() ? Optional.of(principal) : Optional.empty();
  }

  // Access control lists may name active users and service principals only (PermissionsState).
  @Override
  public synchronized boolean hasUser(String userName) {
    return named(userName).filter(p -> !p.isServicePrincipal() && p.active()).isPresent();
  }

  @Override
  public synchronized boolean hasServicePrincipal(String applicationId) {
    return named(applicationId).filter(p -> p.isServicePrincipal() && p.active()).isPresent();
  }

  /** The user or service principal with this {@code userName} or {@code applicationId}. */
  public synchronized Optional<Principal> named(String name) {
    return byId.values().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * The principal with this user name, application id or, when no name matches, display name (a
   * service principal is easier to name by its display name than by its application id).
   */
  public synchronized Optional<Principal> find(String nameOrDisplayName) {
    return named(nameOrDisplayName)
        .or(
            () ->
                byId.values().stream()
                    .filter(p -> p.displayName().equals(nameOrDisplayName))
                    .findFirst());
  }

  public synchronized Principal byId(String id) {
    return byId.get(id);
  }

  /** Every principal of one kind, in id order. */
  public synchronized List<Principal> list(Kind kind) {
    return byId.values().stream().filter(p -> p.kind() == kind).toList();
  }

  /** The names of the groups the principal is a direct member of. */
  public synchronized List<GroupsState.Group> groupsOf(Principal principal) {
    return groups.list().stream()
        .filter(g -> g.members().stream().anyMatch(m -> m.value().equals(principal.id())))
        .toList();
  }

  private Principal require(String name) {
    return named(name)
        .orElseThrow(() -> new IllegalArgumentException("no user or service principal " + name));
  }
}
