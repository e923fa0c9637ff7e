package dev.failover.activities.clients;

import dev.failover.activities.metrics.ApiFamilies;
import dev.failover.activities.metrics.EngineMetrics;
import dev.failover.activities.metrics.RetriedCall;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts each attempt an AWS SDK client sends, its throttling answers and its retries. The SDK
 * calls {@code beforeTransmission} once per attempt with the same execution attributes, so an
 * execution already marked as sent is being retried.
 */
final class MeteredAwsRequests implements ExecutionInterceptor {
  private static final ExecutionAttribute<Boolean> SENT =
      new ExecutionAttribute<>("failover.metrics.sent");

  private final EngineMetrics metrics;
  private final String service;

  MeteredAwsRequests(EngineMetrics metrics, String service) {
    this.metrics = metrics;
    this.service = service;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
    // Either the SDK repeats its request, or the engine's CallRetry repeats a failed call.
    boolean retry = Boolean.TRUE.equals(attrs.getAttribute(SENT)) | RetriedCall.take();
    attrs.putAttribute(SENT, true);
    metrics.requestSent(service, target(context), family(context), retry);
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attrs) {
    int status = context.httpResponse().statusCode();
    // S3 throttles with 503 Slow Down (Amazon S3 user guide, "Best practices design patterns:
    // optimizing Amazon S3 performance"); other AWS APIs with 429 or a 400 ThrottlingException,
    // whose code is only in the body (not counted here), except where the code is in a header.
    if (status == 429 || (status == 503 && service.equals("s3")) || queryThrottled(context)) {
      metrics.throttled(service, target(context), family(context));
    }
  }

  /**
   * A 400 whose {@code x-amzn-query-error} header names {@code Throttling}: how CloudWatch, an AWS
   * Query-compatible service on Smithy RPC v2 CBOR, says so (the SDK takes the error code from that
   * header).
   */
  private static boolean queryThrottled(Context.AfterTransmission context) {
    return context.httpResponse().statusCode() == 400
        && context
            .httpResponse()
            .firstMatchingHeader("x-amzn-query-error")
            .map(code -> code.startsWith("Throttling;"))
            .orElse(false);
  }

  private String family(Context.BeforeTransmission context) {
    return service.equals("s3") ? ApiFamilies.s3(context.httpRequest().method().name()) : service;
  }

  /**
   * The bucket an S3 request is about (every S3 request but ListBuckets names one), or the host.
   */
  private static String target(Context.BeforeTransmission context) {
    return context
        .request()
        .getValueForField("Bucket", String.class)
        .orElse(context.httpRequest().host());
  }
}
