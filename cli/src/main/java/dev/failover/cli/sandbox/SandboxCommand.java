package dev.failover.cli.sandbox;

import picocli.CommandLine.Command;

/** {@code failover sandbox ...}: runs embedded on one machine, with no cloud account. */
@Command(
    name = "sandbox",
    description =
        "Run embedded on this machine: Temporal test server, simulated workspaces and S3, and a"
            + " worker.",
    subcommands = {
      SandboxDrillCommand.class,
      SandboxFailoverCommand.class,
      SandboxFailbackCommand.class,
      SandboxUpCommand.class
    })
public final class SandboxCommand {}
