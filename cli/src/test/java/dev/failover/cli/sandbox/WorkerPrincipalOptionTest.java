package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.ExitCodes;
import dev.failover.cli.FailoverCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --worker-principal} names a principal of the demo workspaces, or the command stops. */
class WorkerPrincipalOptionTest {
  @Test
  void aPrincipalTheDemoDoesNotHaveStopsTheCommandNamingTheOption() {
    CommandLine cmd = FailoverCli.commandLine();
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err));
    cmd.setOut(new PrintWriter(new StringWriter()));

    int code = cmd.execute("sandbox", "drill", "--worker-principal", "nobody@acme.example");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("--worker-principal: the sandbox has no user or service principal")
        .contains("nobody@acme.example");
  }
}
