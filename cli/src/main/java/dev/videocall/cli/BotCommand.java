package dev.videocall.cli;

import dev.videocall.types.Ids;
import java.util.List;
import java.util.Set;

/**
 * {@code videocall-cli bot}: synthetic publishers and viewers, with a delivery and latency report.
 */
final class BotCommand {
  static final String USAGE =
      """
      videocall-cli bot --meeting-id M [--publishers 5] [--viewers 100] [--bitrate-kbps 500]
          [--fps 30] [--duration 60s] [--warmup 2s] [--server http://localhost:8080]
          [--transport websocket|webtransport] [--json]
        Publishers send frames of realistic sizes (a keyframe every 2 s, five times a delta) with
        send times; everyone receives everything. Reports delivered/expected frames, loss,
        latency p50/p95/p99/max and throughput over --duration, after --warmup (JIT, joins);
        a progress line while it runs.""";

  int run(List<String> argv) throws InterruptedException {
    Args a =
        new Args(
            argv,
            Set.of(
                "meeting-id",
                "publishers",
                "viewers",
                "bitrate-kbps",
                "fps",
                "duration",
                "warmup",
                "server",
                "transport"),
            Set.of("json"));
    String transport = a.string("transport", "websocket");
    if (!Set.of("webtransport", "websocket").contains(transport)) {
      throw new Args.UsageError("--transport must be webtransport or websocket");
    }
    Bot.Config config =
        new Bot.Config(
            ServerUrl.parse(a.string("server", "http://localhost:8080")),
            Ids.require("meeting id", a.required("meeting-id")),
            a.integer("publishers", 5, 1, 1000),
            a.integer("viewers", 100, 0, 100_000),
            a.integer("bitrate-kbps", 500, 10, 50_000),
            a.integer("fps", 30, 1, 120),
            a.duration("duration", java.time.Duration.ofSeconds(60)),
            a.duration("warmup", java.time.Duration.ofSeconds(2)),
            transport);
    boolean json = a.has("json");
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
