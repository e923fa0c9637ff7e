package dev.failover.activities.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * The control plane of the active workspace as captured: what the DR side must match. Stored as
 * gzip-compressed JSON in the replica bucket; only a reference travels through the workflow.
 */
public record ControlPlaneSnapshot(
    int formatVersion,
    String runbook,
    String sourceHost,
    String capturedAt,
    List<Catalog> catalogs,
    List<Schema> schemas,
    List<Tables> tables,
    List<Grants> grants,
    Map<String, List<JsonNode>> components) {

  /** Version 2 added {@code components}. */
  public static final int FORMAT_VERSION = 2;

  public ControlPlaneSnapshot {
    // Snapshots captured before tables, or before components, were captured have none.
    tables = tables == null ? List.of() : tables;
    components = components == null ? Map.of() : components;
  }

  /** A snapshot of catalogs, schemas, tables and grants only. */
  public ControlPlaneSnapshot(
      int formatVersion,
      String runbook,
      String sourceHost,
      String capturedAt,
      List<Catalog> catalogs,
      List<Schema> schemas,
      List<Tables> tables,
      List<Grants> grants) {
    this(formatVersion, runbook, sourceHost, capturedAt, catalogs, schemas, tables, grants, null);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A component's captured items, read back as its item records. */
  public <T> List<T> items(String component, Class<T> type) {
    return components.getOrDefault(component, List.of()).stream()
        .map(node -> JSON.convertValue(node, type))
        .toList();
  }

  /** Items as the snapshot stores them. */
  public static List<JsonNode> stored(List<?> items) {
    return items.stream().<JsonNode>map(JSON::valueToTree).toList();
  }

  /** How many items each component holds, and under {@code grants} the securables. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    components.forEach((name, items) -> counts.put(name, items.size()));
    counts.put("grants", grants.size());
    return counts;
  }

  /** What catalogs and schemas share, and what converge and the smoke test compare. */
  public interface Securable {
    /** The name that identifies it: the catalog's name, or the schema's full name. */
    String fullName();

    String comment();

    String owner();

    Map<String, String> properties();

    String storageRoot();
  }

  /** A Unity Catalog catalog. */
  public record Catalog(
      String name, String comment, String owner, Map<String, String> properties, String storageRoot)
      implements Securable {
    @Override
    public String fullName() {
      return name;
    }
  }

  /** A Unity Catalog schema. */
  public record Schema(
      String catalogName,
      String name,
      String comment,
      String owner,
      Map<String, String> properties,
      String storageRoot)
      implements Securable {
    @Override
    public String fullName() {
      return catalogName + "." + name;
    }
  }

  /** The tables and views of one schema. */
  public record Tables(String schemaFullName, List<Table> tables) {}

  /**
   * A Unity Catalog table or view.
   *
   * @param tableType {@code MANAGED}, {@code EXTERNAL}, {@code VIEW}, ...
   * @param dataSourceFormat {@code DELTA}, {@code PARQUET}, ...; null for a view
   * @param storageLocation where the data lives; null for a view
   */
  public record Table(
      String catalogName,
      String schemaName,
      String name,
      String tableType,
      String dataSourceFormat,
      String storageLocation,
      String viewDefinition,
      String comment,
      String owner) {
    public String fullName() {
      return catalogName + "." + schemaName + "." + name;
    }

    /** An external Delta table: its data is in a bucket the runbook replicates. */
    public boolean externalDelta() {
      return "EXTERNAL".equals(tableType) && "DELTA".equals(dataSourceFormat);
    }
  }

  /** Every table and view, across schemas. */
  public List<Table> allTables() {
    return tables.stream().flatMap(t -> t.tables().stream()).toList();
  }

  /** The privileges each principal holds directly on one securable. */
  public record Grants(String securableType, String fullName, List<Assignment> assignments) {}

  /** One principal's privileges, sorted, so two snapshots compare equal when the sets are. */
  public record Assignment(String principal, List<String> privileges) {}

  public int grantCount() {
    return grants.stream().mapToInt(g -> g.assignments().size()).sum();
  }
}
