package dev.failover.simulator.s3;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/** Reads and writes {@code ReplicationConfiguration} XML in S3's shape. */
final class ReplicationXml {
  private ReplicationXml() {}

  static ReplicationConfiguration read(Element root, String bucket) {
    if (!S3Xml.localName(root).equals("ReplicationConfiguration")) {
      throw S3Error.malformedXml(bucket);
    }
    List<ReplicationConfiguration.Rule> rules = new ArrayList<>();
    for (Element rule : S3Xml.children(root, "Rule")) {
      Element destination = S3Xml.child(rule, "Destination");
      String status = S3Xml.text(rule, "Status");
      if (destination == null
          || S3Xml.text(destination, "Bucket") == null
          || !("Enabled".equals(status) || "Disabled".equals(status))) {
        throw S3Error.malformedXml(bucket);
      }
      Element filter = S3Xml.child(rule, "Filter");
      String prefix = S3Xml.text(rule, "Prefix");
      if (filter != null) {
        Element and = S3Xml.child(filter, "And");
        prefix = S3Xml.text(and != null ? and : filter, "Prefix");
      }
      Element time = S3Xml.child(destination, "ReplicationTime");
      Integer minutes = null;
      if (time != null && "Enabled".equals(S3Xml.text(time, "Status"))) {
        minutes = Integer.valueOf(S3Xml.text(S3Xml.child(time, "Time"), "Minutes"));
      }
      Element criteria = S3Xml.child(rule, "SourceSelectionCriteria");
      String priority = S3Xml.text(rule, "Priority");
      rules.add(
          new ReplicationConfiguration.Rule(
              S3Xml.text(rule, "ID"),
              priority == null ? null : Integer.valueOf(priority),
              status,
              prefix == null ? "" : prefix,
              S3Xml.text(destination, "Bucket"),
              S3Xml.text(destination, "StorageClass"),
              S3Xml.text(S3Xml.child(rule, "DeleteMarkerReplication"), "Status"),
              S3Xml.text(S3Xml.child(criteria, "ReplicaModifications"), "Status"),
              minutes));
    }
    return new ReplicationConfiguration(S3Xml.text(root, "Role"), rules);
  }

  static String write(ReplicationConfiguration configuration) {
    StringBuilder xml = new StringBuilder("<ReplicationConfiguration xmlns=\"" + S3Xml.NS + "\">");
    xml.append(S3Xml.element("Role", configuration.role()));
    for (ReplicationConfiguration.Rule rule : configuration.rules()) {
      xml.append("<Rule>").append(S3Xml.element("ID", rule.id()));
      if (rule.priority() != null) {
        xml.append(S3Xml.element("Priority", rule.priority()))
            .append("<Filter>")
            .append(S3Xml.element("Prefix", rule.prefix()))
            .append("</Filter>");
      } else {
        xml.append(S3Xml.element("Prefix", rule.prefix()));
      }
      xml.append(S3Xml.element("Status", rule.status()));
      if (rule.replicaModifications() != null) {
        xml.append("<SourceSelectionCriteria><ReplicaModifications>")
            .append(S3Xml.element("Status", rule.replicaModifications()))
            .append("</ReplicaModifications></SourceSelectionCriteria>");
      }
      xml.append("<Destination>")
          .append(S3Xml.element("Bucket", rule.destinationBucket()))
          .append(S3Xml.element("StorageClass", rule.storageClass()));
      if (rule.replicationTimeMinutes() != null) {
        xml.append("<ReplicationTime><Status>Enabled</Status><Time>")
            .append(S3Xml.element("Minutes", rule.replicationTimeMinutes()))
            .append("</Time></ReplicationTime>")
            .append("<Metrics><Status>Enabled</Status><EventThreshold>")
            .append(S3Xml.element("Minutes", rule.replicationTimeMinutes()))
            .append("</EventThreshold></Metrics>");
      }
      xml.append("</Destination>");
      if (rule.deleteMarkerReplication() != null) {
        xml.append("<DeleteMarkerReplication>")
            .append(S3Xml.element("Status", rule.deleteMarkerReplication()))
            .append("</DeleteMarkerReplication>");
      }
      xml.append("</Rule>");
    }
    return xml.append("</ReplicationConfiguration>").toString();
  }
}
