package dev.failover.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A connection to a Temporal service, configured the way Temporal's own tools are: the {@code
 * TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY} and {@code
 * TEMPORAL_TLS_*} variables and the profiles of Temporal's config file (via {@code
 * temporal-envconfig}), with explicit overrides on top.
 */
public final class TemporalConnection implements AutoCloseable {
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final String target;

  private TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, String target) {
    this.service = service;
    this.client = client;
    this.target = target;
  }

  /**
   * Connects using Temporal's environment conventions.
   *
   * @param profile the config-file profile to load; null means Temporal's default profile
   * @param address overrides the address when not null ({@code host:port})
   * @param namespace overrides the namespace when not null
   */
  public static TemporalConnection connect(String profile, String address, String namespace) {
    ClientConfigProfile loaded;
    try {
      LoadClientConfigProfileOptions.Builder options = LoadClientConfigProfileOptions.newBuilder();
      if (profile != null) {
        options.setConfigFileProfile(profile);
      }
      loaded = ClientConfigProfile.load(options.build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Temporal's client config file", e);
    }
    ClientConfigProfile.Builder builder = loaded.toBuilder();
    if (address != null) {
      builder.setAddress(address);
    }
    if (namespace != null) {
      builder.setNamespace(namespace);
    }
    ClientConfigProfile resolved = builder.build();
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(resolved.toWorkflowServiceStubsOptions());
    WorkflowClient client = WorkflowClient.newInstance(service, resolved.toWorkflowClientOptions());
    String shownAddress = resolved.getAddress() == null ? "localhost:7233" : resolved.getAddress();
    String shownNamespace = resolved.getNamespace() == null ? "default" : resolved.getNamespace();
    return new TemporalConnection(service, client, shownAddress + " namespace " + shownNamespace);
  }

  public WorkflowClient client() {
    return client;
  }

  /** Where this connection points, for messages (never includes credentials). */
  public String target() {
    return target;
  }

  @Override
  public void close() {
    service.shutdown();
  }
}
