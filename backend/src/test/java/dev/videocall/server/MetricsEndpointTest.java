package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.VideoCodec;
import dev.videocall.server.core.Counters;
import dev.videocall.types.Packets;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} through the Prometheus Java client: every counter under its old name, the
 * gauges, the JVM's metrics, and the histograms operators ask for (relay latency, outbox delay,
 * join time) with sessions per transport, after real traffic over both transports.
 */
class MetricsEndpointTest {
  @Test
  void everyCounterTheJvmAndTheLatencyHistogramsAreExposed() throws Exception {
    try (VideocallServer server = TestServer.start();
        Peer ws = Peer.join(TestServer.url(server), "ann", "m1");
        Peer wt =
            Peer.join(
                VideocallClient.to(TestServer.url(server))
                    .user("bob")
                    .meeting("m1")
                    .transport("webtransport"))) {
      for (int i = 0; i < 20; i++) {
        ws.client.send(
            Packets.media(
                Packets.videoFrame(
                    ("f" + i).getBytes(StandardCharsets.UTF_8), i == 0, i, i, VideoCodec.VP8)));
      }
      for (int i = 0; i < 20; i++) {
        wt.await("frame " + i, w -> Peer.isMedia(w, MediaType.VIDEO));
      }
      Scrape m = Scrape.of(TestServer.url(server));
      for (Counters.Name n : Counters.Name.values()) {
        assertEquals("counter", m.types.get(n.metric()), n.metric());
        assertTrue(m.samples.containsKey(n.metric()), "counter under its old name: " + n.metric());
      }
      assertTrue(m.value("videocall_packets_received_total") >= 20);
      assertEquals(2, m.value("videocall_sessions"));
      assertEquals(1, m.value("videocall_transport_sessions{transport=\"websocket\"}"));
      assertEquals(1, m.value("videocall_transport_sessions{transport=\"webtransport\"}"));
      assertEquals(1, m.value("videocall_meetings"));
      assertTrue(m.value("jvm_memory_used_bytes{area=\"heap\"}") > 0, "JVM metrics");
      assertTrue(m.samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_threads_")));
      assertTrue(m.samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_")));
      for (String h :
          new String[] {
            "videocall_relay_seconds", "videocall_outbox_delay_seconds", "videocall_join_seconds"
          }) {
        assertEquals("histogram", m.types.get(h), h);
        assertTrue(m.value(h + "_count") > 0, h + " observed");
        assertEquals(
            m.value(h + "_count"), m.value(h + "_bucket{le=\"+Inf\"}"), h + ": +Inf bucket");
      }
      assertTrue(m.value("videocall_relay_seconds_count") >= 20, "each relayed packet");
      assertTrue(m.value("videocall_join_seconds_count") >= 2, "each join");
    }
  }
}
