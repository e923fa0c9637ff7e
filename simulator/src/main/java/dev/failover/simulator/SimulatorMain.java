package dev.failover.simulator;

import java.util.List;

/**
 * Runs the simulator on its own, seeded with the demo lakehouse, until the process is killed:
 * {@code java dev.failover.simulator.SimulatorMain [--port N]}. The primary workspace listens on
 * port N (default 8765), the secondary on N+1, S3 on N+2, the account API on N+3, IAM on N+4 and
 * CloudWatch on N+5; {@code --port 0} picks free ports.
 */
public final class SimulatorMain {
  private static final int DEFAULT_PORT = 8765;

  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = port(args);
    Simulator simulator = Simulator.start(port, List.of("primary", "secondary"));
    DemoWorkspace.seed(simulator);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "simulator-shutdown"));
    for (String side : List.of("primary", "secondary")) {
      System.out.printf(
          "%-9s workspace %s  token %s%n",
          side, simulator.workspaceUrl(side), simulator.workspaceToken(side));
    }
    System.out.printf("S3        endpoint  %s (path-style, any access key)%n", simulator.s3Url());
    System.out.printf("IAM       endpoint  %s (SimulatePrincipalPolicy)%n", simulator.iamUrl());
    System.out.printf("STS       endpoint  %s (GetCallerIdentity)%n", simulator.stsUrl());
    System.out.printf(
        "KMS       endpoint  %s (DescribeKey; region from the signature)%n", simulator.kmsUrl());
    System.out.printf(
        "CloudWatch endpoint %s (GetMetricData, ListMetrics; region from the signature)%n",
        simulator.cloudWatchUrl());
    System.out.println("Simulator running; stop it with Ctrl-C.");
    System.out.flush();
    Thread.currentThread().join();
  }

  private static int port(String[] args) {
    if (args.length == 0) {
      return DEFAULT_PORT;
    }
    if (args.length == 2 && args[0].equals("--port")) {
      try {
        return Integer.parseInt(args[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--port needs a number, got " + args[1], e);
      }
    }
    throw new IllegalArgumentException("usage: SimulatorMain [--port N]");
  }
}
