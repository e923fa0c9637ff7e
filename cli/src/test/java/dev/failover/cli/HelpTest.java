package dev.failover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command, subcommands included, answers {@code --help} with its usage, and changes nothing.
 */
class HelpTest {
  private static String run(List<String> args, int expectedCode) {
    StringWriter out = new StringWriter();
    CommandLine cli = FailoverCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int code = cli.execute(args.toArray(String[]::new));
    assertThat(code).as(String.join(" ", args) + ": " + out).isEqualTo(expectedCode);
    return out.toString();
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> all) {
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      List<String> next = new ArrayList<>(path);
      next.add(sub.getKey());
      all.add(next);
      collect(sub.getValue(), next, all);
    }
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    List<List<String>> commands = new ArrayList<>();
    collect(FailoverCli.commandLine(), List.of(), commands);
    assertThat(commands).contains(List.of("drill"), List.of("capture-schedule", "apply"));
    for (List<String> command : commands) {
      if (command.equals(List.of("help"))) {
        continue;
      }
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      assertThat(run(args, ExitCodes.OK))
          .startsWith("Usage: failover " + String.join(" ", command));
    }
  }

  @Test
  void helpNamesACommand() {
    assertThat(run(List.of("help", "capture-schedule"), ExitCodes.OK))
        .startsWith("Usage: failover capture-schedule")
        .contains("apply", "show", "trigger", "pause", "unpause", "delete");
  }
}
