/**
 * Identity: the groups that grants, owners and ACLs name ({@link
 * dev.failover.activities.components.identity.GroupsComponent}, the workspace SCIM Groups API).
 * Users, groups and membership belong to the identity provider and the Databricks account, so this
 * package only verifies that the target workspace has them; it never creates or changes them.
 */
package dev.failover.activities.components.identity;
