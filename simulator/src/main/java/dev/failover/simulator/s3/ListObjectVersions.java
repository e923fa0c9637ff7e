package dev.failover.simulator.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ListObjectVersions: every version and delete marker, keys in UTF-8 binary order and each key's
 * versions newest first, from {@code key-marker} on (after {@code version-id-marker} within that
 * key; see {@code beforeMarkers} for the marker alone), filtered by {@code prefix}, rolled up into
 * {@code CommonPrefixes} by {@code delimiter}, at most {@code max-keys} (up to 1000) entries per
 * page. A truncated page names where the next begins in {@code NextKeyMarker} and {@code
 * NextVersionIdMarker}.
 */
final class ListObjectVersions {
  private ListObjectVersions() {}

  private record Entry(String key, S3State.ObjectVersion version, boolean latest) {}

  static String list(S3State state, String bucket, Map<String, String> query) {
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = query.get("delimiter");
    boolean urlEncoded = "url".equals(query.get("encoding-type"));
    if (query.containsKey("encoding-type") && !urlEncoded) {
      throw new S3Error(
          400, "InvalidArgument", "Invalid Encoding Method specified in Request", bucket);
    }
    int maxKeys = ListObjectsV2.maxKeys(query.get("max-keys"), bucket);
    String keyMarker = emptyToNull(query.get("key-marker"));
    String versionIdMarker = emptyToNull(query.get("version-id-marker"));
    // A version-id-marker belongs to a key-marker: "To return the additional keys, see key-marker
    // and version-id-marker" (S3 API reference, ListObjectVersions, max-keys). The reference does
    // not list the error for one without the other; rejecting it is the harsher choice.
    if (versionIdMarker != null && keyMarker == null) {
      throw new S3Error(
          400,
          "InvalidArgument",
          "A version-id marker cannot be specified without a key marker.",
          bucket);
    }
    Walk walk = new Walk(prefix, delimiter, maxKeys, keyMarker, versionIdMarker);
    // Keys in UTF-8 binary order (S3 API reference, ListObjectsV2: "results are always returned in
    // UTF-8 binary order"), which ListObjectVersions shares; the walk starts at the later of the
    // prefix and the key-marker, so a page costs what it returns.
    String from =
        keyMarker != null && ListObjectsV2.compare(keyMarker, prefix) > 0 ? keyMarker : prefix;
    state.walkVersions(bucket, from, walk::visit);
    if (versionIdMarker != null && !walk.versionMarkerFound) {
      throw new S3Error(400, "InvalidArgument", "Invalid version id specified", bucket);
    }
    List<Entry> page = walk.page;
    List<String> prefixes = walk.prefixes;
    boolean truncated = walk.truncated;
    String nextKeyMarker = walk.nextKeyMarker;
    String nextVersionIdMarker = walk.nextVersionIdMarker;
    StringBuilder xml = new StringBuilder("<ListVersionsResult xmlns=\"" + S3Xml.NS + "\">");
    xml.append(S3Xml.element("Name", bucket))
        .append(S3Xml.element("Prefix", ListObjectsV2.encode(prefix, urlEncoded)))
        .append(
            S3Xml.element(
                "KeyMarker", ListObjectsV2.encode(keyMarker == null ? "" : keyMarker, urlEncoded)))
        .append(S3Xml.element("VersionIdMarker", versionIdMarker == null ? "" : versionIdMarker));
    if (truncated) {
      xml.append(S3Xml.element("NextKeyMarker", ListObjectsV2.encode(nextKeyMarker, urlEncoded)))
          .append(S3Xml.element("NextVersionIdMarker", nextVersionIdMarker));
    }
    xml.append(S3Xml.element("MaxKeys", maxKeys))
        .append(
            S3Xml.element(
                "Delimiter",
                delimiter == null ? null : ListObjectsV2.encode(delimiter, urlEncoded)))
        .append(S3Xml.element("EncodingType", urlEncoded ? "url" : null))
        .append(S3Xml.element("IsTruncated", truncated));
    for (Entry entry : page) {
      S3State.ObjectVersion version = entry.version();
      String tag = version.deleteMarker() ? "DeleteMarker" : "Version";
      xml.append('<')
          .append(tag)
          .append('>')
          .append(S3Xml.element("Key", ListObjectsV2.encode(entry.key(), urlEncoded)))
          .append(S3Xml.element("VersionId", version.versionId()))
          .append(S3Xml.element("IsLatest", entry.latest()))
          .append(S3Xml.element("LastModified", version.lastModified().toString()));
      if (!version.deleteMarker()) {
        xml.append(S3Xml.element("ETag", "\"" + version.etag() + "\""))
            .append(S3Xml.element("Size", version.content().length))
            .append(S3Xml.element("StorageClass", "STANDARD"));
      }
      xml.append("<Owner><ID>simulator</ID><DisplayName>simulator</DisplayName></Owner>")
          .append("</")
          .append(tag)
          .append('>');
    }
    for (String common : prefixes) {
      xml.append("<CommonPrefixes>")
          .append(S3Xml.element("Prefix", ListObjectsV2.encode(common, urlEncoded)))
          .append("</CommonPrefixes>");
    }
    return xml.append("</ListVersionsResult>").toString();
  }

  /** One page's walk over the keys, from the marker on, until the page is full. */
  private static final class Walk {
    private final String prefix;
    private final String delimiter;
    private final int maxKeys;
    private final String keyMarker;
    private final String versionIdMarker;
    private boolean pastVersionMarker;
    boolean versionMarkerFound;
    final List<Entry> page = new ArrayList<>();
    final List<String> prefixes = new ArrayList<>();
    boolean truncated;
    String nextKeyMarker;
    String nextVersionIdMarker;

    Walk(String prefix, String delimiter, int maxKeys, String keyMarker, String versionIdMarker) {
      this.prefix = prefix;
      this.delimiter = delimiter;
      this.maxKeys = maxKeys;
      this.keyMarker = keyMarker;
      this.versionIdMarker = versionIdMarker;
      this.pastVersionMarker = versionIdMarker == null;
    }

    /** Takes one key's versions (newest first); false once the page is full or past the prefix. */
    boolean visit(String key, List<S3State.ObjectVersion> versions) {
      if (!key.startsWith(prefix)) {
        return ListObjectsV2.compare(key, prefix) < 0;
      }
      if (versionIdMarker != null && key.equals(keyMarker)) {
        versionMarkerFound = versions.stream().anyMatch(v -> v.versionId().equals(versionIdMarker));
      }
      for (int i = 0; i < versions.size(); i++) {
        if (!take(new Entry(key, versions.get(i), i == 0))) {
          return false;
        }
      }
      return true;
    }

    private boolean take(Entry entry) {
      if (beforeMarkers(entry)) {
        return true;
      }
      String key = entry.key();
      // "All keys that contain the same string between the prefix and the first occurrence of the
      // delimiter are grouped under a single result element in CommonPrefixes. These groups are
      // counted as one result against the max-keys limitation. These keys are not returned
      // elsewhere in the response." (S3 API reference, ListObjectVersions, delimiter.) A group the
      // previous page ended with (the key-marker) is not named again.
      String rolledUp = ListObjectsV2.rollUp(key, prefix, delimiter);
      if (rolledUp != null
          && ((!prefixes.isEmpty() && rolledUp.equals(prefixes.get(prefixes.size() - 1)))
              || rolledUp.equals(keyMarker))) {
        return true;
      }
      // "The response might contain fewer keys but will never contain more. If additional keys
      // satisfy the search criteria, but were not returned because max-keys was exceeded, the
      // response contains <isTruncated>true</isTruncated>" (ibid., max-keys): truncated only when
      // an entry is left over, which is the case here.
      if (page.size() + prefixes.size() >= maxKeys) {
        truncated = true;
        return false;
      }
      // NextKeyMarker and NextVersionIdMarker: "Use this value for the key-marker [version-id-
      // marker] request parameter in a subsequent request" (ibid., response elements). The
      // reference calls them "the first key [version] not returned", but S3 and the SDK's paginator
      // use them as the last one returned, resumed after; a page ending on a group names the
      // group and no version.
      if (rolledUp != null) {
        prefixes.add(rolledUp);
        nextKeyMarker = rolledUp;
        nextVersionIdMarker = null;
      } else {
        page.add(entry);
        nextKeyMarker = key;
        nextVersionIdMarker = entry.version().versionId();
      }
      return true;
    }

    /**
     * Whether the entry comes before where the markers say the page starts.
     *
     * <p>version-id-marker: "Specifies the object version you want to start listing from" (S3 API
     * reference, ListObjectVersions); with the key-marker it resumes after that version of that
     * key, as the SDK's paginator relies on when a page ends within one key's versions.
     *
     * <p>key-marker alone: "Specifies the key to start with when listing objects in a bucket"
     * (ibid.). Whether the marker's own key is listed again is not said (ListObjects' marker is
     * exclusive: "Amazon S3 starts listing after this specified key"), so the simulator takes the
     * harsher reading the words allow: the key to start with is listed, its versions included. A
     * client that resumes from a key alone must drop it itself.
     */
    private boolean beforeMarkers(Entry entry) {
      if (keyMarker == null) {
        return false;
      }
      int order = ListObjectsV2.compare(entry.key(), keyMarker);
      if (order != 0) {
        return order < 0;
      }
      if (!pastVersionMarker) {
        pastVersionMarker = entry.version().versionId().equals(versionIdMarker);
        return true;
      }
      return false;
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
