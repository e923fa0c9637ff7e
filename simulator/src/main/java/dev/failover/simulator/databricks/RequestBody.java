package dev.failover.simulator.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** A request's JSON body, read only by the routes that take one. */
@FunctionalInterface
interface RequestBody {
  /** The body as a JSON object; 400 {@code MALFORMED_REQUEST} if it is not one. */
  JsonNode read() throws IOException;
}
