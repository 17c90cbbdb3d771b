package dev.videocall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.testkit.LinkEmulator;
import dev.videocall.testkit.ServerProcess;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Temporal layers against the real server, without simulcast: two publishers of 500 kbit/s in L1T3
 * as the page sends them, one viewer on a 600 kbit/s link (testkit's LinkEmulator) and one straight
 * to the server. The limited viewer's link cannot carry both streams: the server must take their
 * upper temporal layers away from it (TemporalGate, from the viewer's receiver reports) rather than
 * queue seconds of frames, and give the other viewer everything. Without temporal layers ({@code
 * -Dbot.temporal.off=true}, so that it fails) the limited viewer's frames queued: p50 6.4 s, p99
 * 8.1 s. With the first gate (every layer back at each keyframe) it failed too, p50 597 ms, p99
 * 1.06 s; with layers coming back one per keyframe, and to the link one a second: p50 306 ms, p99
 * 836 ms.
 */
class BotTemporalIntegrationTest {
  @Test
  void aCongestedViewerLosesUpperTemporalLayersNotSeconds() throws Exception {
    try (ServerProcess server = ServerProcess.start("cli-bot-temporal");
        LinkEmulator link = LinkEmulator.tcp(server.httpPort)) {
      link.setDown(LinkEmulator.Conditions.rate(600_000));
      Bot.Result r =
          new Bot(
                  new Bot.Config(
                      server.url(),
                      "bot-temporal",
                      2,
                      2,
                      500,
                      30,
                      Duration.ofSeconds(10),
                      Duration.ofSeconds(6),
                      "websocket",
                      1,
                      1,
                      URI.create("http://127.0.0.1:" + link.port()),
                      !Boolean.getBoolean("bot.temporal.off")))
              .run(line -> {});
      long notForwarded = server.metric("videocall_temporal_layer_not_forwarded_total");
      String report =
          r.table()
              + "limited's temporal layers "
              + Bot.Result.shares(r.limitedFramesByTemporal())
              + String.format(
                  ", limited p50 %.1f ms p99 %.1f ms, worst from the start %d ms",
                  r.limitedP50Ms(), r.limitedP99Ms(), r.limitedWorstMs())
              + ", not forwarded "
              + notForwarded;
      System.out.println(report);
      assertEquals(0, r.sessionsClosed(), report);
      assertTrue(notForwarded > 0, "the gate took layers away: " + report);
      // L1T3 sends twice as many layer-2 frames as layer-0 ones; the limited viewer got fewer
      long t0 = r.limitedFramesByTemporal().get(0);
      long t2 = r.limitedFramesByTemporal().get(2);
      assertTrue(t0 > 0 && t2 < t0, "layer 2 went first: " + report);
      assertTrue(r.limitedP50Ms() < 500, "the limited link does not queue: " + report);
      assertTrue(r.limitedP99Ms() < 1500, "nor seconds at worst: " + report);
    }
  }
}
