package dev.failover.cli;

import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Simulator;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code failover simulator --port N}: the simulator on its own, seeded with the demo. */
@Command(
    name = "simulator",
    description =
        "Run the Databricks and S3 simulator, seeded with the demo lakehouse, until stopped.")
final class SimulatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8765",
      description =
          "First port: the primary workspace listens on it, the secondary on the next, S3 on the"
              + " one after, the account API on the next (default: ${DEFAULT-VALUE}; 0 picks free ports)")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    Simulator simulator = Simulator.start(port, List.of("primary", "secondary"));
    DemoWorkspace.seed(simulator);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    PrintWriter out = spec.commandLine().getOut();
    for (String side : List.of("primary", "secondary")) {
      out.printf(
          "%-9s workspace %s  token %s%n",
          side, simulator.workspaceUrl(side), simulator.workspaceToken(side));
    }
    out.printf("S3        endpoint  %s (path-style, any access key)%n", simulator.s3Url());
    out.printf("IAM       endpoint  %s (SimulatePrincipalPolicy)%n", simulator.iamUrl());
    out.printf("STS       endpoint  %s (GetCallerIdentity)%n", simulator.stsUrl());
    out.printf(
        "KMS       endpoint  %s (DescribeKey; region from the signature)%n", simulator.kmsUrl());
    out.printf(
        "CloudWatch endpoint %s (GetMetricData: S3 Replication metrics)%n",
        simulator.cloudWatchUrl());
    out.printf(
        "account   %s  id %s  token %s%n",
        simulator.accountUrl(), Simulator.ACCOUNT_ID, simulator.accountToken());
    out.println("Simulator running; stop it with Ctrl-C.");
    out.flush();
    Thread.currentThread().join();
    return ExitCodes.OK;
  }
}
