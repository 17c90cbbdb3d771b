package dev.videocall.bench;

import dev.videocall.cli.Bot;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * (a) One meeting, 5 publishers x 500 kbit/s at 30 fps, growing numbers of viewers: latency, loss,
 * and the server's CPU and memory per step, up to the first step that clearly fails.
 */
final class CapacityLadder {
  private CapacityLadder() {}

  static void run(List<Integer> steps, Duration duration, String transport) throws Exception {
    StringBuilder table =
        new StringBuilder(
            "| viewers | delivered / expected | loss | p50 ms | p99 ms | max ms | server CPU"
                + " (cores) | server RSS MB | delivered Mbit/s |\n|---|---|---|---|---|---|---|---|---|\n");
    int best = 0;
    try (ServerProcess server = ServerProcess.start("bench-ladder", Bench.ONE_MACHINE)) {
      ProcessStats stats = new ProcessStats(server.pid());
      System.err.println("warming the server up (not reported) ...");
      new Bot(
              new Bot.Config(
                  server.url(),
                  "ladder-warmup",
                  5,
                  50,
                  500,
                  30,
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(1),
                  transport))
          .run(line -> {});
      for (int viewers : steps) {
        Thread.sleep(2000); // let the previous step's sessions wind down
        double[] cpu = new double[2];
        long[] wall = new long[2];
        Bot.Result r =
            new Bot(
                    new Bot.Config(
                        server.url(),
                        "ladder-" + viewers,
                        5,
                        viewers,
                        500,
                        30,
                        duration,
                        Duration.ofSeconds(3),
                        transport))
                .run(
                    line -> System.err.print("\r" + viewers + " viewers: " + line + "   "),
                    () -> {
                      cpu[0] = stats.cpuSeconds();
                      wall[0] = System.nanoTime();
                    },
                    () -> {
                      cpu[1] = stats.cpuSeconds();
                      wall[1] = System.nanoTime();
                    });
        System.err.println();
        double cores = (cpu[1] - cpu[0]) / ((wall[1] - wall[0]) / 1e9);
        long rss = stats.rssBytes();
        table.append(
            String.format(
                Locale.ROOT,
                "| %d | %d / %d | %.3f%% | %.2f | %.2f | %.1f | %.2f | %d | %.0f |%n",
                viewers,
                r.delivered(),
                r.expected(),
                r.loss() * 100,
                r.p50Ms(),
                r.p99Ms(),
                r.maxMs(),
                cores,
                rss >> 20,
                r.deliveredMbitPerSecond()));
        boolean good = r.p99Ms() < 50 && r.delivered() >= r.expected() && r.sessionsClosed() == 0;
        if (good) {
          best = viewers;
        }
        if (r.loss() > 0.05 || r.sessionsClosed() > 0 || r.p99Ms() > 2000) {
          break; // far past the limit: larger steps only take longer to fail
        }
      }
    }
    table.append(
        String.format(
            Locale.ROOT,
            "%nLargest step with p99 < 50 ms and no loss: **%d viewers** (5 publishers, %s, %d s"
                + " measured per step after 3 s warm-up; the bot runs on the same 2 cores as the"
                + " server).%n",
            best,
            transport,
            duration.toSeconds()));
    Report.publish(
        "Capacity ladder (a)",
        "./mvnw -q -pl bench exec:java -Dexec.args=\"ladder\"",
        table.toString());
  }
}
