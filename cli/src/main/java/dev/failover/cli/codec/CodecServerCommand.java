package dev.failover.cli.codec;

import dev.failover.cli.CliException;
import dev.failover.cli.ExitCodes;
import dev.failover.worker.AesGcmPayloadCodec;
import dev.failover.worker.PayloadEncryption;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code failover codec-server}: Temporal's remote codec endpoint over the payload key in {@value
 * PayloadEncryption#KEY_VARIABLE}, for Temporal UI and {@code temporal workflow show}.
 */
@Command(
    name = "codec-server",
    description =
        "Serve Temporal's remote codec endpoints (/encode, /decode) with the payload key in"
            + " $FAILOVER_PAYLOAD_KEY, so that Temporal UI and the temporal CLI show decoded"
            + " runs. Requests need 'Authorization: Bearer <token>', the token read from"
            + " $FAILOVER_CODEC_TOKEN or --token-file.")
public final class CodecServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free port)")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}; serve other machines through a TLS"
              + " proxy)")
  String bind;

  @Option(
      names = "--ui-origin",
      description =
          "The Temporal UI origin browsers may call from, such as https://temporal.example.com"
              + " (default: none, every browser is refused; the temporal CLI needs none)")
  String uiOrigin;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the access token (default: $" + CodecAccessToken.TOKEN_VARIABLE + ")")
  Path tokenFile;

  @Override
  public Integer call() throws IOException, InterruptedException {
    AesGcmPayloadCodec codec =
        PayloadEncryption.fromEnvironment()
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCodes.USAGE,
                        PayloadEncryption.KEY_VARIABLE
                            + " is not set: the codec server decodes with the workers' payload"
                            + " key"));
    CodecAccessToken token;
    String origin;
    try {
      token = CodecAccessToken.read(tokenFile, System.getenv());
      origin = CodecServer.normalizeOrigin(uiOrigin);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    CodecServer server = CodecServer.start(new InetSocketAddress(bind, port), codec, origin, token);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Codec server at %s, payload key id %s, browser origin %s%n",
        server.endpoint(), codec.keyId(), origin == null ? "none (CLI only)" : origin);
    out.println("Running; stop it with Ctrl-C.");
    out.flush();
    Thread.currentThread().join();
    return ExitCodes.OK;
  }
}
