package dev.failover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The worker's pacing options: a bad limits file or share is one line and exit code 2. */
class WorkerOptionsTest {
  @TempDir Path dir;

  @Test
  void aLimitsFileWithoutFamiliesIsOneLineNamingTheField() throws Exception {
    Path file = dir.resolve("limits.json");
    Files.writeString(file, "{\"name\":\"empty\"}");
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine();
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("--api-limits", file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("failover-worker: " + file + ": databricks: a list of API families is needed");
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("--api-limits-share", "1.5")).isEqualTo(2);
    assertThat(err.toString()).contains("share must be in (0, 1]: 1.5");
  }
}
