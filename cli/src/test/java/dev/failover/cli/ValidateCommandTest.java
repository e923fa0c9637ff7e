package dev.failover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code failover validate}: every broken runbook gets exit code 2 and errors naming the field. */
class ValidateCommandTest {
  private static final Path EXAMPLE = Path.of("..", "runbooks", "sandbox.yaml");

  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  private Result validate(String yaml) throws IOException {
    Path file = dir.resolve("runbook.yaml");
    Files.writeString(file, yaml);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = FailoverCli.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("validate", "-f", file.toString());
    return new Result(code, out.toString(), err.toString());
  }

  private static String example() {
    try {
      return Files.readString(EXAMPLE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theExampleRunbookIsValid() throws IOException {
    Result result = validate(example());
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("valid runbook acme-lakehouse (us-east-1 -> us-west-2");
  }

  static Stream<Arguments> brokenRunbooks() {
    String ok = example();
    return Stream.of(
        Arguments.of(
            "malformed YAML",
            ok.replace("name: acme-lakehouse", "name: [acme"),
            "(file): is not valid YAML at line"),
        Arguments.of(
            "unknown field",
            ok.replace("  rpoMinutes: 15", "  rpoMinutes: 15\n  rpoMinuets: 5"),
            "objectives.rpoMinuets: is not a known field"),
        Arguments.of(
            "missing required field",
            ok.replace("  region: us-west-2\n", ""),
            "secondary.region: is required"),
        Arguments.of(
            "same region on both sides",
            ok.replace("region: us-west-2", "region: us-east-1"),
            "secondary.region: must differ from primary.region (us-east-1)"),
        Arguments.of(
            "same bucket on both sides of a pair",
            ok.replace(
                "replica: {bucket: acme-lakehouse-usw2, region: us-west-2}",
                "replica: {bucket: acme-lakehouse-use1, region: us-west-2}"),
            "bucketPairs[0].replica.bucket: must differ from the primary bucket"
                + " ('acme-lakehouse-use1')"),
        Arguments.of(
            "replica in the primary's region",
            ok.replace(
                "primary: {bucket: acme-lakehouse-use1, region: us-east-1}",
                "primary: {bucket: acme-lakehouse-use1, region: us-west-2}"),
            "bucketPairs[0].replica.region: must differ from the primary bucket's region"
                + " (us-west-2)"),
        Arguments.of(
            "a role used twice",
            ok.replace("roles: [data-lake, dbfs-root,", "roles: [data-lake, data-lake,"),
            "bucketPairs[0].roles[1]: role 'data-lake' is already held by bucketPairs[0]"),
        Arguments.of(
            "an unknown role",
            ok.replace("roles: [data-lake,", "roles: [datalake,"),
            "bucketPairs[0].roles[0]: 'datalake' is not a storage role"),
        Arguments.of(
            "a bucket without its region",
            ok.replace(
                "replica: {bucket: acme-lakehouse-usw2, region: us-west-2}",
                "replica: {bucket: acme-lakehouse-usw2}"),
            "bucketPairs[0].replica.region: is required"),
        Arguments.of(
            "a reverse replication role that is not an IAM role ARN",
            ok.replace("role/s3-replication-dr", "s3-replication-dr"),
            "bucketPairs[0].reverseReplicationRoleArn: must be an IAM role ARN"),
        Arguments.of(
            "a secret instead of a profile name",
            ok.replace("credentialProfile: acme-dr", "credentialProfile: dapi0123456789abcdef0123"),
            "secondary.credentialProfile: looks like a token or access key"),
        Arguments.of(
            "plain http workspace host",
            ok.replace("https://dbc-acme-prod", "http://dbc-acme-prod"),
            "primary.workspaceHost: must be an https:// URL"),
        Arguments.of(
            "rewrite to a bucket the secondary does not have",
            ok.replace("to: s3://acme-lakehouse-usw2/", "to: s3://somewhere-else/"),
            "storagePathRewrites[0].to: names bucket 'somewhere-else', but the replica of"
                + " 'acme-lakehouse-use1' in bucketPairs is 'acme-lakehouse-usw2'"),
        Arguments.of(
            "negative objective",
            ok.replace("rtoMinutes: 30", "rtoMinutes: -5"),
            "objectives.rtoMinutes: must be greater than 0, got -5"),
        Arguments.of("wrong version", ok.replace("version: 1", "version: 2"), "version: must be 1"),
        Arguments.of(
            "name that cannot go into a workflow id",
            ok.replace("name: acme-lakehouse", "name: Acme Lakehouse!"),
            "name: must be 1-50 lowercase letters"),
        Arguments.of(
            "duplicate key",
            ok.replace("  rpoMinutes: 15", "  rpoMinutes: 15\n  rpoMinutes: 20"),
            "(file): is not valid YAML"),
        Arguments.of(
            "duplicate step names",
            ok
                + "steps:\n  custom:\n"
                + "    - {name: notify, webhook: {url: \"https://hooks.example.com/a\"}}\n"
                + "    - {name: notify, webhook: {url: \"https://hooks.example.com/b\"}}\n",
            "steps.custom[1].name: 'notify' is used by another step"),
        Arguments.of(
            "a custom step named like a built-in one",
            ok
                + "steps:\n  custom:\n"
                + "    - {name: capture, webhook: {url: \"https://hooks.example.com/a\"}}\n",
            "steps.custom[0].name: 'capture' is the name of a built-in step"),
        Arguments.of(
            "cycle in custom step dependencies",
            ok
                + "steps:\n  custom:\n"
                + "    - {name: a, dependsOn: [b], webhook: {url: \"https://h.example.com/a\"}}\n"
                + "    - {name: b, dependsOn: [a], webhook: {url: \"https://h.example.com/b\"}}\n",
            "steps.custom: dependencies form a cycle: a -> b -> a"),
        Arguments.of(
            "a webhook step with an invalid URL",
            ok
                + "steps:\n  custom:\n"
                + "    - {name: notify, webhook: {url: \"ftp://hooks.example.com/a\"}}\n",
            "steps.custom[0].webhook.url: must be an https:// URL (http:// only to localhost)"),
        Arguments.of(
            "a webhook URL with credentials",
            ok
                + "steps:\n  custom:\n"
                + "    - {name: notify, webhook: {url: \"https://u:p@hooks.example.com/a\"}}\n",
            "steps.custom[0].webhook.url: must not carry credentials"),
        Arguments.of(
            "a dependency on an unknown step",
            ok
                + "steps:\n  custom:\n"
                + "    - {name: n, dependsOn: [smoke], webhook: {url: \"https://h.example.com\"}}\n",
            "steps.custom[0].dependsOn: names 'smoke', which is neither a built-in nor a custom"),
        Arguments.of(
            "an approval placed before an unknown step",
            ok.replace(
                "  approvers: [oncall-sre]\n", "  approvers: [oncall-sre]\n  before: promote\n"),
            "approval.before: must name a step after readiness and before the report"),
        Arguments.of(
            "disabling a step the run needs",
            ok + "steps:\n  disable: [capture]\n",
            "steps.disable[0]: 'capture' cannot be disabled"),
        Arguments.of(
            "an account host over http",
            ok.replace("host: https://accounts.", "host: http://accounts."),
            "account.host: must be the account console's https:// URL"),
        Arguments.of(
            "an account id that is not a UUID",
            ok.replace("accountId: 7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17", "accountId: acme"),
            "account.accountId: must be the account's id, a UUID"),
        Arguments.of(
            "a blank account profile",
            ok.replace("credentialProfile: acme-account", "credentialProfile: \"\""),
            "account.credentialProfile: must be a non-empty string"),
        Arguments.of(
            "a workspace id that is not a positive number",
            ok.replace("secondaryWorkspaceId: 2076813776007", "secondaryWorkspaceId: 0"),
            "account.secondaryWorkspaceId: must be the workspace's id in the account, a positive"
                + " number"),
        Arguments.of(
            "an unknown account field",
            ok.replace("  primaryWorkspaceId:", "  workspaceHost: x\n  primaryWorkspaceId:"),
            "account.workspaceHost: is not a known field"),
        Arguments.of(
            "boolean given as text",
            ok.replace("required: true ", "required: maybe "),
            "approval.required: must be true or false, got 'maybe'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRunbooks")
  void brokenRunbookIsRejectedWithTheFieldNamed(String what, String yaml, String expected)
      throws IOException {
    Result result = validate(yaml);
    assertThat(result.exitCode()).as(what).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).as(what).contains(": " + expected);
    assertThat(result.err()).contains("nothing was started");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() throws IOException {
    Result result =
        validate(
            example()
                .replace("  region: us-east-1\n", "  region: nowhere\n")
                .replace("  rtoMinutes: 30\n", "")
                .replace("\nscope:", "\nscopes:"));
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("primary.region: must be an AWS region such as us-east-1, got 'nowhere'")
        .contains("objectives.rtoMinutes: is required")
        .contains("scopes: is not a known field")
        .contains("3 problem(s)");
  }

  @Test
  void missingFileIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cmd = FailoverCli.commandLine();
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("validate", "-f", dir.resolve("nope.yaml").toString());
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("nope.yaml: no such runbook file")
        .doesNotContain("Exception");
  }
}
