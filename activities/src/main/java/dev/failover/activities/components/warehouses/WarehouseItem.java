package dev.failover.activities.components.warehouses;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One SQL warehouse: its name (its identity: the service keeps warehouse names unique in a
 * workspace), its id where it was read, and its configuration as {@code EditWarehouseRequest}
 * fields (size, scaling, auto stop, type, serverless, channel, spot policy, tags).
 */
public record WarehouseItem(String name, String id, ObjectNode config) {}
