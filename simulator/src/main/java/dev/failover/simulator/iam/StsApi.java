package dev.failover.simulator.iam;

import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * The STS Query API (version 2011-06-15), for the one action the worker calls: {@code
 * GetCallerIdentity}, which names the principal whose credentials signed the request (STS API
 * reference, API_GetCallerIdentity: no permission is needed to call it, and it answers {@code Arn},
 * {@code UserId} and {@code Account}). The caller is the principal {@link IamState#principalOf}
 * gives the request's access key id; a role's credentials are those of a session of it, which STS
 * names {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION} (the role's path left out, as
 * the IAM user guide's "IAM identifiers" shows for assumed-role ARNs). The session name is the
 * access key id here, an arbitrary choice: a real session's name is whatever its assumer chose. An
 * access key id no principal is known for is 403 {@code InvalidClientTokenId} (STS API reference,
 * common errors: "The X.509 certificate or AWS access key ID provided does not exist in our
 * records"); a request without an {@code Authorization} header is 403 {@code
 * MissingAuthenticationToken}; any other action is 400 {@code InvalidAction}. Signatures are not
 * verified.
 */
public final class StsApi {
  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

  private final IamState state;

  public StsApi(IamState state) {
    this.state = state;
  }

  /** Answers one request; returns the HTTP status sent. */
  public int handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      return error(
          exchange, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    String action = IamApi.form(body).getOrDefault("Action", "");
    if (!action.equals("GetCallerIdentity")) {
      return error(exchange, 400, "InvalidAction", "Could not find operation " + action);
    }
    String accessKeyId = IamApi.accessKeyId(authorization);
    String principal = state.principalOf(accessKeyId);
    if (principal == null) {
      return error(
          exchange,
          403,
          "InvalidClientTokenId",
          "The security token included in the request is invalid.");
    }
    String[] arn = principal.split(":", 6);
    String account = arn.length == 6 ? arn[4] : "";
    String resource = arn.length == 6 ? arn[5] : principal;
    String callerArn = principal;
    String userId = "AIDA" + Integer.toHexString(principal.hashCode()).toUpperCase(Locale.ROOT);
    if (resource.startsWith("role/")) {
      String roleName = resource.substring(resource.lastIndexOf('/') + 1);
      callerArn = "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + accessKeyId;
      userId =
          "AROA"
              + Integer.toHexString(principal.hashCode()).toUpperCase(Locale.ROOT)
              + ":"
              + accessKeyId;
    }
    String xml =
        "<GetCallerIdentityResponse xmlns=\""
            + NS
            + "\"><GetCallerIdentityResult>"
            + IamApi.element("Arn", callerArn)
            + IamApi.element("UserId", userId)
            + IamApi.element("Account", account)
            + "</GetCallerIdentityResult><ResponseMetadata>"
            + IamApi.element("RequestId", UUID.randomUUID().toString())
            + "</ResponseMetadata></GetCallerIdentityResponse>";
    HttpExchanges.send(exchange, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    return 200;
  }

  private static int error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    String xml =
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>Sender</Type>"
            + IamApi.element("Code", code)
            + IamApi.element("Message", message)
            + "</Error>"
            + IamApi.element("RequestId", UUID.randomUUID().toString())
            + "</ErrorResponse>";
    HttpExchanges.send(exchange, status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    return status;
  }
}
