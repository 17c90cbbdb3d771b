package dev.videocall.cli;

import dev.videocall.types.Ids;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code videocall-cli bot}: synthetic publishers and viewers, with a delivery and latency report.
 */
@Command(
    name = "bot",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Synthetic publishers and viewers in one meeting. Publishers send frames of realistic sizes"
          + " (a keyframe every 2 s, five times a delta) with send times; everyone receives"
          + " everything. Reports delivered/expected frames, loss, latency p50/p95/p99/max and"
          + " throughput over --duration, after --warmup (JIT, joins); a progress line while it"
          + " runs.",
      "With identity on, the bot creates its meeting (no waiting room) and each bot is a guest."
    })
final class BotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--meeting-id", paramLabel = "M", required = true, description = "the meeting")
  String meetingId;

  @Option(
      names = "--publishers",
      paramLabel = "N",
      defaultValue = "5",
      description = "default: ${DEFAULT-VALUE}")
  int publishers;

  @Option(
      names = "--viewers",
      paramLabel = "N",
      defaultValue = "100",
      description = "default: ${DEFAULT-VALUE}")
  int viewers;

  @Option(
      names = "--bitrate-kbps",
      paramLabel = "N",
      defaultValue = "500",
      description = "per publisher (default: ${DEFAULT-VALUE})")
  int kbps;

  @Option(
      names = "--fps",
      paramLabel = "N",
      defaultValue = "30",
      description = "default: ${DEFAULT-VALUE}")
  int fps;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = CliTypes.DurationConverter.class,
      description = "measured time (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = CliTypes.DurationConverter.class,
      description = "not measured (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "http://localhost:8080",
      description = "default: ${DEFAULT-VALUE}")
  String server;

  @Option(
      names = "--transport",
      paramLabel = "websocket|webtransport",
      defaultValue = "websocket",
      description = "default: ${DEFAULT-VALUE}")
  String transport;

  @Option(
      names = "--layers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "spatial layers per publisher, 1 to 3 (simulcast as the page's: 90/180/360 lines, the"
              + " top at --bitrate-kbps; viewers then send receiver reports); default: ${DEFAULT-VALUE}")
  int layers;

  @Option(
      names = "--temporal",
      description =
          "three temporal layers per layer, as the page's L1T3 (viewers then send receiver"
              + " reports)")
  boolean temporal;

  @Option(names = "--json", description = "the report as one JSON object")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    if (!Set.of("webtransport", "websocket").contains(transport)) {
      throw CliTypes.usage(spec, "--transport must be webtransport or websocket");
    }
    Bot.Config config =
        new Bot.Config(
            ServerUrl.parse(server),
            Ids.require("meeting id", meetingId),
            CliTypes.range(spec, "--publishers", publishers, 1, 1000),
            CliTypes.range(spec, "--viewers", viewers, 0, 100_000),
            CliTypes.range(spec, "--bitrate-kbps", kbps, 10, 50_000),
            CliTypes.range(spec, "--fps", fps, 1, 120),
            duration,
            warmup,
            transport,
            CliTypes.range(spec, "--layers", layers, 1, 3),
            0,
            null,
            temporal);
    Bot.Result r;
    try {
      r = new Bot(config).run(line -> System.err.print("\r" + line + "   "));
    } catch (java.util.concurrent.CompletionException e) {
      throw new IllegalStateException("could not join: " + Connection.reason(e), e);
    }
    System.err.println();
    System.out.print(json ? r.json() + "\n" : r.table());
    return r.sessionsClosed() > 0 ? 1 : 0;
  }
}
