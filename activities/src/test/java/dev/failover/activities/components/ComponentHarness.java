package dev.failover.activities.components;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.WorkspaceTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A component against the simulated demo lakehouse through the real SDK clients: read the primary,
 * converge into DR (optionally as a drill, with an in-memory ledger), preview and clean up.
 */
public final class ComponentHarness<T> implements AutoCloseable {
  public final SimulatedCloud cloud;
  public final Component<T> component;
  public final MemoryLedger ledger = new MemoryLedger();

  /** The storage credential mappings converge applies; the sandbox runbook's unless changed. */
  public Runbook.StorageCredentials storageCredentials = SimulatedCloud.STORAGE_CREDENTIALS;

  public ComponentHarness(Path dir, Component<T> component) {
    this.cloud = new SimulatedCloud(dir);
    this.component = component;
  }

  public ComponentContext context(WorkspaceTarget target, String runId) {
    return context(
        target,
        runId,
        new CallRetry(4, Duration.ofMillis(10), Duration.ofMillis(50), d -> Thread.sleep(1)));
  }

  /** The context with another call retry (one that really waits, say). */
  public ComponentContext context(WorkspaceTarget target, String runId, CallRetry retry) {
    return context(target, runId, retry, SimulatedCloud.COMPUTE);
  }

  /** The context with other compute rules (zones, instance profiles). */
  public ComponentContext context(
      WorkspaceTarget target, String runId, CallRetry retry, ComputeRules compute) {
    return new ComponentContext(
        target,
        cloud.clients,
        SimulatedCloud.REWRITES,
        List.of(),
        "acme-lakehouse",
        runId,
        retry,
        null,
        compute,
        storageCredentials);
  }

  /** Converges into DR with other compute rules. */
  public ComponentConverger.Result converge(List<T> captured, ComputeRules compute) {
    return new ComponentConverger<>(
            component,
            context(
                SimulatedCloud.secondary(),
                null,
                new CallRetry(
                    4, Duration.ofMillis(10), Duration.ofMillis(50), d -> Thread.sleep(1)),
                compute),
            done -> {})
        .converge(captured, null, false);
  }

  /**
   * The primary as a failback's target: storage URLs rewritten from the replica back to the
   * primary.
   */
  public ComponentContext failbackContext() {
    return new ComponentContext(
        SimulatedCloud.primary(),
        cloud.clients,
        SimulatedCloud.REWRITES.stream()
            .map(r -> new dev.failover.workflows.runbook.Runbook.PathRewrite(r.to(), r.from()))
            .toList(),
        List.of(),
        "acme-lakehouse",
        null,
        new CallRetry(4, Duration.ofMillis(10), Duration.ofMillis(50), d -> Thread.sleep(1)),
        null,
        SimulatedCloud.COMPUTE.reversed(),
        storageCredentials.reversed());
  }

  public List<T> capturePrimary() {
    return component.read(context(SimulatedCloud.primary(), null));
  }

  public ComponentConverger.Result converge(List<T> captured, String drillRunId, boolean dryRun) {
    return new ComponentConverger<>(
            component, context(SimulatedCloud.secondary(), drillRunId), done -> {})
        .converge(captured, drillRunId == null ? null : ledger, dryRun);
  }

  public ChangeCounts removeCreated(String drillRunId) {
    return new ComponentConverger<>(
            component, context(SimulatedCloud.secondary(), drillRunId), done -> {})
        .removeCreated(ledger.created(component.name()));
  }

  @Override
  public void close() {
    cloud.close();
  }

  /** A ledger kept in memory, for tests. */
  public static final class MemoryLedger implements CreatedLedger {
    private final Map<String, Set<String>> keys = new HashMap<>();

    @Override
    public synchronized void willCreate(String component, List<String> created) {
      keys.computeIfAbsent(component, c -> new TreeSet<>()).addAll(new ArrayList<>(created));
    }

    @Override
    public synchronized Set<String> created(String component) {
      return keys.getOrDefault(component, Set.of());
    }
  }
}
