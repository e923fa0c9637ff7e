package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.CreateExternalLocation;
import com.databricks.sdk.service.catalog.DeleteExternalLocationRequest;
import com.databricks.sdk.service.catalog.ExternalLocationInfo;
import com.databricks.sdk.service.catalog.ListExternalLocationsRequest;
import com.databricks.sdk.service.catalog.UpdateExternalLocation;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.StreamSupport;

/**
 * Unity Catalog external locations, by name, with their URLs rewritten to the replica buckets. The
 * storage credential a location names is converged before it ({@link StorageCredentialsComponent}).
 *
 * <p>In a drill every DR location is read-only, those it creates and those that were there: a drill
 * must not write into the replica buckets, which still receive the primary's replication. A later
 * failover converge sets the captured {@code read_only} back.
 *
 * <p>A location on a credential the runbook maps names the mapped credential. Before it creates a
 * location, or points one at another URL or credential, converge validates the credential for the
 * URL (read-only): a credential whose IAM role does not trust its external id (one just created,
 * say) is refused, naming the external id to trust, and a retry once the role trusts it goes on.
 * Unity Catalog itself refuses such a location unless {@code skip_validation}, which is never set.
 *
 * <p>As for credentials, the API has only a comment, which is captured and compared, so created
 * locations carry no ownership mark; a drill's ledger records the names it creates.
 */
public final class ExternalLocationsComponent
    implements Component<ExternalLocationsComponent.ExternalLocation> {

  /** An external location. */
  public record ExternalLocation(
      String name,
      String url,
      String credentialName,
      String comment,
      String owner,
      boolean readOnly) {}

  @Override
  public String name() {
    return "external-locations";
  }

  @Override
  public Class<ExternalLocation> type() {
    return ExternalLocation.class;
  }

  @Override
  public String key(ExternalLocation item) {
    return item.name();
  }

  @Override
  public List<ExternalLocation> read(ComponentContext workspace) {
    return workspace
        .retry()
        .databricks(
            "list external locations in " + workspace.host(),
            () ->
                StreamSupport.stream(
                        workspace
                            .workspace()
                            .externalLocations()
                            .list(new ListExternalLocationsRequest())
                            .spliterator(),
                        false)
                    .map(ExternalLocationsComponent::item)
                    .toList());
  }

  private static ExternalLocation item(ExternalLocationInfo info) {
    return new ExternalLocation(
        info.getName(),
        info.getUrl(),
        info.getCredentialName(),
        info.getComment(),
        info.getOwner(),
        Boolean.TRUE.equals(info.getReadOnly()));
  }

  @Override
  public ExternalLocation expected(ExternalLocation captured, ComponentContext target) {
    return new ExternalLocation(
        captured.name(),
        target.rewrite(captured.url()),
        target.storageCredentials().target(captured.credentialName()),
        captured.comment(),
        OwnershipPass.owner(captured.owner(), target),
        captured.readOnly() || target.drill());
  }

  @Override
  public List<String> differences(ExternalLocation want, ExternalLocation have) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(want.url(), have.url())) {
      differences.add("url");
    }
    if (!Objects.equals(want.credentialName(), have.credentialName())) {
      differences.add("credential_name");
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
   * External locations are written a few at a time: names are unique, so each create or update
   * touches only its own location (the credentials they use are an earlier component).
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  /** Creates the location; its owner is given by the ownership pass ({@link OwnershipPass}). */
  @Override
  public void create(ExternalLocation want, ComponentContext target) {
    requireUsable(want, target);
    target
        .retry()
        .databricksCreate(
            "create external location " + want.name() + " in " + target.host(),
            () ->
                target
                    .workspace()
                    .externalLocations()
                    .create(
                        new CreateExternalLocation()
                            .setName(want.name())
                            .setUrl(want.url())
                            .setCredentialName(want.credentialName())
                            .setComment(want.comment())
                            .setReadOnly(want.readOnly())));
    ExternalLocation have =
        item(
            target
                .retry()
                .databricks(
                    "read external location " + want.name() + " in " + target.host(),
                    () -> target.workspace().externalLocations().get(want.name())));
    List<String> differences = differences(want, have);
    if (!differences.isEmpty()) {
      update(want, have, differences, target);
    }
  }

  @Override
  public void update(
      ExternalLocation want,
      ExternalLocation have,
      List<String> differences,
      ComponentContext target) {
    if (differences.contains("url") || differences.contains("credential_name")) {
      requireUsable(want, target);
    }
    UpdateExternalLocation update = new UpdateExternalLocation().setName(want.name());
    if (differences.contains("url")) {
      update.setUrl(want.url());
    }
    if (differences.contains("credential_name")) {
      update.setCredentialName(want.credentialName());
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
                + " of external location "
                + want.name()
                + " in "
                + target.host(),
            () -> target.workspace().externalLocations().update(update));
  }

  /** Refuses the location while its credential cannot reach its URL (see the class comment). */
  private static void requireUsable(ExternalLocation want, ComponentContext target) {
    CredentialValidation.Outcome outcome =
        CredentialValidation.validate(
            target.workspace(),
            target.host(),
            target.retry(),
            want.credentialName(),
            want.url(),
            want.readOnly());
    if (!outcome.usable()) {
      throw new Refused(outcome.describe());
    }
  }

  @Override
  public void delete(ExternalLocation have, ComponentContext target) {
    target
        .retry()
        .databricks(
            "delete external location " + have.name() + " in " + target.host(),
            () -> {
              try {
                target
                    .workspace()
                    .externalLocations()
                    .delete(new DeleteExternalLocationRequest().setName(have.name()));
              } catch (NotFound e) {
                // Already gone.
              }
              return null;
            });
  }

  @Override
  public List<Securable> securables(ExternalLocation item) {
    return List.of(new Securable("external_location", item.name()));
  }
}
