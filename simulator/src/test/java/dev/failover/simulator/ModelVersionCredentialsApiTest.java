package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.service.catalog.CreateRegisteredModelRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.simulator.databricks.WorkspaceState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * MLflow's {@code generate-temporary-credentials} for a Unity Catalog model version, called through
 * the SDK's {@code ApiClient} as MLflow's client calls it, and the credentials it answers used with
 * the real AWS SDK against the simulated S3: they reach the version's storage location, nothing
 * else.
 */
class ModelVersionCredentialsApiTest {
  private static final String MODEL = "ml.models.churn";

  private Simulator simulator;
  private WorkspaceClient workspace;
  private String location;

  @BeforeEach
  void start() throws IOException {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    WorkspaceState state = simulator.workspace("primary");
    simulator.s3().createBucket("acme", "us-east-1", "primary");
    state.createCatalog("ml", null, Map.of(), "s3://acme/uc/ml");
    state.createSchema("ml", "models", null, Map.of(), null);
    workspace
        .registeredModels()
        .create(
            new CreateRegisteredModelRequest()
                .setCatalogName("ml")
                .setSchemaName("models")
                .setName("churn"));
    JsonNode created =
        mlflow("create", "{\"name\":\"" + MODEL + "\",\"source\":\"s3://acme/runs/1/model\"}")
            .get("model_version");
    location = created.get("storage_location").asText();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private JsonNode mlflow(String action, String body) throws IOException {
    Request request =
        new Request("POST", "/api/2.0/mlflow/unity-catalog/model-versions/" + action, body)
            .withHeader("Accept", "application/json")
            .withHeader("Content-Type", "application/json");
    try (InputStream response = workspace.apiClient().execute(request, InputStream.class)) {
      return new ObjectMapper().readTree(response);
    }
  }

  private JsonNode credentials(String version, String operation) throws IOException {
    return mlflow(
            "generate-temporary-credentials",
            "{\"name\":\""
                + MODEL
                + "\",\"version\":\""
                + version
                + "\",\"operation\":\""
                + operation
                + "\"}")
        .get("credentials");
  }

  private S3Client s3(AwsCredentials credentials) {
    return SimulatorS3.builder(simulator)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .build();
  }

  private static AwsSessionCredentials session(JsonNode credentials) {
    JsonNode aws = credentials.get("aws_temp_credentials");
    return AwsSessionCredentials.create(
        aws.get("access_key_id").asText(),
        aws.get("secret_access_key").asText(),
        aws.get("session_token").asText());
  }

  private static void put(S3Client s3, String key, String content) {
    s3.putObject(p -> p.bucket("acme").key(key), RequestBody.fromString(content));
  }

  private String prefix() {
    return location.substring("s3://acme/".length()) + "/";
  }

  private static void assertRefused(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            });
  }

  @Test
  void writeCredentialsReachTheVersionsStorageLocationOnly() throws IOException {
    long before = System.currentTimeMillis();
    JsonNode credentials = credentials("1", "MODEL_VERSION_OPERATION_READ_WRITE");
    assertThat(credentials.get("expiration_time").asLong()).isGreaterThan(before);
    assertThat(credentials.get("aws_temp_credentials").get("access_key_id").asText())
        .startsWith("ASIA");

    try (S3Client s3 = s3(session(credentials))) {
      put(s3, prefix() + "MLmodel", "flavors: {}");
      put(s3, prefix() + "data/model.pkl", "pickle");
      assertThat(
              s3.getObjectAsBytes(g -> g.bucket("acme").key(prefix() + "MLmodel")).asUtf8String())
          .isEqualTo("flavors: {}");
      assertThat(s3.listObjectsV2(l -> l.bucket("acme").prefix(prefix())).contents())
          .extracting(S3Object::key)
          .containsExactly(prefix() + "MLmodel", prefix() + "data/model.pkl");

      assertRefused(() -> put(s3, "uc/ml/elsewhere/MLmodel", "x"), 403, "AccessDenied");
      assertRefused(
          () -> put(s3, location.substring("s3://acme/".length()) + "-sibling/x", "x"),
          403,
          "AccessDenied");
      assertRefused(() -> s3.listObjectsV2(l -> l.bucket("acme")), 403, "AccessDenied");
      assertRefused(() -> s3.deleteBucket(d -> d.bucket("acme")), 403, "AccessDenied");
    }
    assertThat(simulator.s3().objectKeys("acme"))
        .containsExactly(prefix() + "MLmodel", prefix() + "data/model.pkl");

    JsonNode aws = credentials.get("aws_temp_credentials");
    try (S3Client withoutToken =
        s3(
            AwsBasicCredentials.create(
                aws.get("access_key_id").asText(), aws.get("secret_access_key").asText()))) {
      assertRefused(() -> put(withoutToken, prefix() + "x", "x"), 403, "InvalidAccessKeyId");
    }
  }

  @Test
  void readCredentialsReadButDoNotWrite() throws IOException {
    simulator.s3().putObject("acme", prefix() + "MLmodel", "m".getBytes(StandardCharsets.UTF_8));
    try (S3Client s3 = s3(session(credentials("1", "MODEL_VERSION_OPERATION_READ")))) {
      assertThat(
              s3.getObjectAsBytes(g -> g.bucket("acme").key(prefix() + "MLmodel")).asUtf8String())
          .isEqualTo("m");
      assertRefused(() -> put(s3, prefix() + "MLmodel", "changed"), 403, "AccessDenied");
    }
  }

  @Test
  void anUnknownVersionOrModelIsNotFoundAndAReadyVersionCannotBeWritten() throws IOException {
    assertThatThrownBy(() -> credentials("7", "MODEL_VERSION_OPERATION_READ_WRITE"))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessageContaining("Model version 7");
    assertThatThrownBy(
            () ->
                mlflow(
                    "generate-temporary-credentials",
                    "{\"name\":\"ml.models.nope\",\"version\":\"1\","
                        + "\"operation\":\"MODEL_VERSION_OPERATION_READ\"}"))
        .isInstanceOf(ResourceDoesNotExist.class);
    assertThatThrownBy(() -> credentials("1", "WRITE_EVERYTHING"))
        .isInstanceOf(InvalidParameterValue.class);

    mlflow("finalize", "{\"name\":\"" + MODEL + "\",\"version\":\"1\"}");
    assertThatThrownBy(() -> credentials("1", "MODEL_VERSION_OPERATION_READ_WRITE"))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("PENDING_REGISTRATION");
    assertThat(credentials("1", "MODEL_VERSION_OPERATION_READ").get("aws_temp_credentials"))
        .isNotNull();
  }

  @Test
  void deletingTheModelDeletesItsVersionsFiles() throws IOException {
    try (S3Client s3 = s3(session(credentials("1", "MODEL_VERSION_OPERATION_READ_WRITE")))) {
      put(s3, prefix() + "MLmodel", "flavors: {}");
    }
    simulator.s3().putObject("acme", "runs/1/model/MLmodel", new byte[] {1});
    workspace.registeredModels().delete(MODEL);
    assertThat(simulator.s3().objectKeys("acme")).containsExactly("runs/1/model/MLmodel");
  }
}
