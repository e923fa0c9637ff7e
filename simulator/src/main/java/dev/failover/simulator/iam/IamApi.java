package dev.failover.simulator.iam;

import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The IAM Query API (version 2010-05-08), for the one action the worker calls: {@code
 * SimulatePrincipalPolicy}, which evaluates a role's identity-based policies for actions on
 * resources without making any request to them. Request and response follow the IAM API reference
 * (API_SimulatePrincipalPolicy, API_EvaluationResult): form-encoded {@code PolicySourceArn}, {@code
 * ActionNames.member.N} and {@code ResourceArns.member.N}; one {@code EvaluationResults} member per
 * action and resource with {@code EvalDecision} {@code allowed} or {@code implicitDeny} (this model
 * has no deny statements). An unknown role is 404 {@code NoSuchEntity}; a request without an {@code
 * Authorization} header is 403 {@code MissingAuthenticationToken}; any other action is 400 {@code
 * InvalidAction}. Signatures are not verified.
 */
public final class IamApi {
  private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";

  private final IamState state;

  public IamApi(IamState state) {
    this.state = state;
  }

  /** Answers one request; returns the HTTP status sent. */
  public int handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> form = form(body);
    String requestId = UUID.randomUUID().toString();
    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
      return error(
          exchange, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    String action = form.getOrDefault("Action", "");
    if (!action.equals("SimulatePrincipalPolicy")) {
      return error(exchange, 400, "InvalidAction", "Could not find operation " + action);
    }
    String role = form.get("PolicySourceArn");
    if (role == null || !state.roleExists(role)) {
      return error(
          exchange,
          404,
          "NoSuchEntity",
          "The role with name " + roleName(role) + " cannot be found.");
    }
    List<String> actions = members(form, "ActionNames");
    List<String> resources = members(form, "ResourceArns");
    if (actions.isEmpty()) {
      return error(exchange, 400, "ValidationError", "ActionNames must not be empty");
    }
    if (resources.isEmpty()) {
      resources = List.of("*");
    }
    StringBuilder results = new StringBuilder();
    for (String name : actions) {
      for (String resource : resources) {
        results
            .append("<member>")
            .append(element("EvalActionName", name))
            .append(element("EvalResourceName", resource))
            .append(
                element(
                    "EvalDecision",
                    state.allowed(role, name, resource) ? "allowed" : "implicitDeny"))
            .append("<MatchedStatements/><MissingContextValues/>")
            .append("</member>");
      }
    }
    String xml =
        "<SimulatePrincipalPolicyResponse xmlns=\""
            + NS
            + "\"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated>"
            + "<EvaluationResults>"
            + results
            + "</EvaluationResults></SimulatePrincipalPolicyResult>"
            + "<ResponseMetadata>"
            + element("RequestId", requestId)
            + "</ResponseMetadata></SimulatePrincipalPolicyResponse>";
    HttpExchanges.send(exchange, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    return 200;
  }

  /** The access key id of a SigV4 {@code Authorization} header, or null. */
  static String accessKeyId(String authorization) {
    int at = authorization == null ? -1 : authorization.indexOf("Credential=");
    if (at < 0) {
      return null;
    }
    int start = at + "Credential=".length();
    int end = authorization.indexOf('/', start);
    return end < 0 ? null : authorization.substring(start, end);
  }

  private static int error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    String xml =
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>Sender</Type>"
            + element("Code", code)
            + element("Message", message)
            + "</Error>"
            + element("RequestId", UUID.randomUUID().toString())
            + "</ErrorResponse>";
    HttpExchanges.send(exchange, status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    return status;
  }

  private static String roleName(String arn) {
    return arn == null ? "" : arn.substring(arn.lastIndexOf('/') + 1);
  }

  /** The values of {@code name.member.1}, {@code name.member.2}, ... in order. */
  private static List<String> members(Map<String, String> form, String name) {
    List<String> values = new ArrayList<>();
    for (int i = 1; form.containsKey(name + ".member." + i); i++) {
      values.add(form.get(name + ".member." + i));
    }
    return values;
  }

  static Map<String, String> form(String body) {
    Map<String, String> form = new TreeMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      form.put(
          HttpExchanges.decode(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? "" : HttpExchanges.decode(pair.substring(eq + 1)));
    }
    return form;
  }

  static String element(String name, String value) {
    String escaped =
        value
            .replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
    return "<" + name + ">" + escaped + "</" + name + ">";
  }
}
