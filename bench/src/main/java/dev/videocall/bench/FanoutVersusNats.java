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
            "| viewers | NATS delivered | NATS p99 ms | NATS frames/s (Mbit/s) | server delivered |"
                + " server p99 ms | server frames/s (Mbit/s) | ratio server/NATS |\n"
                + "|---|---|---|---|---|---|---|---|\n");
    try (NatsProcess nats = new NatsProcess();
        ServerProcess server = ServerProcess.start("bench-fanout", Bench.ONE_MACHINE)) {
      System.err.println("warming up both (not reported) ...");
      NatsFanout.run(
          nats.url(), publishers, 50, kbps, fps, Duration.ofSeconds(1), Duration.ofSeconds(5));
      new Bot(
              new Bot.Config(
                  server.url(),
                  "fanout-warmup",
                  publishers,
                  50,
                  kbps,
                  fps,
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(1),
                  transport))
          .run(line -> {});
      for (int viewers : steps) {
        System.err.println(viewers + " viewers: bare NATS ...");
        NatsFanout.Result n =
            NatsFanout.run(
                nats.url(), publishers, viewers, kbps, fps, Duration.ofSeconds(3), duration);
        System.err.println(viewers + " viewers: videocall server ...");
        Thread.sleep(2000); // let the previous step's connections wind down
        Bot.Result s;
        try {
          s =
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
        } catch (java.util.concurrent.CompletionException e) {
          table.append(
              String.format(
                  Locale.ROOT,
                  "| %d | %.2f%% | %.2f | %.0f (%.0f) | viewers could not join within 30 s | | | |%n",
                  viewers,
                  100.0 * n.delivered() / Math.max(1, n.expected()),
                  n.p99(),
                  n.framesPerSecond(),
                  n.mbitPerSecond()));
          break;
        }
        System.err.println();
        Thread.sleep(2000);
        // the bot's publishers also receive each other: compare what viewers alone received
        double serverViewerShare = viewers / (double) (viewers + publishers - 1);
        double serverMbit = s.deliveredMbitPerSecond() * serverViewerShare;
        double serverFrames = s.delivered() * serverViewerShare / s.seconds();
        table.append(
            String.format(
                Locale.ROOT,
                "| %d | %.2f%% | %.2f | %.0f (%.0f) | %.2f%% | %.2f | %.0f (%.0f) | **%.2f** |%n",
                viewers,
                100.0 * n.delivered() / Math.max(1, n.expected()),
                n.p99(),
                n.framesPerSecond(),
                n.mbitPerSecond(),
                100.0 * s.delivered() / Math.max(1, s.expected()),
                s.p99Ms(),
                serverFrames,
                serverMbit,
                serverFrames / n.framesPerSecond()));
      }
    }
    table.append(
        String.format(
            Locale.ROOT,
            "%n%d publishers x %d kbit/s at %d fps (a keyframe every 2 s, five deltas' size); each"
                + " viewer is a connection of its own in both cases (NATS: a subscription to"
                + " bench.m.*; server: a %s session). %d s measured after warm-up. The ratio is of"
                + " frames delivered to viewers per second (the bot's publishers also receive each"
                + " other; that share is left out); server bytes include the protobuf envelope.%n",
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
