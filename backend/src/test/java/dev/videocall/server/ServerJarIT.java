package dev.videocall.server;

import static dev.videocall.server.Peer.isMedia;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.types.Packets;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar, started as a person would start it, relays within a meeting only. */
class ServerJarIT {
  @Test
  void jarRelaysMediaWithinTheMeetingOnly() throws Exception {
    String jar = System.getProperty("videocall.server.jar", "target/videocall-server.jar");
    assertTrue(new File(jar).isFile(), "packaged server jar missing: " + jar);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    File log = new File("target/server-jar-it.log");
    Process server =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                jar,
                "--http-port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--webtransport-port",
                "0",
                // this test is about the packaged relay; identity is IdentityIntegrationTest's
                "--auth",
                "none",
                "--data-dir",
                "target/server-jar-it-data")
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
      awaitHealthy(base);
      try (Peer a = Peer.join(base, "a", "m1");
          Peer b = Peer.join(base, "b", "m1");
          Peer c = Peer.join(base, "c", "m2")) {
        a.client.send(
            Packets.media(
                Packets.videoFrame(
                    "hello".getBytes(StandardCharsets.UTF_8), true, 1, 0, VideoCodec.VP8)));
        PacketWrapper got = b.await("a's frame", w -> isMedia(w, MediaType.VIDEO));
        assertEquals("a", got.getUserId());
        assertEquals("hello", Peer.media(got).getData().toStringUtf8());
        c.expectNone(
            "anything from meeting m1", w -> isMedia(w, MediaType.VIDEO), Duration.ofMillis(500));
      }
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitHealthy(URI base) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not become healthy within 30 s");
  }
}
