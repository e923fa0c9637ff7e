package dev.failover.activities.components.unitycatalog;

import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.storage.ObjectTransfer;
import dev.failover.workflows.steps.BucketTarget;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A model version's files in S3, as MLflow's Unity Catalog client handles them when it registers a
 * version: every object under the version's {@code source} is copied, at the same path relative to
 * it, into the version's storage location. The source is read with the worker's own S3 client for
 * the target side (its credential profile, in the target's region); the storage location is written
 * with the temporary credentials Unity Catalog hands out for the version, which are used for
 * nothing else and never leave this class's callers in a message.
 */
final class ModelVersionFiles {
  private ModelVersionFiles() {}

  /** An {@code s3://bucket/path} URL as a bucket and a key prefix ending with a slash. */
  record Location(String bucket, String prefix) {
    /** The location of an {@code s3://} URL, or null for any other. */
    static Location parse(String url) {
      if (url == null || !url.startsWith("s3://")) {
        return null;
      }
      String rest = url.substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      if (bucket.isEmpty()) {
        return null;
      }
      return new Location(bucket, prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/");
    }

    String url() {
      return "s3://" + bucket + "/" + prefix;
    }
  }

  /**
   * The worker's client for a bucket of the target's side: the target's credential profile, in its
   * region (a replica bucket and Unity Catalog's managed storage are in the workspace's region).
   */
  static S3Client workerClient(ComponentContext target, String bucket) {
    return target
        .clients()
        .s3(
            new BucketTarget(
                target.target().side(),
                bucket,
                target.target().region(),
                target.target().credentialProfile()));
  }

  /** Every object under a location, following every page. */
  static List<S3Object> list(S3Client s3, Location at) {
    List<S3Object> all = new ArrayList<>();
    s3.listObjectsV2Paginator(list -> list.bucket(at.bucket()).prefix(at.prefix()))
        .contents()
        .forEach(all::add);
    return all;
  }

  /** The objects under a location of the target's side, read with the worker's own client. */
  static List<S3Object> listAsWorker(ComponentContext target, Location at) {
    return target
        .retry()
        .aws("list " + at.url(), () -> list(workerClient(target, at.bucket()), at));
  }

  /**
   * Copies every object under {@code source} to the same relative key under {@code destination}, a
   * few at a time, replacing what is there; returns what it copied. Each upload re-reads its source
   * for every attempt ({@link ObjectTransfer}), so the SDK's retries and the call retry both
   * re-send the full body, and a file above the single-request limit goes as a multipart upload.
   *
   * @param objects the source's objects, as listed
   * @param credentials Unity Catalog's temporary credentials for the destination
   */
  static RegisteredModelsComponent.Files copy(
      ComponentContext target,
      Location source,
      List<S3Object> objects,
      Location destination,
      AwsSessionCredentials credentials) {
    S3Client reader = workerClient(target, source.bucket());
    ObjectTransfer transfer = new ObjectTransfer(target.retry(), ObjectTransfer.Limits.S3);
    long bytes = 0;
    try (S3Client writer = target.clients().temporaryS3(target.target().region(), credentials)) {
      // The files are independent: a few copied at a time (S3 takes thousands per second).
      for (long copied :
          dev.failover.activities.clients.Concurrently.map(
              objects,
              dev.failover.activities.clients.Concurrently.IN_FLIGHT,
              object -> {
                String relative = object.key().substring(source.prefix().length());
                HeadObjectResponse head =
                    target
                        .retry()
                        .aws(
                            "read s3://" + source.bucket() + "/" + object.key(),
                            () ->
                                reader.headObject(
                                    h -> h.bucket(source.bucket()).key(object.key())));
                transfer.copy(
                    new ObjectTransfer.Source(
                        reader,
                        source.bucket(),
                        object.key(),
                        head.versionId(),
                        head.contentLength()),
                    writer,
                    destination.bucket(),
                    destination.prefix() + relative,
                    ObjectTransfer.Settings.contentTypeOnly(head.contentType()));
                return head.contentLength();
              },
              n -> {})) {
        bytes += copied;
      }
    }
    return new RegisteredModelsComponent.Files(objects.size(), bytes);
  }
}
