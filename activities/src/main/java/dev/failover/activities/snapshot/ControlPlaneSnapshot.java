package dev.failover.activities.snapshot;

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
    List<Grants> grants) {

  public static final int FORMAT_VERSION = 1;

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

  /** The privileges each principal holds directly on one securable. */
  public record Grants(String securableType, String fullName, List<Assignment> assignments) {}

  /** One principal's privileges, sorted, so two snapshots compare equal when the sets are. */
  public record Assignment(String principal, List<String> privileges) {}

  public int grantCount() {
    return grants.stream().mapToInt(g -> g.assignments().size()).sum();
  }
}
