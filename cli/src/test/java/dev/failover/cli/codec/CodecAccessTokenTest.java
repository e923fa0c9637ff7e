package dev.failover.cli.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.cli.FailoverCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where the codec server's token comes from, and what a presented token must look like. */
class CodecAccessTokenTest {
  private static final String TOKEN = "q8dN3b0eVw1c2Yl5Kc9uJm7x4Hs6Rt2Z";

  @TempDir Path dir;

  @Test
  void theTokenComesFromTheEnvironmentOrAFile() throws Exception {
    Path file = dir.resolve("codec-token");
    Files.writeString(file, TOKEN + "\n");

    assertThat(
            CodecAccessToken.read(null, Map.of("FAILOVER_CODEC_TOKEN", TOKEN))
                .admits("Bearer " + TOKEN))
        .isTrue();
    assertThat(CodecAccessToken.read(file, Map.of()).admits("bearer " + TOKEN)).isTrue();
  }

  @Test
  void onlyTheSameTokenAsABearerIsAdmitted() {
    CodecAccessToken token = CodecAccessToken.of(TOKEN, "test");

    assertThat(token.admits(null)).isFalse();
    assertThat(token.admits("")).isFalse();
    assertThat(token.admits(TOKEN)).isFalse();
    assertThat(token.admits("Basic " + TOKEN)).isFalse();
    assertThat(token.admits("Bearer " + TOKEN.toLowerCase())).isFalse();
    assertThat(token.admits("Bearer " + TOKEN + "0")).isFalse();
  }

  @Test
  void noTokenOrAShortOneIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> CodecAccessToken.read(null, Map.of()))
        .hasMessageContaining("set FAILOVER_CODEC_TOKEN or give --token-file");
    assertThatThrownBy(
            () -> CodecAccessToken.read(null, Map.of("FAILOVER_CODEC_TOKEN", "short-secret")))
        .hasMessageContaining("FAILOVER_CODEC_TOKEN: the codec access token needs at least 24")
        .hasMessageNotContaining("short-secret");
    assertThatThrownBy(() -> CodecAccessToken.read(dir.resolve("missing"), Map.of()))
        .hasMessageStartingWith("--token-file: cannot read");
  }

  @Test
  void anOriginMustBeSchemeHostAndPort() {
    assertThat(CodecServer.normalizeOrigin("https://temporal.example.com/"))
        .isEqualTo("https://temporal.example.com");
    assertThatThrownBy(() -> CodecServer.normalizeOrigin("temporal.example.com"))
        .hasMessageStartingWith("--ui-origin: 'temporal.example.com' is not an origin");
    assertThatThrownBy(() -> CodecServer.normalizeOrigin("https://temporal.example.com/ui"))
        .hasMessageStartingWith("--ui-origin:");
  }

  /** The test JVM has no payload key: the command says so in one line, exit code 2. */
  @Test
  void theCommandNeedsThePayloadKey() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("FAILOVER_PAYLOAD_KEY") == null);
    StringWriter err = new StringWriter();
    CommandLine cmd = FailoverCli.commandLine();
    cmd.setErr(new PrintWriter(err));

    assertThat(cmd.execute("codec-server", "--port", "0")).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "failover: FAILOVER_PAYLOAD_KEY is not set: the codec server decodes with the"
                + " workers' payload key");
  }
}
