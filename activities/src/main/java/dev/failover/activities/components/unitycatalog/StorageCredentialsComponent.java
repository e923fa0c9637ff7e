package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.AwsIamRoleRequest;
import com.databricks.sdk.service.catalog.CreateStorageCredential;
import com.databricks.sdk.service.catalog.DeleteStorageCredentialRequest;
import com.databricks.sdk.service.catalog.ListStorageCredentialsRequest;
import com.databricks.sdk.service.catalog.StorageCredentialInfo;
import com.databricks.sdk.service.catalog.UpdateStorageCredential;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.StreamSupport;

/**
 * Unity Catalog storage credentials, by name. A credential keeps its captured IAM role: one role
 * serving both regions' buckets is the usual set-up, and a role is global in AWS.
 *
 * <p>The API gives a credential no tags or properties, only a comment, which is captured and
 * compared, so created credentials carry no ownership mark; a drill's ledger records the names it
 * creates instead.
 *
 * <p>A credential the runbook maps ({@code storageCredentials.map}) to one set up ahead of time on
 * the target is only verified: it must exist, and converge never creates or changes it. A
 * credential converge does create gets a new external id, which its IAM role does not trust yet:
 * the result names it, and {@link ExternalLocationsComponent} refuses locations on it until the
 * role trusts it.
 */
public final class StorageCredentialsComponent
    implements Component<StorageCredentialsComponent.StorageCredential> {

  /**
   * A storage credential for an AWS IAM role.
   *
   * @param readOnly whether it can only read
   */
  public record StorageCredential(
      String name, String roleArn, String comment, String owner, boolean readOnly) {}

  @Override
  public String name() {
    return "storage-credentials";
  }

  @Override
  public Class<StorageCredential> type() {
    return StorageCredential.class;
  }

  @Override
  public String key(StorageCredential item) {
    return item.name();
  }

  @Override
  public List<StorageCredential> read(ComponentContext workspace) {
    return workspace
        .retry()
        .databricks(
            "list storage credentials in " + workspace.host(),
            () ->
                StreamSupport.stream(
                        workspace
                            .workspace()
                            .storageCredentials()
                            .list(new ListStorageCredentialsRequest())
                            .spliterator(),
                        false)
                    .map(StorageCredentialsComponent::item)
                    .toList());
  }

  private static StorageCredential item(StorageCredentialInfo info) {
    return new StorageCredential(
        info.getName(),
        info.getAwsIamRole() == null ? null : info.getAwsIamRole().getRoleArn(),
        info.getComment(),
        info.getOwner(),
        Boolean.TRUE.equals(info.getReadOnly()));
  }

  /** The captured credential, or for a mapped one the target's credential that serves it. */
  @Override
  public StorageCredential expected(StorageCredential captured, ComponentContext target) {
    String name = target.storageCredentials().target(captured.name());
    return new StorageCredential(
        name,
        captured.roleArn(),
        captured.comment(),
        OwnershipPass.owner(captured.owner(), target),
        captured.readOnly());
  }

  /**
   * The target's credentials by name; a mapped credential that exists is taken as wanted, since it
   * is verified to exist and never compared: it belongs to whoever set it up ahead of time.
   */
  @Override
  public Map<String, StorageCredential> current(
      ComponentContext target, List<StorageCredential> wanted) {
    Map<String, StorageCredential> current = new LinkedHashMap<>();
    read(target).forEach(have -> current.put(have.name(), have));
    for (StorageCredential want : wanted) {
      if (target.storageCredentials().isMappedTarget(want.name())
          && current.containsKey(want.name())) {
        current.put(want.name(), want);
      }
    }
    return current;
  }

  @Override
  public List<String> differences(StorageCredential want, StorageCredential have) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(want.roleArn(), have.roleArn())) {
      differences.add("role_arn");
    }
    if (!Objects.equals(want.comment(), have.comment())) {
      differences.add("comment");
    }
    // The owner is not compared here: the ownership pass gives it after the grants
    // (OwnershipPass), since an owner change takes the worker's rights on the object away.
    if (want.readOnly() != have.readOnly()) {
      differences.add("read_only");
    }
    return differences;
  }

  /**
   * A mapped credential that the target lacks fails the step before anything is created, naming
   * every one: it must be set up ahead of time, with its IAM trust in place.
   */
  @Override
  public void beforeCreating(List<StorageCredential> missing, ComponentContext target) {
    List<String> absent =
        missing.stream()
            .map(StorageCredential::name)
            .filter(target.storageCredentials()::isMappedTarget)
            .toList();
    if (!absent.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "storageCredentials.map names "
              + String.join(", ", absent)
              + ", missing in "
              + target.host()
              + ": a mapped credential is set up ahead of time (with its IAM role trusting its"
              + " external id) and never created by this tool",
          FailureTypes.NOT_FOUND);
    }
  }

  /**
   * Storage credentials are written a few at a time: names are unique, so each create or update
   * touches only its own credential.
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  /**
   * Creates the credential and says which external id its IAM role must trust before any external
   * location can use it: a new credential has an external id of its own.
   */
  @Override
  public List<String> createDescribed(StorageCredential want, ComponentContext target) {
    create(want, target);
    StorageCredentialInfo info =
        target
            .retry()
            .databricks(
                "read storage credential " + want.name() + " in " + target.host(),
                () -> target.workspace().storageCredentials().get(want.name()));
    String externalId = info.getAwsIamRole() == null ? null : info.getAwsIamRole().getExternalId();
    return List.of(
        want.name()
            + " created: add external id "
            + externalId
            + " to the trust policy of IAM role "
            + want.roleArn()
            + " (sts:ExternalId) before external locations can use it");
  }

  /** Creates the credential; its owner is given by the ownership pass ({@link OwnershipPass}). */
  @Override
  public void create(StorageCredential want, ComponentContext target) {
    target
        .retry()
        .databricksCreate(
            "create storage credential " + want.name() + " in " + target.host(),
            () ->
                target
                    .workspace()
                    .storageCredentials()
                    .create(
                        new CreateStorageCredential()
                            .setName(want.name())
                            .setAwsIamRole(new AwsIamRoleRequest().setRoleArn(want.roleArn()))
                            .setComment(want.comment())
                            .setReadOnly(want.readOnly())));
    StorageCredential have =
        item(
            target
                .retry()
                .databricks(
                    "read storage credential " + want.name() + " in " + target.host(),
                    () -> target.workspace().storageCredentials().get(want.name())));
    List<String> differences = differences(want, have);
    if (!differences.isEmpty()) {
      update(want, have, differences, target);
    }
  }

  @Override
  public void update(
      StorageCredential want,
      StorageCredential have,
      List<String> differences,
      ComponentContext target) {
    UpdateStorageCredential update = new UpdateStorageCredential().setName(want.name());
    if (differences.contains("role_arn")) {
      update.setAwsIamRole(new AwsIamRoleRequest().setRoleArn(want.roleArn()));
    }
    if (differences.contains("comment")) {
      update.setComment(want.comment() == null ? "" : want.comment());
    }
    if (differences.contains("read_only")) {
      update.setReadOnly(want.readOnly());
    }
    target
        .retry()
        .databricks(
            "update "
                + differences
                + " of storage credential "
                + want.name()
                + " in "
                + target.host(),
            () -> target.workspace().storageCredentials().update(update));
  }

  /**
   * Deletes the credential without {@code force}: the service refuses while external locations use
   * it, and clean-up removes a drill's external locations first.
   */
  @Override
  public void delete(StorageCredential have, ComponentContext target) {
    target
        .retry()
        .databricks(
            "delete storage credential " + have.name() + " in " + target.host(),
            () -> {
              try {
                target
                    .workspace()
                    .storageCredentials()
                    .delete(new DeleteStorageCredentialRequest().setName(have.name()));
              } catch (NotFound e) {
                // Already gone.
              }
              return null;
            });
  }

  @Override
  public List<Securable> securables(StorageCredential item) {
    return List.of(new Securable("storage_credential", item.name()));
  }
}
