package dev.failover.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.failover.simulator.cloudwatch.CloudWatchApi;
import dev.failover.simulator.databricks.AccountApi;
import dev.failover.simulator.databricks.AccountState;
import dev.failover.simulator.databricks.ManagedStorage;
import dev.failover.simulator.databricks.StorageAccessApi;
import dev.failover.simulator.databricks.WorkspaceApi;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.http.HttpExchanges;
import dev.failover.simulator.iam.IamApi;
import dev.failover.simulator.iam.IamState;
import dev.failover.simulator.iam.StsApi;
import dev.failover.simulator.kms.KmsApi;
import dev.failover.simulator.profile.CloudProfile;
import dev.failover.simulator.profile.ProfileEnforcer;
import dev.failover.simulator.s3.S3Api;
import dev.failover.simulator.s3.S3State;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator: one HTTP server per Databricks workspace (each with its own host, as real
 * workspaces have), one each for S3, the Databricks account API, IAM and CloudWatch, all on
 * 127.0.0.1, with state in memory and every request recorded (the account's as service {@value
 * #ACCOUNT_SERVICE}, side {@value #ACCOUNT_SIDE}).
 */
public final class Simulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Simulator.class);

  static {
    // The JDK's HTTP server writes a response's headers and body separately; with Nagle's
    // algorithm on, the body waits for the client's delayed ACK (about 40 ms on Linux) on every
    // keep-alive request, which capped the simulator at some 25 requests per second per
    // connection. Read once, when the JDK's server configuration loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** The id of the simulated Databricks account, which {@code runbooks/sandbox.yaml} names. */
  public static final String ACCOUNT_ID = "7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17";

  /** The service the account API's requests are recorded under. */
  public static final String ACCOUNT_SERVICE = "databricks-account";

  /** The side the account API's requests are recorded under. */
  public static final String ACCOUNT_SIDE = "account";

  /** The service IAM's requests are recorded under (IAM is global: side {@code global}). */
  public static final String IAM_SERVICE = "iam";

  /**
   * The service KMS's requests are recorded under; side: as CloudWatch's, that of the buckets in
   * the region the request is signed for.
   */
  public static final String KMS_SERVICE = "kms";

  /** The service STS's requests are recorded under (side {@code global}, as IAM's). */
  public static final String STS_SERVICE = "sts";

  /**
   * The service CloudWatch's requests are recorded under; side: the side of the buckets in the
   * region the request is signed for, or that region when the simulator holds no bucket there.
   */
  public static final String CLOUDWATCH_SERVICE = "cloudwatch";

  private final Map<String, Workspace> workspaces = new LinkedHashMap<>();
  private final AccountState account = new AccountState(ACCOUNT_ID);
  private final dev.failover.simulator.databricks.DisasterRecoveryState disasterRecovery;
  private final String accountToken = "dapi" + HexFormat.of().formatHex(randomBytes());
  private HttpServer accountServer;
  private final S3State s3;
  private final RequestLog requests = new RequestLog();
  private final Faults faults = new Faults();
  private final InFlight inFlight = new InFlight();

  /**
   * CPU time the simulator's request threads spent answering, so a benchmark on one machine can
   * tell the cloud's share of the CPU from the worker's.
   */
  private final java.util.concurrent.atomic.LongAdder answerCpuNanos =
      new java.util.concurrent.atomic.LongAdder();

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
  private final Map<String, Long> latencyMillis = new ConcurrentHashMap<>();
  private volatile ProfileEnforcer profile;
  private final Set<String> unreachableWorkspaces = ConcurrentHashMap.newKeySet();
  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
  private HttpServer s3Server;
  private final IamState iam = new IamState();
  private HttpServer iamServer;
  private HttpServer cloudWatchServer;
  private HttpServer stsServer;
  private HttpServer kmsServer;
  private CloudWatchApi cloudWatch;

  private record Workspace(WorkspaceState state, String token, HttpServer server) {}

  private Simulator(Clock clock) {
    this.s3 = new S3State(clock, iam);
    this.disasterRecovery =
        new dev.failover.simulator.databricks.DisasterRecoveryState(
            ACCOUNT_ID, clock, id -> account.workspace(id).awsRegion());
  }

  /**
   * Starts the simulator.
   *
   * @param basePort 0 for free ports; otherwise workspaces listen on basePort, basePort+1, ... in
   *     the order given, S3 on the next port, the account API on the one after, then IAM, then
   *     CloudWatch, then STS, then KMS
   * @param workspaceSides the sides to simulate a workspace for, e.g. primary and secondary
   */
  public static Simulator start(int basePort, List<String> workspaceSides) {
    return start(basePort, workspaceSides, Clock.systemUTC());
  }

  /**
   * Starts the simulator with S3 on the given clock, so that tests decide when replication is due.
   */
  public static Simulator start(int basePort, List<String> workspaceSides, Clock clock) {
    Simulator simulator = new Simulator(clock);
    try {
      int port = basePort;
      for (String side : workspaceSides) {
        String token = "dapi" + HexFormat.of().formatHex(randomBytes());
        WorkspaceState state =
            new WorkspaceState(
                java.util.UUID.nameUUIDFromBytes(side.getBytes(StandardCharsets.UTF_8)).toString(),
                "sre-automation@acme.example");
        state.models().useStorage(simulator.managedStorage());
        state.storageAccess().useIam(simulator.iam);
        state.useTableStorage(simulator.tableStorage());
        WorkspaceApi api = new WorkspaceApi(state, token);
        HttpServer server =
            simulator.listen(
                port, exchange -> simulator.answer(exchange, "databricks", side, api::handle));
        simulator.workspaces.put(side, new Workspace(state, token, server));
        simulator.account.addWorkspace(state, side);
        port = basePort == 0 ? 0 : port + 1;
      }
      S3Api s3Api = new S3Api(simulator.s3);
      simulator.s3Server =
          simulator.listen(
              port,
              exchange ->
                  simulator.answer(
                      exchange,
                      "s3",
                      simulator.s3.sideOf(S3Api.bucketOf(exchange)),
                      s3Api::handle));
      port = basePort == 0 ? 0 : port + 1;
      AccountApi accountApi =
          new AccountApi(simulator.account, simulator.disasterRecovery, simulator.accountToken);
      simulator.accountServer =
          simulator.listen(
              port,
              exchange ->
                  simulator.answer(exchange, ACCOUNT_SERVICE, ACCOUNT_SIDE, accountApi::handle));
      port = basePort == 0 ? 0 : port + 1;
      IamApi iamApi = new IamApi(simulator.iam);
      simulator.iamServer =
          simulator.listen(
              port, exchange -> simulator.answer(exchange, IAM_SERVICE, "global", iamApi::handle));
      port = basePort == 0 ? 0 : port + 1;
      CloudWatchApi cloudWatchApi = new CloudWatchApi(simulator.s3);
      simulator.cloudWatch = cloudWatchApi;
      simulator.cloudWatchServer =
          simulator.listen(
              port,
              exchange ->
                  simulator.answer(
                      exchange,
                      CLOUDWATCH_SERVICE,
                      simulator.cloudWatchSide(CloudWatchApi.regionOf(exchange)),
                      cloudWatchApi::handle));
      port = basePort == 0 ? 0 : port + 1;
      StsApi stsApi = new StsApi(simulator.iam);
      simulator.stsServer =
          simulator.listen(
              port, exchange -> simulator.answer(exchange, STS_SERVICE, "global", stsApi::handle));
      port = basePort == 0 ? 0 : port + 1;
      KmsApi kmsApi = new KmsApi();
      simulator.kmsServer =
          simulator.listen(
              port,
              exchange ->
                  simulator.answer(
                      exchange,
                      KMS_SERVICE,
                      simulator.cloudWatchSide(CloudWatchApi.regionOf(exchange)),
                      kmsApi::handle));
      return simulator;
    } catch (RuntimeException e) {
      simulator.close();
      throw e;
    }
  }

  /** How long the temporary credentials for a model version's files last, as an hour does. */
  static final java.time.Duration CREDENTIALS_LIFETIME = java.time.Duration.ofHours(1);

  /**
   * Unity Catalog's managed storage in this simulator's S3: credentials scoped to a location's
   * prefix, and deleting what is under it (nothing when its bucket does not exist here).
   */
  private ManagedStorage managedStorage() {
    return new ManagedStorage() {
      @Override
      public Credentials temporaryCredentials(String location, boolean write) {
        String[] at = bucketAndPrefix(location);
        S3State.TemporaryCredentials issued =
            s3.issueCredentials(at[0], at[1], write, CREDENTIALS_LIFETIME);
        return new Credentials(
            issued.accessKeyId(),
            issued.secretAccessKey(),
            issued.sessionToken(),
            issued.expiration().toEpochMilli());
      }

      @Override
      public void deleteAll(String location) {
        String[] at = bucketAndPrefix(location);
        if (s3.bucketNames().contains(at[0])) {
          s3.deletePrefix(at[0], at[1]);
        }
      }
    };
  }

  /** External tables' storage in this simulator's S3 (a bucket it does not hold lists null). */
  private dev.failover.simulator.databricks.TableStorage tableStorage() {
    return new dev.failover.simulator.databricks.TableStorage() {
      @Override
      public List<String> list(String location) {
        String[] at = bucketAndPrefix(location);
        if (!s3.bucketNames().contains(at[0])) {
          return null;
        }
        return s3.objectKeys(at[0]).stream()
            .filter(key -> key.startsWith(at[1]))
            .map(key -> key.substring(at[1].length()))
            .toList();
      }

      @Override
      public byte[] read(String location, String name) {
        String[] at = bucketAndPrefix(location);
        return s3.getObject(at[0], at[1] + name).content();
      }

      @Override
      public void write(String location, String name, byte[] content) {
        String[] at = bucketAndPrefix(location);
        s3.putObject(at[0], at[1] + name, content);
      }
    };
  }

  /** {@code s3://bucket/some/path} as the bucket and the key prefix {@code some/path/}. */
  private static String[] bucketAndPrefix(String location) {
    if (location == null || !location.startsWith("s3://")) {
      throw new IllegalArgumentException("not an s3:// location: " + location);
    }
    String rest = location.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix += "/";
    }
    return new String[] {bucket, prefix};
  }

  /**
   * The side a CloudWatch request is recorded under: that of the buckets in its region, else the
   * region ("" for a request not signed for any).
   */
  private String cloudWatchSide(String region) {
    if (region == null) {
      return "";
    }
    String side = s3.sideInRegion(region);
    return side == null ? region : side;
  }

  /** Handles one exchange, recording it itself. */
  @FunctionalInterface
  private interface Handler {
    void handle(HttpExchange exchange);
  }

  private HttpServer listen(int port, Handler handler) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      server.createContext("/", handler::handle);
      server.setExecutor(executor);
      server.start();
      servers.add(server);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  /**
   * Answers a request, or injects a fault, and records it. A failure of the simulator itself is
   * answered 500 and recorded too, so that the log holds every request.
   */
  private void answer(HttpExchange exchange, String service, String side, Api api) {
    long started = System.nanoTime();
    long cpuAtStart = THREADS.getCurrentThreadCpuTime();
    inFlight.begin(exchange.getRemoteAddress());
    try {
      answerCounted(exchange, service, side, api);
    } finally {
      HttpExchanges.done(exchange);
      inFlight.end(started);
      answerCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpuAtStart);
    }
  }

  private void answerCounted(HttpExchange exchange, String service, String side, Api api) {
    AtomicBoolean recorded = new AtomicBoolean();
    IntConsumer recordOnce =
        sent -> {
          if (recorded.compareAndSet(false, true)) {
            record(exchange, service, side, sent);
          }
        };
    HttpExchanges.beforeResponse(exchange, recordOnce);
    int status;
    if (!reachable(exchange, service, side)) {
      // A region in an outage does not answer at all: the connection drops.
      exchange.close();
      recordOnce.accept(0);
      return;
    }
    try {
      sleep(latencyMillis.getOrDefault(service + "/" + side, 0L));
      int throttled = throttledByProfile(exchange, service, side);
      if (throttled != 0) {
        recordOnce.accept(throttled);
        return;
      }
      Faults.Injected fault =
          faults.pick(
              service,
              side,
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestURI().getRawQuery());
      if (fault == null) {
        status = api.handle(exchange);
      } else if (fault.kind() == Faults.Kind.ANSWER_LOST) {
        HttpExchanges.loseAnswer(exchange);
        status = api.handle(exchange);
      } else if (fault.kind() == Faults.Kind.SLOW) {
        // The request has arrived whole; a server handles it even when the client gives up and
        // closes the connection meanwhile, which would close the body's stream: read it first.
        exchange.setStreams(
            new java.io.ByteArrayInputStream(exchange.getRequestBody().readAllBytes()), null);
        sleep(fault.slowMillis());
        status = api.handle(exchange);
      } else {
        status = FaultResponses.send(exchange, service, fault.kind());
      }
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Simulator failed to answer {} {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI(),
          e);
      status = 500;
      try {
        HttpExchanges.send(
            exchange,
            500,
            "text/plain",
            ("simulator error: " + e).getBytes(StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException ignored) {
        // The response may already be under way; the client sees a broken response instead.
        exchange.close();
      }
    }
    // A dropped connection sends no response, so only here does it go on record.
    recordOnce.accept(status);
  }

  /**
   * Plays the cloud profile, when one is set: a request beyond its family's rate is answered as the
   * service throttles (its status is returned); an admitted one waits its latency, and a SQL
   * statement its run time on a warehouse slot (0 is returned).
   */
  private int throttledByProfile(HttpExchange exchange, String service, String side)
      throws IOException {
    ProfileEnforcer enforcer = profile;
    if (enforcer == null
        || service.equals(IAM_SERVICE)
        || service.equals(STS_SERVICE)
        || service.equals(KMS_SERVICE)) {
      return 0;
    }
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    ProfileEnforcer.Admission admission;
    if (service.equals(CLOUDWATCH_SERVICE)) {
      admission = enforcer.cloudWatch(CloudWatchApi.regionOf(exchange));
      if (admission == null) {
        return 0;
      }
    } else if (service.equals("s3")) {
      admission = enforcer.s3(method, S3Api.bucketOf(exchange), keyOf(path));
    } else {
      admission = enforcer.databricks(side, method, path);
    }
    if (admission.throttled()) {
      return FaultResponses.send(exchange, service, Faults.Kind.THROTTLE);
    }
    sleep(admission.latencyMillis());
    if (admission.statement()) {
      try {
        enforcer.runStatement(side);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return 0;
  }

  /** The object key of a path-style S3 request, or null for a bucket request. */
  private static String keyOf(String path) {
    String rest = path.startsWith("/") ? path.substring(1) : path;
    int slash = rest.indexOf('/');
    return slash < 0 ? null : rest.substring(slash + 1);
  }

  /**
   * Plays a cloud profile from now on (null: none, the default): rate limits answered with 429 and
   * Retry-After (S3: 503 SlowDown), latencies and SQL warehouse concurrency.
   */
  public void useProfile(CloudProfile cloudProfile) {
    this.profile = cloudProfile == null ? null : new ProfileEnforcer(cloudProfile);
  }

  /** The profile played, or null. */
  public CloudProfile profile() {
    ProfileEnforcer enforcer = profile;
    return enforcer == null ? null : enforcer.profile();
  }

  private boolean reachable(HttpExchange exchange, String service, String side) {
    if (service.equals(CLOUDWATCH_SERVICE) || service.equals(KMS_SERVICE)) {
      // A region in an outage answers nothing, its CloudWatch and KMS endpoints included.
      String region = CloudWatchApi.regionOf(exchange);
      return region == null || s3.regionReachable(region);
    }
    return service.equals("s3")
        ? s3.reachable(S3Api.bucketOf(exchange))
        : !unreachableWorkspaces.contains(side);
  }

  /**
   * Plays a regional outage, or ends one: S3 buckets in the region, its CloudWatch endpoint and the
   * workspaces on the given sides stop answering (connections drop), and replication to and from
   * the region waits.
   */
  public void setRegionReachable(String region, boolean reachable, String... workspaceSides) {
    s3.setRegionReachable(region, reachable);
    for (String side : workspaceSides) {
      workspaceEntry(side);
      if (reachable) {
        unreachableWorkspaces.remove(side);
      } else {
        unreachableWorkspaces.add(side);
      }
    }
  }

  /** One simulated service's request handler; returns the status it answered. */
  @FunctionalInterface
  private interface Api {
    int handle(HttpExchange exchange) throws IOException;
  }

  private static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void record(HttpExchange exchange, String service, String side, int status) {
    String method = exchange.getRequestMethod();
    String query = exchange.getRequestURI().getRawQuery();
    requests.add(
        new RecordedRequest(
            service,
            side,
            method,
            exchange.getRequestURI().getPath(),
            query == null ? "" : query,
            // IAM's and STS's Query API send every action as a POST; the one action each serves
            // reads only. CloudWatch's RPC protocol and KMS's JSON protocol too (GetMetricData,
            // ListMetrics and DescribeKey read only). Unity Catalog's
            // validate-storage-credentials is a POST that changes nothing.
            !service.equals(IAM_SERVICE)
                && !service.equals(STS_SERVICE)
                && !service.equals(CLOUDWATCH_SERVICE)
                && !service.equals(KMS_SERVICE)
                && !exchange.getRequestURI().getPath().equals(StorageAccessApi.VALIDATE)
                && RecordedRequest.isMutating(method),
            status,
            System.currentTimeMillis(),
            // Bookkeeping, not a rule of either cloud: the worker names its activity in this
            // header, which the simulator only records. Real services pass over a header they do
            // not know; S3 requires host, x-amz-content-sha256 and every x-amz-* header to be
            // signed and leaves other headers optional (Amazon S3 API reference, "Authenticating
            // Requests: Using the Authorization Header (AWS Signature Version 4)", SignedHeaders),
            // so this one, added after signing, is not refused.
            Objects.requireNonNullElse(
                exchange.getRequestHeaders().getFirst("X-Failover-Activity"), "")));
  }

  public URI workspaceUrl(String side) {
    return URI.create("http://127.0.0.1:" + workspaceEntry(side).server().getAddress().getPort());
  }

  /**
   * The bearer token of the workspace's first admin ({@code sre-automation@acme.example}); a token
   * the workspace did not issue gets HTTP 401.
   */
  public String workspaceToken(String side) {
    return workspaceEntry(side).token();
  }

  /**
   * The bearer token of a user (by user name) or service principal (by application id) of the
   * workspace: requests with it are that principal's, with its rights.
   */
  public String workspaceToken(String side, String principal) {
    return workspaceEntry(side).state().principals().tokenFor(principal);
  }

  public URI s3Url() {
    return URI.create("http://127.0.0.1:" + s3Server.getAddress().getPort());
  }

  public WorkspaceState workspace(String side) {
    return workspaceEntry(side).state();
  }

  private Workspace workspaceEntry(String side) {
    Workspace workspace = workspaces.get(side);
    if (workspace == null) {
      throw new IllegalArgumentException("no simulated workspace for side " + side);
    }
    return workspace;
  }

  /** The account API's URL, dialled instead of {@code https://accounts.cloud.databricks.com}. */
  public URI accountUrl() {
    return URI.create("http://127.0.0.1:" + accountServer.getAddress().getPort());
  }

  /** The bearer token the account API accepts; any other token gets HTTP 401. */
  public String accountToken() {
    return accountToken;
  }

  /** The account: its workspaces, groups and workspace assignments. */
  public AccountState account() {
    return account;
  }

  /** The account's managed disaster recovery: failover groups and stable URLs. */
  public dev.failover.simulator.databricks.DisasterRecoveryState disasterRecovery() {
    return disasterRecovery;
  }

  public S3State s3() {
    return s3;
  }

  /** The IAM roles S3 replication assumes. */
  public IamState iam() {
    return iam;
  }

  /** IAM's URL, dialled instead of {@code https://iam.amazonaws.com}. */
  public URI iamUrl() {
    return URI.create("http://127.0.0.1:" + iamServer.getAddress().getPort());
  }

  /**
   * KMS's URL, dialled instead of {@code https://kms.REGION.amazonaws.com}: one endpoint for every
   * region, each request's region read from its SigV4 credential scope.
   */
  public URI kmsUrl() {
    return URI.create("http://127.0.0.1:" + kmsServer.getAddress().getPort());
  }

  /** STS's URL, dialled instead of {@code https://sts.amazonaws.com} (GetCallerIdentity). */
  public URI stsUrl() {
    return URI.create("http://127.0.0.1:" + stsServer.getAddress().getPort());
  }

  /**
   * CloudWatch's URL, dialled instead of {@code https://monitoring.REGION.amazonaws.com}: one
   * endpoint for every region, each request's region read from its SigV4 credential scope.
   */
  public URI cloudWatchUrl() {
    return URI.create("http://127.0.0.1:" + cloudWatchServer.getAddress().getPort());
  }

  /**
   * The simulated CloudWatch, for its test fixtures ({@link CloudWatchApi#failResults}, {@link
   * CloudWatchApi#failResultsOf}).
   */
  public CloudWatchApi cloudWatch() {
    return cloudWatch;
  }

  /** Adds this much latency to every request of one service on one side (0 removes it). */
  public void setLatency(String service, String side, long millis) {
    latencyMillis.put(service + "/" + side, millis);
  }

  /** The faults to inject; none until a rule is added. */
  public Faults faults() {
    return faults;
  }

  public RequestLog requests() {
    return requests;
  }

  /**
   * CPU time spent answering requests since the simulator started, in nanoseconds: what the request
   * threads used from a request's arrival to its answer (the HTTP server's own accepting and header
   * parsing, on its dispatcher thread, is not counted).
   */
  public long answerCpuNanos() {
    return answerCpuNanos.sum();
  }

  /** How many requests the handlers answer at once. */
  public InFlight inFlight() {
    return inFlight;
  }

  @Override
  public void close() {
    servers.forEach(server -> server.stop(0));
    executor.shutdownNow();
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "simulator-http");
      thread.setDaemon(true);
      return thread;
    };
  }
}
