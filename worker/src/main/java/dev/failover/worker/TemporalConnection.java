package dev.failover.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * A connection to a Temporal service, configured the way Temporal's own tools are: the {@code
 * TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY} and {@code
 * TEMPORAL_TLS_*} variables and the profiles of Temporal's config file (via {@code
 * temporal-envconfig}), with explicit overrides on top. When {@value
 * PayloadEncryption#KEY_VARIABLE} is set, every payload the client sends is encrypted and every one
 * it receives decrypted ({@link AesGcmPayloadCodec}); a worker built on the client does the same.
 */
public final class TemporalConnection implements AutoCloseable {
  /**
   * How long the first call may wait for the server's system information, which the SDK asks for
   * before any other call and allows 5 s by default. A frontend that is slow to accept a connection
   * (under load, or just started) would fail an operator's command after those 5 s, although the
   * SDK retries the command's own call for up to a minute.
   */
  static final java.time.Duration SYSTEM_INFO_TIMEOUT = java.time.Duration.ofSeconds(30);

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final String target;

  private TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, String target) {
    this.service = service;
    this.client = client;
    this.target = target;
  }

  /**
   * Connects using Temporal's environment conventions, with payload encryption as {@value
   * PayloadEncryption#KEY_VARIABLE} asks.
   *
   * @param profile the config-file profile to load; null means Temporal's default profile
   * @param address overrides the address when not null ({@code host:port})
   * @param namespace overrides the namespace when not null
   * @throws PayloadEncryption.InvalidPayloadKeyException when the payload key is set but unusable
   */
  public static TemporalConnection connect(String profile, String address, String namespace) {
    return connect(profile, address, namespace, PayloadEncryption.fromEnvironment());
  }

  /**
   * Connects using Temporal's environment conventions, with the given payload encryption.
   *
   * @param encryption the codec for every payload; empty sends payloads unencrypted
   */
  public static TemporalConnection connect(
      String profile, String address, String namespace, Optional<AesGcmPayloadCodec> encryption) {
    return connect(profile, address, namespace, encryption, true);
  }

  /**
   * Connects as {@link #connect(String, String, String, Optional)}, with sticky execution on or off
   * for a worker using this connection (see {@link NoStickyExecution}).
   */
  public static TemporalConnection connect(
      String profile,
      String address,
      String namespace,
      Optional<AesGcmPayloadCodec> encryption,
      boolean stickyExecution) {
    return connect(profile, address, namespace, encryption, stickyExecution, null);
  }

  /**
   * Connects as {@link #connect(String, String, String, Optional, boolean)}, the client and any
   * worker built on it reporting the SDK's metrics into {@code metricsScope} (null: none).
   */
  public static TemporalConnection connect(
      String profile,
      String address,
      String namespace,
      Optional<AesGcmPayloadCodec> encryption,
      boolean stickyExecution,
      com.uber.m3.tally.Scope metricsScope) {
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
    WorkflowServiceStubsOptions stubOptions =
        WorkflowServiceStubsOptions.newBuilder(resolved.toWorkflowServiceStubsOptions())
            .setSystemInfoTimeout(SYSTEM_INFO_TIMEOUT)
            .build();
    if (!stickyExecution) {
      List<io.grpc.ClientInterceptor> interceptors =
          new java.util.ArrayList<>(
              stubOptions.getGrpcClientInterceptors() == null
                  ? List.of()
                  : stubOptions.getGrpcClientInterceptors());
      interceptors.add(new NoStickyExecution());
      stubOptions =
          WorkflowServiceStubsOptions.newBuilder(stubOptions)
              .setGrpcClientInterceptors(interceptors)
              .build();
    }
    if (metricsScope != null) {
      stubOptions =
          WorkflowServiceStubsOptions.newBuilder(stubOptions).setMetricsScope(metricsScope).build();
    }
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(stubOptions);
    WorkflowClientOptions clientOptions = resolved.toWorkflowClientOptions();
    if (encryption.isPresent()) {
      // Failure messages and stack traces are encoded too: they name workspaces, buckets and
      // catalogs, which encryption is meant to keep out of the history.
      clientOptions =
          clientOptions.toBuilder()
              .setDataConverter(
                  new CodecDataConverter(
                      DefaultDataConverter.newDefaultInstance(), List.of(encryption.get()), true))
              .build();
    }
    WorkflowClient client = WorkflowClient.newInstance(service, clientOptions);
    String shownAddress = resolved.getAddress() == null ? "localhost:7233" : resolved.getAddress();
    String shownNamespace = resolved.getNamespace() == null ? "default" : resolved.getNamespace();
    String target =
        shownAddress
            + " namespace "
            + shownNamespace
            + encryption
                .map(codec -> ", payloads encrypted with key id " + codec.keyId())
                .orElse("");
    return new TemporalConnection(service, client, target);
  }

  public WorkflowClient client() {
    return client;
  }

  /**
   * A client of the server's schedules, in the same namespace and with the same payload encryption
   * as {@link #client()}, so what a schedule starts reads its input the way a worker expects.
   */
  public ScheduleClient schedules() {
    WorkflowClientOptions options = client.getOptions();
    return ScheduleClient.newInstance(
        service,
        ScheduleClientOptions.newBuilder()
            .setNamespace(options.getNamespace())
            .setIdentity(options.getIdentity())
            .setDataConverter(options.getDataConverter())
            .build());
  }

  /**
   * Where this connection points and, when payloads are encrypted, the key's id, for messages
   * (never includes credentials or the key).
   */
  public String target() {
    return target;
  }

  @Override
  public void close() {
    service.shutdown();
  }
}
