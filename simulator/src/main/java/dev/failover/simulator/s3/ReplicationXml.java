package dev.failover.simulator.s3;

import dev.failover.simulator.s3.ReplicationConfiguration.Destination;
import dev.failover.simulator.s3.ReplicationConfiguration.Filter;
import dev.failover.simulator.s3.ReplicationConfiguration.Rule;
import dev.failover.simulator.s3.ReplicationConfiguration.Threshold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.w3c.dom.Element;

/**
 * Reads and writes {@code ReplicationConfiguration} XML in S3's shape (the element order of the S3
 * API reference), rejecting what S3 rejects: a missing role, rule status or destination bucket is
 * {@code MalformedXML}; a V2 rule (one with a {@code Filter}) without {@code
 * DeleteMarkerReplication} is {@code InvalidRequest}.
 */
final class ReplicationXml {
  private ReplicationXml() {}

  static ReplicationConfiguration read(Element root, String bucket) {
    List<Element> ruleElements = S3Xml.children(root, "Rule");
    if (!S3Xml.localName(root).equals("ReplicationConfiguration")
        || S3Xml.text(root, "Role") == null
        || ruleElements.isEmpty()) {
      throw S3Error.malformedXml(bucket);
    }
    List<Rule> rules = new ArrayList<>();
    for (Element rule : ruleElements) {
      rules.add(rule(rule, bucket));
    }
    return new ReplicationConfiguration(S3Xml.text(root, "Role"), rules);
  }

  private static Rule rule(Element rule, String bucket) {
    String status = S3Xml.text(rule, "Status");
    Element destination = S3Xml.child(rule, "Destination");
    if (!("Enabled".equals(status) || "Disabled".equals(status))
        || destination == null
        || S3Xml.text(destination, "Bucket") == null) {
      throw S3Error.malformedXml(bucket);
    }
    String arn = S3Xml.text(destination, "Bucket");
    if (!arn.startsWith("arn:aws:s3:::") || arn.length() == "arn:aws:s3:::".length()) {
      throw new S3Error(400, "InvalidArgument", "Invalid bucket ARN: " + arn, bucket);
    }
    Element filter = S3Xml.child(rule, "Filter");
    String deleteMarkers = status(S3Xml.child(rule, "DeleteMarkerReplication"));
    if (filter != null && deleteMarkers == null) {
      throw S3Error.invalidRequest(
          "DeleteMarkerReplication must be specified for this version of Cross Region Replication"
              + " configuration schema.",
          bucket);
    }
    String id = S3Xml.text(rule, "ID");
    String priority = S3Xml.text(rule, "Priority");
    Element criteria = S3Xml.child(rule, "SourceSelectionCriteria");
    return new Rule(
        id == null || id.isEmpty() ? null : id,
        priority == null ? null : integer(priority, bucket),
        status,
        filter == null ? S3Xml.text(rule, "Prefix") : null,
        filter == null ? null : filter(filter),
        new Destination(
            arn,
            S3Xml.text(destination, "Account"),
            S3Xml.text(destination, "StorageClass"),
            S3Xml.text(S3Xml.child(destination, "AccessControlTranslation"), "Owner"),
            S3Xml.text(S3Xml.child(destination, "EncryptionConfiguration"), "ReplicaKmsKeyID"),
            threshold(S3Xml.child(destination, "ReplicationTime"), "Time", bucket),
            threshold(S3Xml.child(destination, "Metrics"), "EventThreshold", bucket)),
        deleteMarkers,
        status(S3Xml.child(rule, "ExistingObjectReplication")),
        status(S3Xml.child(criteria, "SseKmsEncryptedObjects")),
        status(S3Xml.child(criteria, "ReplicaModifications")));
  }

  private static Filter filter(Element filter) {
    Element and = S3Xml.child(filter, "And");
    Element scope = and != null ? and : filter;
    Map<String, String> tags = new TreeMap<>();
    for (Element tag : S3Xml.children(scope, "Tag")) {
      tags.put(S3Xml.text(tag, "Key"), S3Xml.text(tag, "Value"));
    }
    return new Filter(S3Xml.text(scope, "Prefix"), tags);
  }

  private static Threshold threshold(Element element, String timeElement, String bucket) {
    if (element == null) {
      return null;
    }
    String minutes = S3Xml.text(S3Xml.child(element, timeElement), "Minutes");
    return new Threshold(status(element), minutes == null ? null : integer(minutes, bucket));
  }

  private static String status(Element element) {
    return S3Xml.text(element, "Status");
  }

  private static Integer integer(String value, String bucket) {
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw S3Error.malformedXml(bucket);
    }
  }

  static String write(ReplicationConfiguration configuration) {
    StringBuilder xml = new StringBuilder("<ReplicationConfiguration xmlns=\"" + S3Xml.NS + "\">");
    xml.append(S3Xml.element("Role", configuration.role()));
    for (Rule rule : configuration.rules()) {
      xml.append("<Rule>")
          .append(S3Xml.element("ID", rule.id()))
          .append(S3Xml.element("Priority", rule.priority()))
          .append(S3Xml.element("Prefix", rule.legacyPrefix()));
      if (rule.filter() != null) {
        xml.append("<Filter>").append(filter(rule.filter())).append("</Filter>");
      }
      xml.append(S3Xml.element("Status", rule.status()));
      if (rule.sseKmsEncryptedObjects() != null || rule.replicaModifications() != null) {
        xml.append("<SourceSelectionCriteria>")
            .append(statusElement("SseKmsEncryptedObjects", rule.sseKmsEncryptedObjects()))
            .append(statusElement("ReplicaModifications", rule.replicaModifications()))
            .append("</SourceSelectionCriteria>");
      }
      xml.append(statusElement("ExistingObjectReplication", rule.existingObjectReplication()))
          .append(destination(rule.destination()))
          .append(statusElement("DeleteMarkerReplication", rule.deleteMarkerReplication()))
          .append("</Rule>");
    }
    return xml.append("</ReplicationConfiguration>").toString();
  }

  /** A prefix alone, one tag alone, or {@code And} when there is more than one condition. */
  private static String filter(Filter filter) {
    StringBuilder tags = new StringBuilder();
    filter
        .tags()
        .forEach(
            (key, value) ->
                tags.append("<Tag>")
                    .append(S3Xml.element("Key", key))
                    .append(S3Xml.element("Value", value))
                    .append("</Tag>"));
    int conditions = filter.tags().size() + (filter.prefix() == null ? 0 : 1);
    String inner = S3Xml.element("Prefix", filter.prefix()) + tags;
    return conditions > 1 ? "<And>" + inner + "</And>" : inner;
  }

  private static String destination(Destination d) {
    StringBuilder xml = new StringBuilder("<Destination>");
    xml.append(S3Xml.element("Bucket", d.bucket()))
        .append(S3Xml.element("Account", d.account()))
        .append(S3Xml.element("StorageClass", d.storageClass()));
    if (d.ownerOverride() != null) {
      xml.append("<AccessControlTranslation>")
          .append(S3Xml.element("Owner", d.ownerOverride()))
          .append("</AccessControlTranslation>");
    }
    if (d.replicaKmsKeyId() != null) {
      xml.append("<EncryptionConfiguration>")
          .append(S3Xml.element("ReplicaKmsKeyID", d.replicaKmsKeyId()))
          .append("</EncryptionConfiguration>");
    }
    xml.append(threshold("ReplicationTime", "Time", d.replicationTime()))
        .append(threshold("Metrics", "EventThreshold", d.metrics()));
    return xml.append("</Destination>").toString();
  }

  private static String threshold(String element, String timeElement, Threshold threshold) {
    if (threshold == null) {
      return "";
    }
    String minutes =
        threshold.minutes() == null
            ? ""
            : "<"
                + timeElement
                + ">"
                + S3Xml.element("Minutes", threshold.minutes())
                + "</"
                + timeElement
                + ">";
    return "<"
        + element
        + ">"
        + S3Xml.element("Status", threshold.status())
        + minutes
        + "</"
        + element
        + ">";
  }

  private static String statusElement(String element, String status) {
    return status == null
        ? ""
        : "<" + element + ">" + S3Xml.element("Status", status) + "</" + element + ">";
  }
}
