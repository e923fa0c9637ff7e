package dev.failover.simulator.databricks;

import java.util.Set;
import java.util.TreeSet;

/**
 * The users and service principals a workspace knows, which access control lists may name. A
 * workspace's are its SCIM users and service principals ({@link PrincipalsState}); tests may use a
 * fixed set of {@link Names}. Groups are checked against the workspace's SCIM Groups.
 */
public interface KnownPrincipals {
  /** Whether the workspace has a user with this user name. */
  boolean hasUser(String userName);

  /** Whether the workspace has a service principal with this application id. */
  boolean hasServicePrincipal(String applicationId);

  /** A fixed set of names, which {@link #add} extends; the workspace's own user is one. */
  final class Names implements KnownPrincipals {
    private final Set<String> users = new TreeSet<>();
    private final Set<String> servicePrincipals = new TreeSet<>();

    public Names(String workspaceUser) {
      users.add(workspaceUser);
    }

    /** Adds users (by user name) the workspace then knows. */
    public synchronized Names addUsers(String... userNames) {
      users.addAll(Set.of(userNames));
      return this;
    }

    /** Adds service principals (by application id) the workspace then knows. */
    public synchronized Names addServicePrincipals(String... applicationIds) {
      servicePrincipals.addAll(Set.of(applicationIds));
      return this;
    }

    @Override
    public synchronized boolean hasUser(String userName) {
      return users.contains(userName);
    }

    @Override
    public synchronized boolean hasServicePrincipal(String applicationId) {
      return servicePrincipals.contains(applicationId);
    }
  }
}
