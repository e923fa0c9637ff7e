package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The Instance Profiles API of a simulated workspace, with the paths and fields of the SDK's {@code
 * InstanceProfilesImpl}: {@code GET list} ({@code ListInstanceProfilesResponse}: every profile in
 * {@code instance_profiles}, no paging), {@code POST add} ({@code AddInstanceProfile}) and {@code
 * POST remove} ({@code RemoveInstanceProfile}). {@code POST edit} is not simulated.
 */
final class InstanceProfilesApi {
  static final String PREFIX = "/api/2.0/instance-profiles/";

  private final ComputePlacement placement;

  InstanceProfilesApi(ComputePlacement placement) {
    this.placement = placement;
  }

  /** Answers one request under {@link #PREFIX}; null for a path or method it does not have. */
  JsonNode route(String method, String path, RequestBody body) throws IOException {
    return switch (method + " " + path.substring(PREFIX.length())) {
      case "GET list" -> {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode profiles = response.putArray("instance_profiles");
        placement.instanceProfiles().forEach(profiles::add);
        yield response;
      }
      case "POST add" -> {
        placement.addInstanceProfile(body.read());
        yield JSON.createObjectNode();
      }
      case "POST remove" -> {
        placement.removeInstanceProfile(UcJson.text(body.read(), "instance_profile_arn"));
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }
}
