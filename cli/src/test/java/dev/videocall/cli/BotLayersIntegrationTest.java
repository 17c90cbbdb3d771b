package dev.videocall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.testkit.LinkEmulator;
import dev.videocall.testkit.ServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bot as the layered benchmarks run it, against the real server: simulcast publishers, one
 * viewer on a 300 kbit/s link (testkit's LinkEmulator) and one straight to the server. The server
 * must give the limited viewer the smallest layer and the other the top one, from the viewers'
 * receiver reports alone.
 */
class BotLayersIntegrationTest {
  @Test
  void theServerGivesEachViewerTheLayerItsLinkCarries() throws Exception {
    try (ServerProcess server = ServerProcess.start("cli-bot-layers");
        LinkEmulator link = LinkEmulator.tcp(server.httpPort)) {
      link.setDown(LinkEmulator.Conditions.rate(300_000).queue(32 * 1024));
      Bot.Result r =
          new Bot(
                  new Bot.Config(
                      server.url(),
                      "bot-layers",
                      2,
                      2,
                      500,
                      30,
                      Duration.ofSeconds(8),
                      Duration.ofSeconds(5),
                      "websocket",
                      3,
                      1,
                      URI.create("http://127.0.0.1:" + link.port())))
              .run(line -> {});
      String report =
          r.table()
              + "unlimited's layers "
              + Bot.Result.shares(r.unlimitedFramesByLayer())
              + ", limited's "
              + Bot.Result.shares(r.limitedFramesByLayer())
              + String.format(
                  ", limited p50 %.1f ms p99 %.1f ms", r.limitedP50Ms(), r.limitedP99Ms());
      System.out.println(report);
      assertEquals(0, r.sessionsClosed(), report);
      assertTrue(share(r.unlimitedFramesByLayer(), 2) >= 0.9, "unlimited on top: " + report);
      assertTrue(share(r.limitedFramesByLayer(), 0) >= 0.9, "limited on the smallest: " + report);
      assertTrue(r.limitedP99Ms() < 1000, "the limited link does not queue: " + report);
      assertTrue(r.delivered() >= r.expected() * 0.95, "frames keep coming: " + report);
    }
  }

  private static double share(List<Long> frames, int layer) {
    long all = frames.stream().mapToLong(Long::longValue).sum();
    return all == 0 ? 0 : frames.get(layer) / (double) all;
  }
}
