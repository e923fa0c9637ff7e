package dev.failover.workflows.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.workflows.TestRunbooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runbook's optional {@code managedDr} section. */
class RunbookManagedDrTest {
  private static final String ACCOUNT_ID = "7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17";

  private static String withManagedDr(String section) {
    return TestRunbooks.exampleYaml() + "managedDr:\n" + section;
  }

  @Test
  void theBundledManagedDrRunbookNamesTheDemoGroupAndStableUrl() throws Exception {
    Runbook runbook =
        RunbookYaml.parse(
            Files.readString(Path.of("..", "runbooks", "sandbox-managed-dr.yaml")), "mdr");
    assertThat(runbook.managedDr())
        .isEqualTo(
            new ManagedDr(
                "accounts/" + ACCOUNT_ID + "/failover-groups/acme-lakehouse",
                List.of("accounts/" + ACCOUNT_ID + "/stable-urls/acme-analytics"),
                10));
  }

  @Test
  void absentByDefaultAndTheTimeoutDefaults() throws Exception {
    assertThat(TestRunbooks.example().managedDr()).isNull();
    Runbook runbook =
        RunbookYaml.parse(
            withManagedDr("  failoverGroup: accounts/" + ACCOUNT_ID + "/failover-groups/g1\n"),
            "t");
    assertThat(runbook.managedDr().failoverTimeoutMinutes())
        .isEqualTo(ManagedDr.DEFAULT_TIMEOUT_MINUTES);
    assertThat(runbook.managedDr().stableUrls()).isEmpty();
  }

  @Test
  void namesOfTheWrongShapeOrAnotherAccountAreRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                RunbookYaml.parse(
                    withManagedDr(
                        "  failoverGroup: failover-groups/g1\n"
                            + "  stableUrls: [accounts/0d26daa6-5e44-4c97-a497-ef015f91254a/stable-urls/u]\n"
                            + "  failoverTimeoutMinutes: 0\n"),
                    "t"))
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessageContaining("managedDr.failoverGroup")
        .hasMessageContaining("managedDr.stableUrls[0]")
        .hasMessageContaining("managedDr.failoverTimeoutMinutes");
  }

  @Test
  void theSectionNeedsTheAccountSection() {
    String yaml = TestRunbooks.exampleYaml();
    String withoutAccount = yaml.substring(0, yaml.indexOf("\naccount:\n") + 1);
    assertThatThrownBy(
            () ->
                RunbookYaml.parse(
                    withoutAccount
                        + "managedDr:\n  failoverGroup: accounts/"
                        + ACCOUNT_ID
                        + "/failover-groups/g1\n",
                    "t"))
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessageContaining("needs the account section");
  }
}
