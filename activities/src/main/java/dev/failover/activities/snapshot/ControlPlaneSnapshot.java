package dev.failover.activities.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The control plane of the active workspace as captured: what the DR side must match. Stored as
 * gzip-compressed JSON in the replica bucket; only a reference travels through the workflow.
 *
 * <p>A snapshot read from the store is {@linkplain #frozen() frozen}: its lists and maps cannot be
 * changed, and {@link #components()} hands out copies of the captured JSON, so one snapshot can be
 * shared by the activities of a worker (see {@link SnapshotCache}).
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

  /**
   * The captured items of each component, as JSON. A copy: the captured nodes are mutable and this
   * snapshot may be shared, so what a caller does with the copy cannot change it. {@link #items}
   * reads the items without copying the JSON first.
   */
  @Override
  public Map<String, List<JsonNode>> components() {
    Map<String, List<JsonNode>> copy = new LinkedHashMap<>();
    components.forEach(
        (name, items) ->
            copy.put(
                name,
                items == null
                    ? null
                    : items.stream()
                        .<JsonNode>map(node -> node == null ? null : node.deepCopy())
                        .toList()));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * This snapshot with every list and map (its own and its records') copied into one that cannot be
   * changed; nulls stay as they are. Equal to this snapshot.
   */
  ControlPlaneSnapshot frozen() {
    Map<String, List<JsonNode>> frozenComponents = new LinkedHashMap<>();
    components.forEach((name, items) -> frozenComponents.put(name, frozen(items)));
    return new ControlPlaneSnapshot(
        formatVersion,
        runbook,
        sourceHost,
        capturedAt,
        frozen(
            catalogs,
            c ->
                new Catalog(
                    c.name(), c.comment(), c.owner(), frozen(c.properties()), c.storageRoot())),
        frozen(
            schemas,
            s ->
                new Schema(
                    s.catalogName(),
                    s.name(),
                    s.comment(),
                    s.owner(),
                    frozen(s.properties()),
                    s.storageRoot())),
        frozen(tables, t -> new Tables(t.schemaFullName(), frozen(t.tables()))),
        frozen(
            grants,
            g ->
                new Grants(
                    g.securableType(),
                    g.fullName(),
                    frozen(
                        g.assignments(),
                        a -> new Assignment(a.principal(), frozen(a.privileges()))))),
        Collections.unmodifiableMap(frozenComponents));
  }

  private static <T> List<T> frozen(List<T> list) {
    return frozen(list, UnaryOperator.identity());
  }

  /** An unmodifiable copy of {@code list} with each (non-null) element frozen by {@code freeze}. */
  private static <T> List<T> frozen(List<T> list, UnaryOperator<T> freeze) {
    if (list == null) {
      return null;
    }
    List<T> copy = new ArrayList<>(list.size());
    for (T item : list) {
      copy.add(item == null ? null : freeze.apply(item));
    }
    return Collections.unmodifiableList(copy);
  }

  private static <K, V> Map<K, V> frozen(Map<K, V> map) {
    return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** A component's captured items, read back as its item records. */
  public <T> List<T> items(String component, Class<T> type) {
    return components.getOrDefault(component, List.of()).stream()
        .map(node -> JSON.convertValue(node, type))
        .toList();
  }

  /** This snapshot with other grants. */
  public ControlPlaneSnapshot withGrants(List<Grants> others) {
    return new ControlPlaneSnapshot(
        formatVersion,
        runbook,
        sourceHost,
        capturedAt,
        catalogs,
        schemas,
        tables,
        others,
        components);
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
