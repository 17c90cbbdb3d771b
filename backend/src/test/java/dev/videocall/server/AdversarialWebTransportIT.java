package dev.videocall.server;

import static dev.videocall.server.Peer.isMedia;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.VideoCodec;
import dev.videocall.testkit.ServerProcess;
import dev.videocall.types.Packets;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hardening issue, items 2, 9 and 12: what one QUIC connection can do to the packaged server with a
 * 256 MB heap. Before the fix, 300 unfinished streams were enough for OutOfMemoryErrors that killed
 * the event loop; unknown stream types logged a NullPointerException with a stack trace each.
 */
class AdversarialWebTransportIT {
  private static final int STREAMS = 2000;

  @Test
  void hostileStreamsAreBoundedAndABystanderKeepsRelaying() throws Exception {
    try (ServerProcess server =
            ServerProcess.startWithJvmOptions("adversarial-wt", List.of("-Xmx256m"));
        Peer alice = Peer.join(server.url(), "alice", "m");
        Peer bob = Peer.join(server.url(), "bob", "m")) {
      int port = webTransportPort(server);
      assertRelays(alice, bob, "before");
      long heapBefore = heapAfterGc(server);
      StringBuilder report = new StringBuilder();

      // (a) streams without any session: each is closed once its header is read
      int opened = 0;
      try (HostileQuicClient attacker = new HostileQuicClient(port)) {
        List<QuicStreamChannel> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
          QuicStreamChannel s =
              attacker.openUni(HostileQuicClient.unfinishedPacket(4, 1 << 20, 16 * 1024));
          if (s != null) {
            opened++;
            streams.add(s);
          }
        }
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.metric("videocall_webtransport_streams_refused_total") < opened
            && System.nanoTime() < until) {
          Thread.sleep(20);
        }
        report.append(
            String.format(
                "(a) %d of %d unfinished streams without a session opened; server holds %d bytes"
                    + " for them%n",
                opened, STREAMS, server.metric("videocall_webtransport_buffered_bytes")));
        assertRelays(alice, bob, "during (a)");
      }
      assertTrue(opened > 0, "the attacker could open streams at all");

      // (b) a real session, then unfinished packets on many streams of it
      try (HostileQuicClient attacker = new HostileQuicClient(port)) {
        CompletableFuture<QuicStreamChannel> connect = new CompletableFuture<>();
        String status = attacker.connect("/lobby/mallory/other", connect).get(5, TimeUnit.SECONDS);
        assertEquals("200", status);
        long session = connect.get().streamId();
        int sent = 0;
        for (int i = 0; i < 300 && attacker.quic.isActive(); i++) {
          if (attacker.openUni(HostileQuicClient.unfinishedPacket(session, 1 << 20, 32 * 1024))
              != null) {
            sent++;
          }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.metric("videocall_webtransport_buffer_limit_total") < 1
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        report.append(
            String.format(
                "(b) %d unfinished 1 MiB packets of 32 KiB on one session: connection closed at the"
                    + " buffer limit %d time(s)%n",
                sent, server.metric("videocall_webtransport_buffer_limit_total")));
        assertEquals(1, server.metric("videocall_webtransport_buffer_limit_total"));
        assertRelays(alice, bob, "during (b)");
      }

      // (c) streams of unknown types: discarded quietly, counted
      long refusedBefore = server.metric("videocall_webtransport_streams_refused_total");
      try (HostileQuicClient attacker = new HostileQuicClient(port)) {
        for (int i = 0; i < 1000; i++) {
          // not HTTP/3's, not WebTransport's, and not the reserved ("grease") ones HTTP/3 skips
          attacker.openUni(HostileQuicClient.unknownStreamType(0x55 + (i % 40)));
        }
        // (d) a CONNECT whose name does not decode: refused before the session starts
        String status =
            attacker
                .connect("/lobby/eve/m?name=%zz", new CompletableFuture<>())
                .get(5, TimeUnit.SECONDS);
        report.append("(d) CONNECT with ?name=%zz answered " + status + "\n");
        assertEquals("400", status);
        // (d') and one whose connection attempt is not <page>-<number>
        assertEquals(
            "400",
            attacker
                .connect("/lobby/eve/m?attempt=eve", new CompletableFuture<>())
                .get(5, TimeUnit.SECONDS));
      }
      long refused = server.metric("videocall_webtransport_streams_refused_total");
      report.append(
          "streams refused: "
              + refusedBefore
              + " without a session, "
              + (refused - refusedBefore)
              + " of unknown types\n");
      System.out.print(report);
      assertTrue(
          opened <= 100 && refusedBefore >= opened, "session-less streams are counted: " + report);
      assertTrue(refused - refusedBefore >= 90, "unknown stream types are counted: " + report);

      long heapAfter = heapAfterGc(server);
      report.append(
          String.format(
              "heap after GC: %d MB before the attacks, %d MB after%n",
              heapBefore >> 20, heapAfter >> 20));
      assertTrue(server.isAlive());
      assertRelays(alice, bob, "after");
      assertEquals(0, server.metric("videocall_webtransport_buffered_bytes"));
      assertTrue(heapAfter - heapBefore < 32 << 20, "the attacks left memory behind: " + report);
      String log = server.log();
      assertFalse(log.contains("\tat "), "no stack traces in the server's log:\n" + log);
      assertFalse(log.contains("OutOfMemoryError"), log);
      System.out.print(report);
      Files.writeString(Path.of("target", "adversarial-webtransport.txt"), report);
    }
  }

  private static void assertRelays(Peer from, Peer to, String label) {
    String text = "frame " + label;
    from.client.send(
        Packets.media(Packets.videoFrame(text.getBytes(), true, 1, 0, VideoCodec.VP8)));
    to.await(
        text,
        w -> isMedia(w, MediaType.VIDEO) && Peer.media(w).getData().toStringUtf8().equals(text),
        Duration.ofSeconds(5));
  }

  private static int webTransportPort(ServerProcess server) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/webtransport")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("\"url\":\"https://[^\"]*:(\\d+)\"").matcher(body);
    assertTrue(m.find(), body);
    return Integer.parseInt(m.group(1));
  }

  /** Heap in use right after a full collection, asked of the process with jcmd. */
  private static long heapAfterGc(ServerProcess server) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path jcmd = Path.of(java).resolveSibling("jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "GC.run")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    p.waitFor(20, TimeUnit.SECONDS);
    return server.metric("jvm_memory_used_bytes{area=\"heap\"}");
  }
}
