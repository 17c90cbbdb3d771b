package dev.videocall.server;

import static dev.videocall.server.Peer.isMedia;
import static dev.videocall.server.Peer.media;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.types.Packets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Meetings spanning two server instances on a real nats-server. */
class NatsIntegrationTest {
  private static PacketWrapper frame(String label) {
    return Packets.media(
        Packets.videoFrame(label.getBytes(StandardCharsets.UTF_8), true, 1, 0, VideoCodec.VP8));
  }

  private static Peer quietPeer(VideocallServer server, String user, String meeting) {
    return Peer.join(
        VideocallClient.to(TestServer.url(server)).user(user).meeting(meeting).heartbeats(null));
  }

  @Test
  void twoInstancesShareAMeetingWithOneNatsMessagePerInstanceNotPerParticipant() throws Exception {
    List<Peer> peers = new ArrayList<>();
    try (NatsProcess nats = new NatsProcess();
        VideocallServer one = TestServer.start(1 << 20, Duration.ofSeconds(30), nats.url());
        VideocallServer two = TestServer.start(1 << 20, Duration.ofSeconds(30), nats.url())) {
      for (int i = 0; i < 5; i++) {
        peers.add(quietPeer(one, "a" + i, "m1"));
        peers.add(quietPeer(two, "b" + i, "m1"));
      }
      Peer other = quietPeer(two, "c", "m2");
      peers.add(other);
      Peer sender = peers.get(0); // a0, on instance one
      Peer remote = peers.get(1); // b0, on instance two
      // presence crosses instances: b0 hears of a participant who joined on instance one later
      remote.awaitMeeting(MeetingEventType.PARTICIPANT_JOINED, "a4");
      Thread.sleep(300); // let join announcements finish before counting
      long inBefore = nats.varz("in_msgs");
      long outBefore = nats.varz("out_msgs");
      int frames = 100;
      for (int i = 0; i < frames; i++) {
        sender.client.send(frame("f" + i));
      }
      for (Peer p : peers.subList(1, 10)) {
        for (int i = 0; i < frames; i++) {
          PacketWrapper w = p.await("a0's frame " + i, x -> isMedia(x, MediaType.VIDEO));
          assertEquals("a0", w.getUserId());
          assertEquals("f" + i, media(w).getData().toStringUtf8(), "in order, each once");
        }
      }
      other.expectNone(
          "another meeting's media", x -> isMedia(x, MediaType.VIDEO), Duration.ofMillis(300));
      long in = nats.varz("in_msgs") - inBefore;
      long out = nats.varz("out_msgs") - outBefore;
      String report =
          String.format(
              "NATS messages for %d packets relayed to 9 participants on 2 instances: in %d, out %d"
                  + " (%.2f and %.2f per packet)%n",
              frames, in, out, in / (double) frames, out / (double) frames);
      System.out.print(report);
      Files.writeString(Path.of("target", "nats-messages.txt"), report);
      assertEquals(frames, in, "one publish per packet");
      assertEquals(frames, out, "one delivery per other instance, not per participant");
    } finally {
      peers.forEach(Peer::close);
    }
  }

  @Test
  void aNatsRestartDegradesHealthKeepsLocalMediaAndCrossInstanceMediaResumes() throws Exception {
    try (NatsProcess nats = new NatsProcess();
        VideocallServer one = TestServer.start(1 << 20, Duration.ofSeconds(30), nats.url());
        VideocallServer two = TestServer.start(1 << 20, Duration.ofSeconds(30), nats.url());
        Peer alice = Peer.join(TestServer.url(one), "alice", "m1");
        Peer bob = Peer.join(TestServer.url(two), "bob", "m1");
        Peer carol = Peer.join(TestServer.url(one), "carol", "m1")) {
      alice.client.send(frame("before"));
      assertEquals(
          "before",
          media(bob.await("frame before the outage", w -> isMedia(w, MediaType.VIDEO)))
              .getData()
              .toStringUtf8());
      carol.await("frame before the outage", w -> isMedia(w, MediaType.VIDEO));

      nats.stop();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (one.relay() != null
          && health(one).contains("\"ok\"")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(health(one).startsWith("{\"status\":\"degraded\""), health(one));
      alice.client.send(frame("during"));
      assertEquals(
          "during",
          media(
                  carol.await(
                      "a same-instance frame during the outage", w -> isMedia(w, MediaType.VIDEO)))
              .getData()
              .toStringUtf8());

      nats.start();
      long restarted = System.nanoTime();
      PacketWrapper resumed = null;
      while (resumed == null && System.nanoTime() - restarted < Duration.ofSeconds(15).toNanos()) {
        alice.client.send(frame("after"));
        try {
          resumed =
              bob.await(
                  "a frame after the restart",
                  w ->
                      isMedia(w, MediaType.VIDEO)
                          && media(w).getData().toStringUtf8().equals("after"),
                  Duration.ofMillis(100));
        } catch (AssertionError notYet) {
          // keep sending until NATS carries it again
        }
      }
      long recoveryMs = (System.nanoTime() - restarted) / 1_000_000;
      String report =
          "cross-instance media resumed " + recoveryMs + " ms after nats-server restarted\n";
      System.out.print(report);
      Files.writeString(Path.of("target", "nats-recovery.txt"), report);
      assertTrue(resumed != null && recoveryMs <= 5000, report);
      assertTrue(health(one).startsWith("{\"status\":\"ok\""), health(one));
    }
  }

  private static String health(VideocallServer server) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(TestServer.url(server) + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void instancesOnDifferentNodesOfANatsClusterShareAMeeting() throws Exception {
    int clusterA = NatsProcess.freeClusterPort();
    int clusterB = NatsProcess.freeClusterPort();
    try (NatsProcess nodeA = new NatsProcess(clusterA, clusterB);
        NatsProcess nodeB = new NatsProcess(clusterB, clusterA);
        VideocallServer one = TestServer.start(1 << 20, Duration.ofSeconds(30), nodeA.url());
        VideocallServer two = TestServer.start(1 << 20, Duration.ofSeconds(30), nodeB.url());
        Peer alice = Peer.join(TestServer.url(one), "alice", "m1");
        Peer bob = Peer.join(TestServer.url(two), "bob", "m1")) {
      // routes form and bob's instance's interest reaches node A within moments: retry until then
      long start = System.nanoTime();
      PacketWrapper first = null;
      while (first == null && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
        alice.client.send(frame("probe"));
        try {
          first =
              bob.await(
                  "a frame across the cluster",
                  w -> isMedia(w, MediaType.VIDEO),
                  Duration.ofMillis(200));
        } catch (AssertionError notYet) {
          // keep probing
        }
      }
      assertTrue(first != null, "no frame crossed the NATS cluster within 10 s");
      assertEquals("alice", first.getUserId());
      bob.client.send(frame("back"));
      PacketWrapper back =
          alice.await(
              "bob's frame across the cluster",
              w -> isMedia(w, MediaType.VIDEO) && media(w).getData().toStringUtf8().equals("back"));
      assertEquals("bob", back.getUserId());
      assertTrue(nodeA.varz("routes") >= 1 && nodeB.varz("routes") >= 1, "the nodes are routed");
    }
  }
}
