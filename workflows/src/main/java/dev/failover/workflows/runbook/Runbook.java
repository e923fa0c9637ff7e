package dev.failover.workflows.runbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A runbook, version 1: which workspace fails over to which, where the replicated data lives, and
 * what the run must achieve. It holds names of credential profiles, never secrets.
 *
 * <p>Instances are built by {@link RunbookParser}, which validates every field first, so code that
 * receives a {@code Runbook} can rely on its invariants (for example, every bucket pair has two
 * different buckets in two different regions, and each storage role is held by one pair).
 */
public record Runbook(
    int version,
    String name,
    Side primary,
    Side secondary,
    List<BucketPair> bucketPairs,
    Replication replication,
    List<PathRewrite> storagePathRewrites,
    Objectives objectives,
    Approval approval,
    Scope scope,
    OnStepFailure onStepFailure,
    Steps steps,
    AccountSettings account,
    Capture capture,
    ComputeRules compute,
    StorageCredentials storageCredentials,
    FenceSettings fence,
    ManagedDr managedDr) {

  public Runbook {
    if (fence == null) {
      fence = FenceSettings.DEFAULT;
    }
    if (compute == null) {
      compute = ComputeRules.NONE;
    }
    if (storageCredentials == null) {
      storageCredentials = StorageCredentials.NONE;
    }
    // Absent in runbooks (and recorded runs) from before the settings existed.
    if (onStepFailure == null) {
      onStepFailure = OnStepFailure.DEFAULT;
    }
    if (steps == null) {
      steps = Steps.NONE;
    }
  }

  /**
   * How the runbook changes the plan of a mode.
   *
   * @param disable built-in steps left out (only those whose absence the run tolerates)
   * @param custom steps the runbook adds: webhook calls for DNS changes, notifications and the like
   * @param maxParallel how many steps that are ready together, built-in and custom alike, run at
   *     once
   */
  public record Steps(List<String> disable, List<CustomStep> custom, int maxParallel) {
    /**
     * Once capture has run, seven converge steps and the Delta check are ready together. {@code
     * converge-jobs}, which starts early, may hold a ninth slot while it waits; the Delta check,
     * off the critical path, then waits for one. Each step's requests go through the worker's
     * per-family pacing and its activity slots, which bound the load on a workspace whatever the
     * number of steps running.
     */
    public static final int DEFAULT_MAX_PARALLEL = 8;

    public static final Steps NONE = new Steps(List.of(), List.of(), DEFAULT_MAX_PARALLEL);

    /** The built-in steps a runbook may disable. */
    public static final List<String> DISABLEABLE =
        List.of("fence-source", "check-delta-tables", "smoke-test", "unfence-target");

    public Steps {
      disable = disable == null ? List.of() : List.copyOf(disable);
      custom = custom == null ? List.of() : List.copyOf(custom);
    }
  }

  /**
   * A step the runbook adds: an HTTP call made when the steps it depends on have run.
   *
   * @param name its name, unique in the plan
   * @param modes the modes it runs in ({@code drill}, {@code failover}, {@code failback})
   * @param dependsOn the steps (built-in or custom) it runs after
   * @param webhook the call
   */
  public record CustomStep(
      String name, List<String> modes, List<String> dependsOn, Webhook webhook) {}

  /**
   * An HTTP call with a JSON body, expected to answer a given status. The URL carries no
   * credentials: the runbook travels in the workflow's input, where secrets must never be.
   *
   * @param url an https URL (http only to localhost)
   * @param method POST, PUT, PATCH or GET
   * @param body the JSON body, as text, or null
   * @param expectStatus the status that means success
   * @param timeoutSeconds how long one attempt may take
   */
  public record Webhook(
      String url, String method, String body, int expectStatus, int timeoutSeconds) {}

  /**
   * How often a Temporal Schedule captures the primary's control plane into the replica bucket
   * ({@code failover capture-schedule apply}), so that a failover during an outage of the primary
   * region converges from a recent snapshot. Optional.
   *
   * @param everyMinutes the interval between two captures; the newest snapshot is never older than
   *     about this (the control-plane RPO), while captures succeed
   */
  public record Capture(int everyMinutes) {
    /** The shortest interval: a capture of a large workspace takes minutes. */
    public static final int MIN_EVERY_MINUTES = 5;

    /** The longest interval: a week. */
    public static final int MAX_EVERY_MINUTES = 7 * 24 * 60;
  }

  /** One side of the deployment: a region, its workspace, and the profile that reaches both. */
  public record Side(String region, String workspaceHost, String credentialProfile) {}

  /** The storage roles a bucket pair can hold; each role is held by at most one pair. */
  public static final List<String> STORAGE_ROLES =
      List.of("data-lake", "dbfs-root", "mlflow-artifacts", "checkpoints", "feature-data", "logs");

  /**
   * A primary bucket and the replica that S3 replication keeps in another region.
   *
   * @param name a short name for the pair, used in reports
   * @param primary the bucket the primary region writes
   * @param replica its cross-region replica, which the DR side uses after a failover
   * @param roles what the pair holds, from {@link #STORAGE_ROLES}
   * @param reverseReplicationRoleArn the IAM role S3 assumes to replicate replica-to-primary after
   *     a failover; null to reuse the role of the primary bucket's replication configuration
   */
  public record BucketPair(
      String name,
      Bucket primary,
      Bucket replica,
      List<String> roles,
      String reverseReplicationRoleArn) {}

  /** An S3 bucket and the region it lives in. */
  public record Bucket(String bucket, String region) {}

  /**
   * How the run operates replication.
   *
   * @param drainTimeoutMinutes how long a failover waits for the replication backlog to drain
   *     before it promotes the replica anyway (and reports what was still pending)
   * @param lookbackHours how far back the readiness scan inspects object versions for their
   *     replication status
   * @param reversePathTimeoutMinutes how long a failover waits for its canary, written in the
   *     replica once the reverse rule is in place, to reach the primary
   */
  public record Replication(
      int drainTimeoutMinutes, int lookbackHours, int reversePathTimeoutMinutes) {
    /** Used when the runbook does not say. */
    public static final int DEFAULT_REVERSE_PATH_TIMEOUT_MINUTES = 5;

    /** The most a runbook may set: a canary is a single small object. */
    public static final int MAX_REVERSE_PATH_TIMEOUT_MINUTES = 120;

    public Replication {
      // Runs recorded before the field existed carry 0.
      if (reversePathTimeoutMinutes <= 0) {
        reversePathTimeoutMinutes = DEFAULT_REVERSE_PATH_TIMEOUT_MINUTES;
      }
    }
  }

  /** Rewrites a storage URL that starts with {@code from} (a primary prefix) to {@code to}. */
  public record PathRewrite(String from, String to) {
    /** Applies the first matching rewrite, or returns the URL unchanged (null stays null). */
    public static String apply(List<PathRewrite> rewrites, String url) {
      if (url == null) {
        return null;
      }
      for (PathRewrite rewrite : rewrites) {
        if (url.startsWith(rewrite.from())) {
          return rewrite.to() + url.substring(rewrite.from().length());
        }
      }
      return url;
    }
  }

  /** Recovery objectives the report measures the run against. */
  public record Objectives(int rtoMinutes, int rpoMinutes) {}

  /**
   * Who must approve a run before it changes anything, and for which modes.
   *
   * @param required whether failover and failback wait for an approval
   * @param requiredForDrill whether a drill waits for an approval too
   * @param approvers the people or groups allowed to approve (informational until approvals are
   *     authenticated)
   * @param timeoutMinutes how long a run waits for an approval before it ends as not approved
   * @param before the step the approval comes just before (when the mode has it), or null for right
   *     after readiness
   */
  public record Approval(
      boolean required,
      boolean requiredForDrill,
      List<String> approvers,
      int timeoutMinutes,
      String before) {

    /** An approval right after readiness, before anything changes. */
    public Approval(
        boolean required, boolean requiredForDrill, List<String> approvers, int timeoutMinutes) {
      this(required, requiredForDrill, approvers, timeoutMinutes, null);
    }
  }

  /**
   * What a run does when a step still fails after its retries.
   *
   * @param waitForDecision true: the step waits for an operator to retry it, skip it or abort the
   *     run ({@code failover retry|skip|abort}); false: the run fails at once
   * @param timeoutMinutes how long a step waits for that decision before the run fails
   */
  public record OnStepFailure(boolean waitForDecision, int timeoutMinutes) {
    public static final OnStepFailure DEFAULT = new OnStepFailure(true, 60);
  }

  /**
   * Which Unity Catalog objects the run manages. An empty list of catalogs means every catalog of
   * the active workspace except the system ones.
   */
  public record Scope(List<String> catalogs) {}

  /** A runbook without storage credential mappings. */
  public Runbook(
      int version,
      String name,
      Side primary,
      Side secondary,
      List<BucketPair> bucketPairs,
      Replication replication,
      List<PathRewrite> storagePathRewrites,
      Objectives objectives,
      Approval approval,
      Scope scope,
      OnStepFailure onStepFailure,
      Steps steps,
      AccountSettings account,
      Capture capture,
      ComputeRules compute) {
    this(
        version,
        name,
        primary,
        secondary,
        bucketPairs,
        replication,
        storagePathRewrites,
        objectives,
        approval,
        scope,
        onStepFailure,
        steps,
        account,
        capture,
        compute,
        StorageCredentials.NONE,
        FenceSettings.DEFAULT,
        null);
  }

  /**
   * Which Unity Catalog storage credentials of the primary are served, on the other side, by a
   * credential set up there ahead of time: a credential created during an incident gets an external
   * id of its own that its IAM role does not trust yet, so the locations on it are unusable until
   * someone changes the role. Converge verifies a mapped credential exists and never creates or
   * changes it; external locations on the primary credential name the mapped one.
   *
   * @param map a primary credential's name to the name of the existing credential on the other side
   */
  public record StorageCredentials(Map<String, String> map) {
    public static final StorageCredentials NONE = new StorageCredentials(Map.of());

    public StorageCredentials {
      map = map == null ? Map.of() : Map.copyOf(map);
    }

    /** The credential on the other side that serves {@code name}: its mapping, or itself. */
    public String target(String name) {
      return name == null ? null : map.getOrDefault(name, name);
    }

    /** Whether {@code name} is a credential on the other side that a mapping names. */
    public boolean isMappedTarget(String name) {
      return map.containsValue(name);
    }

    /** The mappings for failback (secondary to primary): each inverted. */
    public StorageCredentials reversed() {
      Map<String, String> back = new LinkedHashMap<>();
      map.forEach((from, to) -> back.putIfAbsent(to, from));
      return new StorageCredentials(back);
    }
  }

  /** A runbook without compute rules. */
  public Runbook(
      int version,
      String name,
      Side primary,
      Side secondary,
      List<BucketPair> bucketPairs,
      Replication replication,
      List<PathRewrite> storagePathRewrites,
      Objectives objectives,
      Approval approval,
      Scope scope,
      OnStepFailure onStepFailure,
      Steps steps,
      AccountSettings account,
      Capture capture) {
    this(
        version,
        name,
        primary,
        secondary,
        bucketPairs,
        replication,
        storagePathRewrites,
        objectives,
        approval,
        scope,
        onStepFailure,
        steps,
        account,
        capture,
        ComputeRules.NONE);
  }

  /** This runbook with other approval settings. */
  public Runbook withApproval(Approval newApproval) {
    return copy(newApproval, onStepFailure, steps, account, capture);
  }

  /** This runbook with another setting for failed steps. */
  public Runbook withOnStepFailure(OnStepFailure newOnStepFailure) {
    return copy(approval, newOnStepFailure, steps, account, capture);
  }

  /** This runbook with other plan changes. */
  public Runbook withSteps(Steps newSteps) {
    return copy(approval, onStepFailure, newSteps, account, capture);
  }

  /** This runbook with other managed disaster recovery settings (null: none). */
  public Runbook withManagedDr(ManagedDr newManagedDr) {
    return new Runbook(
        version,
        name,
        primary,
        secondary,
        bucketPairs,
        replication,
        storagePathRewrites,
        objectives,
        approval,
        scope,
        onStepFailure,
        steps,
        account,
        capture,
        compute,
        storageCredentials,
        fence,
        newManagedDr);
  }

  /** This runbook with other account-level settings (null: none). */
  public Runbook withAccount(AccountSettings newAccount) {
    return copy(approval, onStepFailure, steps, newAccount, capture);
  }

  /** This runbook with another capture schedule (null: none). */
  public Runbook withCapture(Capture newCapture) {
    return copy(approval, onStepFailure, steps, account, newCapture);
  }

  /** This runbook with the settings the {@code with...} methods change. */
  private Runbook copy(
      Approval newApproval,
      OnStepFailure newOnStepFailure,
      Steps newSteps,
      AccountSettings newAccount,
      Capture newCapture) {
    return new Runbook(
        version,
        name,
        primary,
        secondary,
        bucketPairs,
        replication,
        storagePathRewrites,
        objectives,
        newApproval,
        scope,
        newOnStepFailure,
        newSteps,
        newAccount,
        newCapture,
        compute,
        storageCredentials,
        fence,
        managedDr);
  }

  /** The workspace id in the account of the side named {@code primary} or {@code secondary}. */
  public long workspaceId(String side) {
    return side.equals("primary") ? account.primaryWorkspaceId() : account.secondaryWorkspaceId();
  }

  /** Where snapshots and reports are kept: the first pair's replica, which survives an outage. */
  public Bucket stateBucket() {
    return bucketPairs.get(0).replica();
  }

  /** Every rewrite reversed (replica prefix to primary prefix), for failback. */
  public List<PathRewrite> reversedRewrites() {
    return storagePathRewrites.stream().map(r -> new PathRewrite(r.to(), r.from())).toList();
  }
}
