/**
 * Components for the workspace's code: Git folders ({@link
 * dev.failover.activities.components.workspace.ReposComponent}, the Repos API) and notebooks
 * outside them ({@link dev.failover.activities.components.workspace.NotebooksComponent}, the
 * Workspace API). Neither API has tags or properties, so a drill's clean-up relies on its ledger of
 * created paths.
 */
package dev.failover.activities.components.workspace;
