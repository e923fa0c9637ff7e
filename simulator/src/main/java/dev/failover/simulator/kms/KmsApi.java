package dev.failover.simulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.cloudwatch.CloudWatchApi;
import dev.failover.simulator.http.HttpExchanges;
import dev.failover.simulator.s3.KmsKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The KMS API (JSON 1.1, {@code X-Amz-Target: TrentService.ACTION}), for the one action the worker
 * calls: {@code DescribeKey}, which tells whether a key is an AWS managed key ({@code KeyManager}
 * {@code AWS}) or a customer's ({@code CUSTOMER}) (KMS API reference, API_DescribeKey and
 * API_KeyMetadata). The region is the request's SigV4 credential scope, as each region's KMS
 * endpoint serves its own keys; one endpoint serves every region here.
 *
 * <p>The keys held are the AWS managed keys {@code aws/s3} of every region ({@link
 * KmsKeys#awsManagedKey}), found by key id, key ARN, alias name {@code alias/aws/s3} or alias ARN:
 * "If you call the DescribeKey operation on a predefined AWS alias, that is, an AWS alias with no
 * key ID, AWS KMS creates an AWS managed key" (API_DescribeKey), so it always exists. The simulator
 * holds no customer keys (S3 accepts any key ARN of a bucket's region without asking KMS, a known
 * leniency), so every other key is 400 {@code NotFoundException}, as KMS answers for a key it does
 * not hold; so is a key ARN of another region than the request's, the harsher reading of what KMS
 * answers then, which is not documented. A request without an {@code Authorization} header (or a
 * credential scope) is 403 {@code MissingAuthenticationTokenException}; any other action is 400
 * {@code UnknownOperationException}. Signatures are not verified.
 */
public final class KmsApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET_PREFIX = "TrentService.";

  /** Answers one request; returns the HTTP status sent. */
  public int handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String region = CloudWatchApi.regionOf(exchange);
    if (exchange.getRequestHeaders().getFirst("Authorization") == null || region == null) {
      return error(
          exchange, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target == null || !target.equals(TARGET_PREFIX + "DescribeKey")) {
      return error(exchange, 400, "UnknownOperationException", "Unknown operation " + target);
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      return error(exchange, 400, "SerializationException", "Malformed request body");
    }
    String keyId =
        request == null || !request.hasNonNull("KeyId") ? null : request.get("KeyId").asText();
    if (keyId == null || keyId.isEmpty()) {
      return error(
          exchange,
          400,
          "ValidationException",
          "1 validation error detected: Value null at 'keyId' failed to satisfy constraint:"
              + " Member must not be null");
    }
    String arn = KmsKeys.awsManagedKey(region);
    String id = arn.substring(arn.lastIndexOf('/') + 1);
    String aliasArn = "arn:aws:kms:" + region + ":" + KmsKeys.ACCOUNT + ":" + KmsKeys.AWS_S3_ALIAS;
    if (!(keyId.equals(arn)
        || keyId.equals(id)
        || keyId.equals(KmsKeys.AWS_S3_ALIAS)
        || keyId.equals(aliasArn))) {
      return error(exchange, 400, "NotFoundException", "Key '" + keyId + "' does not exist");
    }
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("AWSAccountId", KmsKeys.ACCOUNT);
    metadata.put("KeyId", id);
    metadata.put("Arn", arn);
    metadata.put("Enabled", true);
    metadata.put("KeyUsage", "ENCRYPT_DECRYPT");
    metadata.put("KeyState", "Enabled");
    metadata.put("Origin", "AWS_KMS");
    metadata.put("KeyManager", "AWS");
    metadata.put("KeySpec", "SYMMETRIC_DEFAULT");
    metadata.put("MultiRegion", false);
    ObjectNode response = JSON.createObjectNode();
    response.set("KeyMetadata", metadata);
    HttpExchanges.send(
        exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(response));
    return 200;
  }

  private static int error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    ObjectNode error = JSON.createObjectNode();
    error.put("__type", type);
    error.put("message", message);
    HttpExchanges.send(
        exchange,
        status,
        "application/x-amz-json-1.1",
        JSON.writeValueAsString(error).getBytes(StandardCharsets.UTF_8));
    return status;
  }
}
