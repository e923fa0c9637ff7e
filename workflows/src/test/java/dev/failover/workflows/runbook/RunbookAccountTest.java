package dev.failover.workflows.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.workflows.TestRunbooks;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The runbook's optional {@code account} section: parsed, validated, and absent by default. */
class RunbookAccountTest {
  private static final String ACCOUNT =
      "account:\n"
          + "  host: https://accounts.cloud.databricks.com\n"
          + "  accountId: 7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17\n"
          + "  credentialProfile: acme-account\n"
          + "  primaryWorkspaceId: 1185969127007\n"
          + "  secondaryWorkspaceId: 2076813776007\n";

  /** The example runbook without its account section. */
  private static String withoutAccount() {
    String yaml = TestRunbooks.exampleYaml();
    int at = yaml.indexOf("\naccount:\n");
    assertThat(at).as("the example runbook has an account section").isPositive();
    return yaml.substring(0, at + 1);
  }

  @Test
  void theExampleRunbookNamesTheSimulatedAccount() {
    AccountSettings account = TestRunbooks.example().account();
    assertThat(account)
        .isEqualTo(
            new AccountSettings(
                "https://accounts.cloud.databricks.com",
                "7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17",
                "acme-account",
                1185969127007L,
                2076813776007L));
    assertThat(TestRunbooks.example().workspaceId("secondary")).isEqualTo(2076813776007L);
  }

  @Test
  void withoutTheSectionThereIsNoAccountAndCopiesKeepIt() throws Exception {
    Runbook runbook = RunbookYaml.parse(withoutAccount(), "test");
    assertThat(runbook.account()).isNull();
    Runbook example = TestRunbooks.example();
    assertThat(example.withSteps(Runbook.Steps.NONE).account()).isEqualTo(example.account());
    assertThat(example.withOnStepFailure(Runbook.OnStepFailure.DEFAULT).account())
        .isEqualTo(example.account());
    assertThat(example.withApproval(example.approval()).account()).isEqualTo(example.account());
  }

  @Test
  void aRunbookRecordedWithoutTheFieldReadsBackWithoutAnAccount() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Runbook before = RunbookYaml.parse(withoutAccount(), "test");
    var tree = json.valueToTree(before);
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("account");
    Runbook read = json.treeToValue(tree, Runbook.class);
    assertThat(read).isEqualTo(before);
    Runbook example = TestRunbooks.example();
    assertThat(json.readValue(json.writeValueAsString(example), Runbook.class)).isEqualTo(example);
  }

  static Stream<Arguments> badAccounts() {
    return Stream.of(
        Arguments.of(
            "an http host",
            ACCOUNT.replace("https://accounts", "http://accounts"),
            "account.host: must be the account console's https:// URL"),
        Arguments.of(
            "a host with a path",
            ACCOUNT.replace("cloud.databricks.com\n", "cloud.databricks.com/accounts/7a1c3e52\n"),
            "account.host: must be the account console's https:// URL without a path"),
        Arguments.of(
            "an account id that is not a UUID",
            ACCOUNT.replace("7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17", "acme"),
            "account.accountId: must be the account's id, a UUID"),
        Arguments.of(
            "a blank profile",
            ACCOUNT.replace("credentialProfile: acme-account", "credentialProfile: \" \""),
            "account.credentialProfile: must be a non-empty string"),
        Arguments.of(
            "a secret instead of a profile",
            ACCOUNT.replace("acme-account", "dapi0123456789abcdef0123"),
            "account.credentialProfile: looks like a token or access key"),
        Arguments.of(
            "a negative workspace id",
            ACCOUNT.replace("1185969127007", "-5"),
            "account.primaryWorkspaceId: must be the workspace's id in the account, a positive"
                + " number, got '-5'"),
        Arguments.of(
            "a workspace id as text",
            ACCOUNT.replace("2076813776007", "dbc-acme-dr"),
            "account.secondaryWorkspaceId: must be the workspace's id in the account"),
        Arguments.of(
            "a missing workspace id",
            ACCOUNT.replace("  secondaryWorkspaceId: 2076813776007\n", ""),
            "account.secondaryWorkspaceId: is required"),
        Arguments.of(
            "the same workspace on both sides",
            ACCOUNT.replace("2076813776007", "1185969127007"),
            "account.secondaryWorkspaceId: must differ from account.primaryWorkspaceId"),
        Arguments.of(
            "an unknown field",
            ACCOUNT + "  workspaceId: 5\n",
            "account.workspaceId: is not a known field"),
        Arguments.of("not a mapping", "account: yes\n", "account: must be a mapping"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAccounts")
  void aBadAccountIsRefusedNamingTheField(String what, String account, String expected) {
    assertThatThrownBy(() -> RunbookYaml.parse(withoutAccount() + account, "runbook.yaml"))
        .as(what)
        .isInstanceOf(InvalidRunbookException.class)
        .satisfies(
            e ->
                assertThat(((InvalidRunbookException) e).problems())
                    .extracting(p -> p.field() + ": " + p.message())
                    .singleElement()
                    .asString()
                    .startsWith(expected)
                    .doesNotContain("\n"));
  }
}
