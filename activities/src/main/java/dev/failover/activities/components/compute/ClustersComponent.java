package dev.failover.activities.components.compute;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.compute.ClusterDetails;
import com.databricks.sdk.service.compute.ClusterSource;
import com.databricks.sdk.service.compute.CreateCluster;
import com.databricks.sdk.service.compute.EditCluster;
import com.databricks.sdk.service.compute.ListClustersRequest;
import com.databricks.sdk.service.compute.Policy;
import com.databricks.sdk.service.compute.State;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * All-purpose clusters (made in the UI or through the API; job, pipeline and SQL clusters are made
 * by their services), as configuration only: DR clusters stay {@code TERMINATED}, ready to be
 * started, and their state is never compared.
 *
 * <p>Identity is the cluster name. Databricks does not require cluster names to be unique: when
 * several clusters share a name, only one of them (the last listed) is captured and matched, so
 * give the clusters DR needs distinct names. What converge creates carries the custom tag {@link
 * ComponentContext#OWNERSHIP_TAG}; that tag is never compared, and a drill's clean-up only removes
 * tagged clusters of the names it recorded.
 *
 * <p>A cluster's policy is captured by name and mapped to the DR policy of that name (converge the
 * cluster policies first). Storage paths anywhere in the configuration (Spark configuration and
 * environment, init scripts, log delivery) are rewritten to the replica buckets. A created cluster
 * starts, as the service starts every new cluster; converge terminates it at once (which keeps its
 * configuration) and pins it, since the service permanently deletes unpinned clusters 30 days after
 * they terminate. Clusters on instance pools are skipped: pools are not converged.
 */
public final class ClustersComponent implements Component<ClusterItem> {
  /** The {@code CreateCluster} fields converged; the name and policy id are handled apart. */
  private static final Set<String> SPEC_FIELDS =
      Set.of(
          "apply_policy_default_values",
          "autoscale",
          "autotermination_minutes",
          "aws_attributes",
          "cluster_log_conf",
          "custom_tags",
          "data_security_mode",
          "docker_image",
          "driver_instance_pool_id",
          "driver_node_type_id",
          "enable_elastic_disk",
          "enable_local_disk_encryption",
          "init_scripts",
          "instance_pool_id",
          "is_single_node",
          "kind",
          "node_type_id",
          "num_workers",
          "runtime_engine",
          "single_user_name",
          "spark_conf",
          "spark_env_vars",
          "spark_version",
          "ssh_public_keys",
          "use_ml_runtime",
          "workload_type");

  private static final Set<ClusterSource> ALL_PURPOSE = Set.of(ClusterSource.UI, ClusterSource.API);

  /** Zones, instance profiles and S3 destinations made to fit the target, or refused. */
  private final RegionalFields regional = new RegionalFields();

  private final long pageSize;
  private final Duration firstPoll;
  private final Duration settleTimeout;

  public ClustersComponent() {
    this(100, Duration.ofSeconds(1), Duration.ofMinutes(15));
  }

  /**
   * @param pageSize clusters per list page
   * @param firstPoll the first wait while a cluster settles before an edit; it doubles up to 30 s
   * @param settleTimeout how long an edit waits for a starting or terminating cluster to settle
   */
  ClustersComponent(long pageSize, Duration firstPoll, Duration settleTimeout) {
    this.pageSize = pageSize;
    this.firstPoll = firstPoll;
    this.settleTimeout = settleTimeout;
  }

  @Override
  public String name() {
    return "clusters";
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  @Override
  public boolean trustedWhenUnchanged() {
    return true;
  }

  @Override
  public Class<ClusterItem> type() {
    return ClusterItem.class;
  }

  @Override
  public String key(ClusterItem item) {
    return item.clusterName();
  }

  @Override
  public List<ClusterItem> read(ComponentContext workspace) {
    Map<String, String> policyNames = new HashMap<>();
    for (Policy policy : ClusterPoliciesComponent.policies(workspace)) {
      policyNames.put(policy.getPolicyId(), policy.getName());
    }
    List<ClusterItem> items = new ArrayList<>();
    for (ClusterDetails cluster : clusters(workspace)) {
      if (cluster.getClusterSource() != null && !ALL_PURPOSE.contains(cluster.getClusterSource())) {
        continue;
      }
      items.add(
          new ClusterItem(
              cluster.getClusterName(),
              cluster.getPolicyId() == null ? null : policyNames.get(cluster.getPolicyId()),
              spec(cluster)));
    }
    items.sort(Comparator.comparing(ClusterItem::clusterName));
    return items;
  }

  private List<ClusterDetails> clusters(ComponentContext workspace) {
    return workspace
        .retry()
        .databricks(
            "list clusters in " + workspace.host(),
            () -> {
              List<ClusterDetails> all = new ArrayList<>();
              workspace
                  .workspace()
                  .clusters()
                  .list(new ListClustersRequest().setPageSize(pageSize))
                  .forEach(all::add);
              return all;
            });
  }

  /**
   * The converged fields of a cluster as JSON, read back from text so that numbers compare equal
   * whichever way they were parsed (a snapshot's and the SDK's).
   */
  private static JsonNode spec(ClusterDetails cluster) {
    ObjectNode all = ComputeJson.MAPPER.valueToTree(cluster);
    ObjectNode spec = ComputeJson.MAPPER.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (SPEC_FIELDS.contains(field.getKey())) {
        spec.set(field.getKey(), field.getValue());
      }
    }
    try {
      return ComputeJson.MAPPER.readTree(ComputeJson.MAPPER.writeValueAsString(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cluster's configuration did not serialize", e);
    }
  }

  @Override
  public ClusterItem expected(ClusterItem captured, ComponentContext target) {
    JsonNode spec = ComputeJson.rewriteStrings(captured.spec(), target::rewrite);
    return new ClusterItem(
        captured.clusterName(),
        captured.policyName(),
        regional.cluster(captured.clusterName(), spec, target));
  }

  /** The configuration fields that differ; the ownership tag among the custom tags is ignored. */
  @Override
  public List<String> differences(ClusterItem want, ClusterItem have) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(want.policyName(), have.policyName())) {
      differences.add("policy");
    }
    Set<String> fields = new TreeSet<>();
    want.spec().fieldNames().forEachRemaining(fields::add);
    have.spec().fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      JsonNode wanted = want.spec().get(field);
      JsonNode had = have.spec().get(field);
      if (field.equals("custom_tags")) {
        wanted = withoutMark(wanted);
        had = withoutMark(had);
      }
      if (!Objects.equals(wanted, had)) {
        differences.add(field);
      }
    }
    return differences;
  }

  private static JsonNode withoutMark(JsonNode tags) {
    if (tags == null || !tags.isObject()) {
      return tags;
    }
    ObjectNode copy = ((ObjectNode) tags).deepCopy();
    copy.remove(ComponentContext.OWNERSHIP_TAG);
    return copy.isEmpty() ? null : copy;
  }

  @Override
  public String skipReason(ClusterItem captured) {
    if (captured.spec().hasNonNull("instance_pool_id")
        || captured.spec().hasNonNull("driver_instance_pool_id")) {
      return "runs on an instance pool, and instance pools are not converged: create the pool in"
          + " DR and the cluster on it";
    }
    return null;
  }

  /**
   * Clusters are written a few at a time: each create looks for its own name first and after a lost
   * answer, and the converger holds back a second cluster of the same name until the first is done.
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  /**
   * Creates the cluster, marked, then terminates and pins it. Names are not unique, so a cluster of
   * this name that appeared since converge read the target (another attempt's) counts as created,
   * and a create whose answer was lost is not repeated until its cluster has had time to appear.
   */
  @Override
  public void create(ClusterItem want, ComponentContext target) {
    regional.requireLocal(want.clusterName());
    if (idsOf(target, want.clusterName(), false).size() > 0) {
      return;
    }
    CreateCluster request = request(want, CreateCluster.class, target, null);
    String id =
        target
            .retry()
            .databricksCreateWithoutKey(
                "create cluster " + want.clusterName() + " in " + target.host(),
                () -> idsOf(target, want.clusterName(), false).stream().findFirst(),
                () -> target.workspace().clusters().create(request).getResponse().getClusterId(),
                target.clients().httpTimeout());
    target
        .retry()
        .databricks(
            "terminate new cluster " + want.clusterName() + " in " + target.host(),
            () -> {
              target.workspace().clusters().delete(id);
              return null;
            });
    target
        .retry()
        .databricks(
            "pin cluster " + want.clusterName() + " in " + target.host(),
            () -> {
              target.workspace().clusters().pin(id);
              return null;
            });
  }

  /**
   * Edits the cluster (every setting, as {@code edit} replaces them), keeping its ownership tag.
   * The service edits only a running or terminated cluster, so one that is starting or terminating
   * is awaited first. A running cluster restarts with the new settings; it is left running, since
   * someone in DR started it.
   */
  @Override
  public void update(
      ClusterItem want, ClusterItem have, List<String> differences, ComponentContext target) {
    regional.requireLocal(want.clusterName());
    ClusterDetails current = settled(target, want.clusterName());
    String mark =
        current.getCustomTags() == null
            ? null
            : current.getCustomTags().get(ComponentContext.OWNERSHIP_TAG);
    EditCluster request = request(want, EditCluster.class, target, mark);
    request.setClusterId(current.getClusterId());
    target
        .retry()
        .databricks(
            "edit cluster " + want.clusterName() + " in " + target.host(),
            () -> {
              target.workspace().clusters().edit(request);
              return null;
            });
  }

  /** Permanently deletes the clusters of this name that carry the runbook's mark. */
  @Override
  public void delete(ClusterItem have, ComponentContext target) {
    for (String id : idsOf(target, have.clusterName(), true)) {
      target
          .retry()
          .databricks(
              "delete cluster " + have.clusterName() + " in " + target.host(),
              () -> {
                try {
                  target.workspace().clusters().permanentDelete(id);
                } catch (DatabricksError e) {
                  if (!notFound(e)) {
                    throw e;
                  }
                }
                return null;
              });
    }
  }

  /** A create or edit request from the item: its spec, name, DR policy id and tags. */
  private <R> R request(ClusterItem want, Class<R> type, ComponentContext target, String mark) {
    ObjectNode body = ((ObjectNode) want.spec()).deepCopy();
    body.put("cluster_name", want.clusterName());
    if (want.policyName() != null) {
      String policyId = ClusterPoliciesComponent.idOf(target, want.policyName());
      if (policyId == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Cluster "
                + want.clusterName()
                + " uses the policy "
                + want.policyName()
                + ", which "
                + target.host()
                + " does not have: converge the cluster policies first",
            FailureTypes.NOT_FOUND);
      }
      body.put("policy_id", policyId);
    }
    ObjectNode tags =
        body.has("custom_tags")
            ? (ObjectNode) body.get("custom_tags")
            : body.putObject("custom_tags");
    if (type == CreateCluster.class) {
      tags.put(ComponentContext.OWNERSHIP_TAG, target.runbook());
    } else if (mark != null) {
      tags.put(ComponentContext.OWNERSHIP_TAG, mark);
    }
    if (tags.isEmpty()) {
      body.remove("custom_tags");
    }
    try {
      return ComputeJson.MAPPER.treeToValue(body, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cluster's configuration did not deserialize", e);
    }
  }

  /** The cluster of this name once it is running or terminated, within the settle timeout. */
  private ClusterDetails settled(ComponentContext target, String name) {
    long deadline = System.nanoTime() + settleTimeout.toNanos();
    Duration wait = firstPoll;
    while (true) {
      ClusterDetails cluster =
          byName(target, name).stream()
              .findFirst()
              .orElseThrow(
                  () ->
                      ApplicationFailure.newFailure(
                          "cluster " + name + " disappeared from " + target.host(),
                          FailureTypes.UNAVAILABLE));
      if (cluster.getState() == State.RUNNING || cluster.getState() == State.TERMINATED) {
        return cluster;
      }
      if (System.nanoTime() > deadline) {
        throw ApplicationFailure.newFailure(
            "cluster "
                + name
                + " in "
                + target.host()
                + " is still "
                + cluster.getState()
                + " after "
                + settleTimeout
                + "; it can be edited once it is running or terminated",
            FailureTypes.UNAVAILABLE);
      }
      try {
        Thread.sleep(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure(
            "interrupted while waiting for cluster " + name, FailureTypes.UNAVAILABLE);
      }
      wait =
          wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
              ? Duration.ofSeconds(30)
              : wait.multipliedBy(2);
    }
  }

  private List<ClusterDetails> byName(ComponentContext target, String name) {
    return clusters(target).stream()
        .filter(c -> name.equals(c.getClusterName()))
        .filter(c -> c.getClusterSource() == null || ALL_PURPOSE.contains(c.getClusterSource()))
        .toList();
  }

  private List<String> idsOf(ComponentContext target, String name, boolean markedOnly) {
    return byName(target, name).stream()
        .filter(
            c ->
                !markedOnly
                    || (c.getCustomTags() != null
                        && target
                            .runbook()
                            .equals(c.getCustomTags().get(ComponentContext.OWNERSHIP_TAG))))
        .map(ClusterDetails::getClusterId)
        .toList();
  }

  /** The service answers an unknown cluster with 400 "Cluster ... does not exist". */
  private static boolean notFound(DatabricksError e) {
    return e.getStatusCode() == 404
        || (e.getMessage() != null && e.getMessage().contains("does not exist"));
  }
}
