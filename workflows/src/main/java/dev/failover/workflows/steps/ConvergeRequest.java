package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/**
 * What a converge or smoke-test step needs: the workspace to make match, the snapshot to match, the
 * storage rewrites to apply, the runbook name that marks objects the run owns, the drill's run id
 * (null outside a drill), and the runbook's account about the target workspace (null when the
 * runbook configures no account), the runbook's compute rules and storage credential mappings in
 * the direction of the run, whether a drill keeps what it creates ({@code --keep}), and the
 * catalogs a managed DR failover group replicates: those are the group's, so converge verifies them
 * and never writes them, nor their schemas, grants or owners; and the components whose objects the
 * group replicates as workspace assets ({@link GroupOwnedComponents}), which converge likewise only
 * verifies; and the snapshot the target last matched ({@link VerifiedTarget}), or null: with it,
 * items of the components that read the same in every mode ({@code Component.sameInEveryMode}) and
 * grants that did not change since that snapshot are trusted, neither read nor written, and only
 * the drift is converged and checked.
 */
public record ConvergeRequest(
    WorkspaceTarget target,
    SnapshotRef snapshot,
    List<Runbook.PathRewrite> storagePathRewrites,
    String runbook,
    String runId,
    AccountTarget account,
    ComputeRules compute,
    Runbook.StorageCredentials storageCredentials,
    boolean keep,
    List<String> replicatedCatalogs,
    List<String> groupOwnedComponents,
    SnapshotRef verifiedSnapshot) {

  public ConvergeRequest {
    replicatedCatalogs = replicatedCatalogs == null ? List.of() : List.copyOf(replicatedCatalogs);
    groupOwnedComponents =
        groupOwnedComponents == null ? List.of() : List.copyOf(groupOwnedComponents);
    if (compute == null) {
      compute = ComputeRules.NONE;
    }
    if (storageCredentials == null) {
      storageCredentials = Runbook.StorageCredentials.NONE;
    }
  }

  /** This request converging only the drift since {@code verified} (null: everything). */
  public ConvergeRequest withVerifiedSnapshot(SnapshotRef verified) {
    return new ConvergeRequest(
        target,
        snapshot,
        storagePathRewrites,
        runbook,
        runId,
        account,
        compute,
        storageCredentials,
        keep,
        replicatedCatalogs,
        groupOwnedComponents,
        verified);
  }

  /** A request of a run that does not keep a drill's objects. */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook,
      String runId,
      AccountTarget account,
      ComputeRules compute,
      Runbook.StorageCredentials storageCredentials) {
    this(
        target,
        snapshot,
        storagePathRewrites,
        runbook,
        runId,
        account,
        compute,
        storageCredentials,
        false,
        List.of(),
        List.of(),
        null);
  }

  /**
   * Whether the failover group replicates this component's objects as workspace assets: converge
   * only verifies them and never writes them.
   */
  public boolean groupOwns(String component) {
    return groupOwnedComponents.contains(component);
  }

  /** This request with the components a failover group replicates as workspace assets. */
  public ConvergeRequest withGroupOwnedComponents(List<String> components) {
    return new ConvergeRequest(
        target,
        snapshot,
        storagePathRewrites,
        runbook,
        runId,
        account,
        compute,
        storageCredentials,
        keep,
        replicatedCatalogs,
        components,
        verifiedSnapshot);
  }

  /**
   * Whether a securable's full name ({@code catalog}, {@code catalog.schema}, ...) lies in a
   * catalog the failover group replicates.
   */
  public boolean replicatedByGroup(String fullName) {
    if (fullName == null) {
      return false;
    }
    int dot = fullName.indexOf('.');
    return replicatedCatalogs.contains(dot < 0 ? fullName : fullName.substring(0, dot));
  }

  /** This request with the catalogs a failover group replicates. */
  public ConvergeRequest withReplicatedCatalogs(List<String> catalogs) {
    return new ConvergeRequest(
        target,
        snapshot,
        storagePathRewrites,
        runbook,
        runId,
        account,
        compute,
        storageCredentials,
        keep,
        catalogs,
        groupOwnedComponents,
        verifiedSnapshot);
  }

  /**
   * The drill whose objects stay owned by the worker until its clean-up drops them, or null: a
   * drill kept with {@code --keep} has no clean-up, so its objects get their captured owners as a
   * failover's do, and a later run finds them converged.
   */
  public String drillKeepingOwnership() {
    return keep ? null : runId;
  }

  /** A request without storage credential mappings. */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook,
      String runId,
      AccountTarget account,
      ComputeRules compute) {
    this(target, snapshot, storagePathRewrites, runbook, runId, account, compute, null);
  }

  /** A request without compute rules. */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook,
      String runId,
      AccountTarget account) {
    this(target, snapshot, storagePathRewrites, runbook, runId, account, ComputeRules.NONE);
  }

  /** A request without the account API. */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook,
      String runId) {
    this(target, snapshot, storagePathRewrites, runbook, runId, null);
  }

  /** A request without a run mark (objects created are not attributed to a run). */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook) {
    this(target, snapshot, storagePathRewrites, runbook, null, null);
  }
}
