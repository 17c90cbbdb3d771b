package dev.videocall.bench;

import dev.videocall.cli.Bot;
import dev.videocall.testkit.NatsProcess;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * (b) The same publish/subscribe workload against a bare nats-server and through our server, in one
 * run: delivered throughput and latency of each, and their ratio.
 */
final class FanoutVersusNats {
  private FanoutVersusNats() {}

  static void run(List<Integer> steps, Duration duration, String transport) throws Exception {
    int publishers = 5;
    int kbps = 500;
    int fps = 30;
    StringBuilder table =
        new StringBuilder(
            "| viewers | NATS delivered | NATS p99 ms | NATS Mbit/s | server delivered | server p99"
                + " ms | server Mbit/s | ratio server/NATS (Mbit/s) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
    try (NatsProcess nats = new NatsProcess();
        ServerProcess server = ServerProcess.start("bench-fanout")) {
      for (int viewers : steps) {
        System.err.println(viewers + " viewers: bare NATS ...");
        NatsFanout.Result n =
            NatsFanout.run(
                nats.url(), publishers, viewers, kbps, fps, Duration.ofSeconds(3), duration);
        System.err.println(viewers + " viewers: videocall server ...");
        Bot.Result s =
            new Bot(
                    new Bot.Config(
                        server.url(),
                        "fanout-" + viewers,
                        publishers,
                        viewers,
                        kbps,
                        fps,
                        duration,
                        Duration.ofSeconds(3),
                        transport))
                .run(line -> System.err.print("\r  " + line + "   "));
        System.err.println();
        // the bot's publishers also receive each other: compare what viewers alone received
        double serverViewerShare = viewers / (double) (viewers + publishers - 1);
        double serverMbit = s.deliveredMbitPerSecond() * serverViewerShare;
        table.append(
            String.format(
                Locale.ROOT,
                "| %d | %.2f%% | %.2f | %.0f | %.2f%% | %.2f | %.0f | **%.2f** |%n",
                viewers,
                100.0 * n.delivered() / Math.max(1, n.expected()),
                n.p99(),
                n.mbitPerSecond(),
                100.0 * s.delivered() / Math.max(1, s.expected()),
                s.p99Ms(),
                serverMbit,
                serverMbit / n.mbitPerSecond()));
      }
    }
    table.append(
        String.format(
            Locale.ROOT,
            "%n%d publishers x %d kbit/s at %d fps (a keyframe every 2 s, five deltas' size); each"
                + " viewer is a connection of its own in both cases (NATS: a subscription to"
                + " bench.m.*; server: a %s session). %d s measured after warm-up. Server Mbit/s"
                + " counts only the viewers' share (the bot's publishers also receive each other);"
                + " its bytes include the protobuf envelope.%n",
            publishers,
            kbps,
            fps,
            transport,
            duration.toSeconds()));
    Report.publish(
        "Fan-out against bare NATS (b)",
        "./mvnw -q -pl bench exec:java -Dexec.args=\"fanout\"",
        table.toString());
  }
}
