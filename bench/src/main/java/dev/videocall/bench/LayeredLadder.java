package dev.videocall.bench;

import dev.videocall.cli.Bot;
import dev.videocall.testkit.LinkEmulator;
import dev.videocall.testkit.ServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * (d) The forwarder under load: 5 publishers, each a simulcast camera of three layers (90/180/360
 * lines, the top at 500 kbit/s) as the page's, growing numbers of viewers of which half are on a
 * limited link (their own bottleneck each, through testkit's LinkEmulator). Each step runs twice:
 * with the three layers, where the server picks a layer per viewer from its receiver reports, and
 * with one layer, where it can only drop frames. Latency, loss, which layers each group got, and
 * the server's CPU per delivered frame.
 */
final class LayeredLadder {
  private LayeredLadder() {}

  static void run(List<Integer> steps, Duration duration, int limitKbps) throws Exception {
    StringBuilder table =
        new StringBuilder(
            "| viewers (limited) | layers | delivered / expected | unlimited p50 / p99 ms |"
                + " limited p50 / p99 / worst from the start ms | unlimited's layers (small / mid / top) | limited's"
                + " layers | server CPU (cores) | server µs per delivered frame |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
    try (ServerProcess server = ServerProcess.start("bench-layered", Bench.ONE_MACHINE)) {
      ProcessStats stats = new ProcessStats(server.pid());
      System.err.println("warming the server up (not reported) ...");
      try (LinkEmulator link = LinkEmulator.tcp(server.httpPort)) {
        link.setDown(LinkEmulator.Conditions.rate(limitKbps * 1000L));
        URI limited = URI.create("http://127.0.0.1:" + link.port());
        step(server, stats, limited, "layered-warmup", 10, 3, Duration.ofSeconds(5), null);
        for (int viewers : steps) {
          for (int layers : new int[] {3, 1}) {
            Thread.sleep(2000); // let the previous step's sessions wind down
            step(
                server,
                stats,
                limited,
                "layered-" + viewers + "-" + layers,
                viewers,
                layers,
                duration,
                table);
          }
        }
      }
    }
    table.append(
        String.format(
            Locale.ROOT,
            "%n5 publishers x 500 kbit/s (top layer) at 30 fps; half the viewers each on its own"
                + " %d kbit/s link (LinkEmulator, server to viewer); websocket; %d s measured per"
                + " step after 3 s warm-up; the bots, the emulator and the server share the 2"
                + " cores. Viewers report what they received ten times a second, as the page does;"
                + " no tile sizes (any size will do).%n",
            limitKbps,
            duration.toSeconds()));
    Report.publish(
        "Layered ladder (d): the forwarder with limited and unlimited viewers",
        "./mvnw -q -pl bench exec:java -Dexec.args=\"layered\"",
        table.toString());
  }

  private static void step(
      ServerProcess server,
      ProcessStats stats,
      URI limitedVia,
      String meeting,
      int viewers,
      int layers,
      Duration duration,
      StringBuilder table)
      throws Exception {
    double[] cpu = new double[2];
    long[] wall = new long[2];
    int limited = viewers / 2;
    Bot.Result r =
        new Bot(
                new Bot.Config(
                    server.url(),
                    meeting,
                    5,
                    viewers,
                    500,
                    30,
                    duration,
                    Duration.ofSeconds(3),
                    "websocket",
                    layers,
                    limited,
                    limited > 0 ? limitedVia : null,
                    false))
            .run(
                line -> System.err.print("\r" + meeting + ": " + line + "   "),
                () -> {
                  cpu[0] = stats.cpuSeconds();
                  wall[0] = System.nanoTime();
                },
                () -> {
                  cpu[1] = stats.cpuSeconds();
                  wall[1] = System.nanoTime();
                });
    System.err.println();
    if (table == null) {
      return;
    }
    double seconds = (wall[1] - wall[0]) / 1e9;
    double cores = (cpu[1] - cpu[0]) / seconds;
    table.append(
        String.format(
            Locale.ROOT,
            "| %d (%d) | %d | %d / %d | %.1f / %.1f | %.1f / %.1f / %d | %s | %s | %.2f | %.1f |%n",
            viewers,
            limited,
            layers,
            r.delivered(),
            r.expected(),
            r.p50Ms(),
            r.p99Ms(),
            r.limitedP50Ms(),
            r.limitedP99Ms(),
            r.limitedWorstMs(),
            layers > 1 ? Bot.Result.shares(r.unlimitedFramesByLayer()) : "-",
            layers > 1 ? Bot.Result.shares(r.limitedFramesByLayer()) : "-",
            cores,
            (cpu[1] - cpu[0]) * 1e6 / Math.max(1, r.delivered())));
  }
}
