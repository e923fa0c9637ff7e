package dev.failover.simulator.s3;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/** The {@code Tagging} document of Get/PutBucketTagging: a {@code TagSet} of key-value tags. */
final class TaggingXml {
  private TaggingXml() {}

  /** The tags in document order; a tag set must be present, though it may be empty. */
  static List<Map.Entry<String, String>> read(Element root, String bucket) {
    Element tagSet = S3Xml.child(root, "TagSet");
    if (!S3Xml.localName(root).equals("Tagging") || tagSet == null) {
      throw S3Error.malformedXml(bucket);
    }
    List<Map.Entry<String, String>> tags = new ArrayList<>();
    for (Element tag : S3Xml.children(tagSet, "Tag")) {
      String key = S3Xml.text(tag, "Key");
      String value = S3Xml.text(tag, "Value");
      if (key == null || value == null) {
        throw S3Error.malformedXml(bucket);
      }
      tags.add(new AbstractMap.SimpleImmutableEntry<>(key, value));
    }
    return tags;
  }

  static String write(Map<String, String> tags) {
    StringBuilder xml = new StringBuilder("<Tagging xmlns=\"" + S3Xml.NS + "\"><TagSet>");
    tags.forEach(
        (key, value) ->
            xml.append("<Tag>")
                .append(S3Xml.element("Key", key))
                .append(S3Xml.element("Value", value))
                .append("</Tag>"));
    return xml.append("</TagSet></Tagging>").toString();
  }
}
