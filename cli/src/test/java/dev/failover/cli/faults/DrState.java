package dev.failover.cli.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.simulator.Simulator;
import dev.failover.simulator.databricks.ModelsState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.databricks.WorkspaceTree;
import dev.failover.simulator.s3.S3State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A workspace's and some buckets' state as sorted lines, object by object, without what
 * legitimately differs between two runs that reach the same state: ids the service assigns (an id
 * that another object refers to is replaced by the name of what it names), timestamps, the run id a
 * drill marks its objects with, and the run's own files under {@code failover/} in the buckets. Two
 * runs that leave equal states give equal lists, so a test can compare them line by line.
 */
final class DrState {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fields that hold an id the service assigned or a time; not part of what a run converged. */
  private static final Set<String> VOLATILE_FIELDS =
      Set.of(
          "job_id",
          "cluster_id",
          "policy_id",
          "id",
          "created_time",
          "created_at_timestamp",
          "creator_user_name",
          "start_time",
          "last_restarted_time",
          "last_state_loss_time",
          "terminated_time",
          "state_message",
          "jdbc_url",
          "odbc_params");

  private DrState() {}

  /** The state of one side's workspace and of the named buckets. */
  static List<String> of(Simulator simulator, String side, String... buckets) {
    WorkspaceState workspace = simulator.workspace(side);
    Map<String, String> names = idsToNames(workspace);
    List<String> lines = new ArrayList<>(workspace.contents());
    tables(workspace, lines);
    jobs(workspace, lines);
    clusters(workspace, lines);
    policies(workspace, lines);
    warehouses(workspace, lines);
    workspaceTree(workspace, lines);
    permissions(workspace, lines);
    models(workspace, lines);
    storageAccess(workspace, lines);
    lines.add("metastore assignment " + assignment(workspace));
    for (String bucket : buckets) {
      bucket(simulator.s3(), bucket, lines);
    }
    return lines.stream().map(line -> withoutVolatileText(line, names)).sorted().toList();
  }

  private static String assignment(WorkspaceState workspace) {
    try {
      return String.valueOf(workspace.metastores().assignment());
    } catch (RuntimeException none) {
      return "none";
    }
  }

  private static void tables(WorkspaceState workspace, List<String> lines) {
    for (WorkspaceState.Table t : workspace.allTables()) {
      lines.add(
          "table "
              + t.fullName()
              + " type="
              + t.tableType()
              + " format="
              + t.dataSourceFormat()
              + " location="
              + t.storageLocation()
              + " view="
              + t.viewDefinition()
              + " comment="
              + t.comment()
              + " owner="
              + t.owner()
              + " properties="
              + new TreeMap<>(t.properties())
              + " columns="
              + t.columns()
              + " primaryKey="
              + t.primaryKey());
    }
  }

  private static void jobs(WorkspaceState workspace, List<String> lines) {
    workspace.jobs().jobs().forEach(job -> lines.add("job " + normalized(job.settings())));
  }

  private static void clusters(WorkspaceState workspace, List<String> lines) {
    workspace
        .clusters()
        .clusters()
        .forEach(
            c ->
                lines.add(
                    "cluster "
                        + normalized(c.config())
                        + " source="
                        + c.source()
                        + " state="
                        + c.state()
                        + " pinned="
                        + c.pinned()));
  }

  private static void policies(WorkspaceState workspace, List<String> lines) {
    workspace
        .clusterPolicies()
        .list("POLICY_NAME", "ASC")
        .forEach(p -> lines.add("policy " + normalized(p)));
  }

  private static void warehouses(WorkspaceState workspace, List<String> lines) {
    workspace
        .warehouses()
        .warehouses()
        .forEach(w -> lines.add("warehouse " + normalized(w.config()) + " state=" + w.state()));
  }

  /** Each object's direct access control entries, by the object's name or path. */
  private static void permissions(WorkspaceState workspace, List<String> lines) {
    workspace
        .jobs()
        .jobs()
        .forEach(
            j ->
                acl(workspace, "jobs", Long.toString(j.jobId()), j.settings().path("name"), lines));
    workspace
        .clusters()
        .clusters()
        .forEach(c -> acl(workspace, "clusters", c.id(), c.config().path("cluster_name"), lines));
    workspace
        .clusterPolicies()
        .list("POLICY_NAME", "ASC")
        .forEach(
            p ->
                acl(
                    workspace,
                    "cluster-policies",
                    p.path("policy_id").asText(),
                    p.path("name"),
                    lines));
    workspace
        .warehouses()
        .warehouses()
        .forEach(w -> acl(workspace, "warehouses", w.id(), w.config().path("name"), lines));
    WorkspaceTree tree = workspace.workspaceTree();
    List<String> folders = new ArrayList<>(List.of("/"));
    while (!folders.isEmpty()) {
      for (WorkspaceTree.Node node : tree.list(folders.remove(0))) {
        String type =
            switch (node.type()) {
              case DIRECTORY -> "directories";
              case NOTEBOOK -> "notebooks";
              case REPO -> "repos";
            };
        if (node.type() != WorkspaceTree.ObjectType.NOTEBOOK) {
          folders.add(node.path());
        }
        acl(workspace, type, Long.toString(node.objectId()), JSON.valueToTree(node.path()), lines);
      }
    }
  }

  private static void acl(
      WorkspaceState workspace, String type, String id, JsonNode name, List<String> lines) {
    List<String> entries = new ArrayList<>();
    for (var held : workspace.permissions().get(type, id)) {
      if (!held.inherited()) {
        entries.add(
            held.entry().kind() + ":" + held.entry().principal() + ":" + held.entry().level());
      }
    }
    lines.add(
        "permissions " + type + " " + name.asText() + " " + entries.stream().sorted().toList());
  }

  private static void workspaceTree(WorkspaceState workspace, List<String> lines) {
    WorkspaceTree tree = workspace.workspaceTree();
    List<String> folders = new ArrayList<>(List.of("/"));
    List<String> repoPaths = new ArrayList<>();
    while (!folders.isEmpty()) {
      for (WorkspaceTree.Node node : tree.list(folders.remove(0))) {
        lines.add(
            "workspace "
                + node.path()
                + " type="
                + node.type()
                + " language="
                + node.language()
                + " source="
                + node.source());
        if (node.type() == WorkspaceTree.ObjectType.DIRECTORY) {
          folders.add(node.path());
        } else if (node.type() == WorkspaceTree.ObjectType.REPO) {
          repoPaths.add(node.path());
        }
      }
    }
    for (WorkspaceTree.Repo repo :
        repoPaths.stream().flatMap(path -> tree.repos(path).stream()).distinct().toList()) {
      lines.add(
          "repo "
              + repo.path()
              + " url="
              + repo.url()
              + " provider="
              + repo.provider()
              + " branch="
              + repo.branch()
              + " head="
              + repo.headCommitId()
              + " sparse="
              + repo.sparseCheckout());
    }
  }

  private static void models(WorkspaceState workspace, List<String> lines) {
    ModelsState models = workspace.models();
    for (WorkspaceState.Schema schema : workspace.schemas()) {
      for (ModelsState.Model model : models.models(schema.catalogName(), schema.name())) {
        lines.add(
            "model "
                + model.fullName()
                + " comment="
                + model.comment()
                + " owner="
                + model.owner());
        for (ModelsState.Version v : models.versions(model.fullName())) {
          lines.add(
              "model version "
                  + model.fullName()
                  + " "
                  + v.version()
                  + " source="
                  + v.source()
                  + " run="
                  + v.runId()
                  + " comment="
                  + v.comment()
                  + " status="
                  + v.status());
        }
      }
    }
  }

  private static void storageAccess(WorkspaceState workspace, List<String> lines) {
    workspace
        .storageAccess()
        .credentials()
        .forEach(
            c ->
                lines.add(
                    "storage credential "
                        + c.name()
                        + " role="
                        + c.roleArn()
                        + " comment="
                        + c.comment()
                        + " owner="
                        + c.owner()
                        + " readOnly="
                        + c.readOnly()));
    workspace
        .storageAccess()
        .locations()
        .forEach(
            l ->
                lines.add(
                    "external location "
                        + l.name()
                        + " url="
                        + l.url()
                        + " credential="
                        + l.credentialName()
                        + " comment="
                        + l.comment()
                        + " owner="
                        + l.owner()
                        + " readOnly="
                        + l.readOnly()));
  }

  /**
   * A bucket's current objects outside the run's own {@code failover/} files, its replication rules
   * and its tags. Objects by key and ETag, but Delta commits by key and size: the demo's commits
   * carry the time they were written, so two sandboxes hold other bytes for the same commit.
   */
  private static void bucket(S3State s3, String bucket, List<String> lines) {
    for (String key : s3.objectKeys(bucket)) {
      if (!key.startsWith("failover/")) {
        S3State.ObjectVersion object = s3.getObject(bucket, key);
        lines.add(
            "object s3://"
                + bucket
                + "/"
                + key
                + (key.contains("/_delta_log/")
                    ? " bytes=" + object.content().length
                    : " etag=" + object.etag()));
      }
    }
    lines.add("replication s3://" + bucket + " " + replication(s3, bucket));
    lines.add("tags s3://" + bucket + " " + new TreeMap<>(s3.tagsOrEmpty(bucket)));
  }

  private static String replication(S3State s3, String bucket) {
    try {
      return String.valueOf(s3.replication(bucket));
    } catch (RuntimeException none) {
      return "none";
    }
  }

  /** Every id another object may refer to, with the name of what it names. */
  private static Map<String, String> idsToNames(WorkspaceState workspace) {
    Map<String, String> names = new LinkedHashMap<>();
    workspace
        .warehouses()
        .warehouses()
        .forEach(w -> names.put(w.id(), "<warehouse " + w.config().path("name").asText() + ">"));
    workspace
        .clusters()
        .clusters()
        .forEach(
            c -> names.put(c.id(), "<cluster " + c.config().path("cluster_name").asText() + ">"));
    workspace
        .clusterPolicies()
        .list("POLICY_NAME", "ASC")
        .forEach(
            p ->
                names.put(
                    p.path("policy_id").asText(), "<policy " + p.path("name").asText() + ">"));
    workspace
        .jobs()
        .jobs()
        .forEach(
            j ->
                names.put(
                    String.valueOf(j.jobId()), "<job " + j.settings().path("name").asText() + ">"));
    return names;
  }

  /** The object's fields, sorted, without the volatile ones, at every depth. */
  private static String normalized(JsonNode node) {
    return sorted(node).toString();
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      new TreeMap<>(toMap(node))
          .forEach(
              (field, value) -> {
                if (!VOLATILE_FIELDS.contains(field)) {
                  out.set(field, sorted(value));
                }
              });
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      node.forEach(element -> out.add(sorted(element)));
      return out;
    }
    return node;
  }

  private static Map<String, JsonNode> toMap(JsonNode node) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    return fields;
  }

  /** The line with ids replaced by names, and without the run id a drill marks objects with. */
  private static String withoutVolatileText(String line, Map<String, String> names) {
    String out = line;
    for (Map.Entry<String, String> id : names.entrySet()) {
      if (id.getKey().length() >= 4) {
        out = out.replace("\"" + id.getKey() + "\"", "\"" + id.getValue() + "\"");
        out = out.replace(":" + id.getKey() + ",", ":\"" + id.getValue() + "\",");
        out = out.replace(":" + id.getKey() + "}", ":\"" + id.getValue() + "\"}");
      }
    }
    return out.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>");
  }
}
