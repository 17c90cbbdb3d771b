package dev.videocall.server;

import static dev.videocall.server.Peer.isMedia;
import static dev.videocall.server.Peer.media;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.MeetingPacket;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.VideoCodec;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.Packets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayIntegrationTest {
  private VideocallServer server;
  private final List<Peer> peers = new ArrayList<>();

  @AfterEach
  void stop() {
    peers.forEach(Peer::close);
    if (server != null) {
      server.close();
    }
  }

  private Peer join(String user, String meeting) {
    Peer p = Peer.join(TestServer.url(server), user, meeting);
    peers.add(p);
    return p;
  }

  private static PacketWrapper frame(String label) {
    return Packets.media(
        Packets.videoFrame(label.getBytes(StandardCharsets.UTF_8), true, 1, 0, VideoCodec.VP8));
  }

  private static String label(PacketWrapper w) {
    return media(w).getData().toStringUtf8();
  }

  @Test
  void twoMeetingsOfSeveralUsersExchangeVideoInIsolationWithoutEcho() {
    server = TestServer.start();
    String[][] meetings = {{"a1", "a2", "a3"}, {"b1", "b2", "b3"}};
    List<Peer> all = new ArrayList<>();
    for (int m = 0; m < meetings.length; m++) {
      for (String user : meetings[m]) {
        all.add(join(user, "meeting" + m));
      }
    }
    for (Peer p : all) {
      p.client.send(frame("from-" + p.client.userId()));
    }
    for (int m = 0; m < meetings.length; m++) {
      for (int i = 0; i < 3; i++) {
        Peer receiver = all.get(m * 3 + i);
        Set<String> expected = new HashSet<>();
        for (String other : meetings[m]) {
          if (!other.equals(receiver.client.userId())) {
            expected.add("from-" + other);
          }
        }
        Set<String> got = new HashSet<>();
        while (got.size() < expected.size()) {
          PacketWrapper w =
              receiver.await("video from its meeting", x -> isMedia(x, MediaType.VIDEO));
          assertEquals("from-" + w.getUserId(), label(w), "user_id names the real sender");
          got.add(label(w));
        }
        assertEquals(expected, got);
        receiver.expectNone(
            "its own or another meeting's video",
            x -> isMedia(x, MediaType.VIDEO),
            Duration.ofMillis(i == 0 ? 300 : 0));
      }
    }
  }

  @Test
  void joinsAndLeavesAreAnnouncedWithTheParticipantList() {
    server = TestServer.start();
    Peer alice = join("alice", "m1");
    MeetingPacket aliceStart = alice.awaitMeeting(MeetingEventType.MEETING_STARTED, null);
    assertEquals(0, aliceStart.getParticipantsCount());

    Peer bob =
        Peer.join(
            VideocallClient.to(TestServer.url(server))
                .user("bob")
                .meeting("m1")
                .displayName("Bob B."));
    peers.add(bob);
    MeetingPacket bobStart = bob.awaitMeeting(MeetingEventType.MEETING_STARTED, null);
    assertEquals(
        List.of("alice"), bobStart.getParticipantsList().stream().map(p -> p.getUserId()).toList());
    assertEquals(alice.client.sessionId(), bobStart.getParticipants(0).getSessionId());
    MeetingPacket joined = alice.awaitMeeting(MeetingEventType.PARTICIPANT_JOINED, "bob");
    assertEquals("Bob B.", joined.getDisplayName());
    assertEquals(bob.client.sessionId(), joined.getTargetSessionId());
    assertEquals(2, joined.getParticipantCount());

    bob.close();
    MeetingPacket left = alice.awaitMeeting(MeetingEventType.PARTICIPANT_LEFT, "bob");
    assertEquals(1, left.getParticipantCount());
    assertTrue(left.getMessage().startsWith("connection closed (1000"), left.getMessage());
  }

  @Test
  void silentClientIsClosedAfterTheHeartbeatTimeoutAndAnnounced() {
    server = TestServer.start(1 << 20, Duration.ofMillis(600));
    Peer talker = join("talker", "m1");
    Peer silent =
        Peer.join(
            VideocallClient.to(TestServer.url(server))
                .user("silent")
                .meeting("m1")
                .heartbeats(null));
    peers.add(silent);
    VideocallClient.Closed closed = silent.client.closed().orTimeout(5, TimeUnit.SECONDS).join();
    assertEquals(CloseCodes.HEARTBEAT_TIMEOUT, closed.code());
    assertEquals("no packet received for 600 ms", closed.reason());
    MeetingPacket left = talker.awaitMeeting(MeetingEventType.PARTICIPANT_LEFT, "silent");
    assertEquals("no packet received for 600 ms", left.getMessage());
    assertTrue(!talker.client.closed().isDone(), "heartbeats keep the talker in");
  }

  @Test
  void aClientCannotSpeakAsSomeoneElse() {
    server = TestServer.start();
    Peer alice = join("alice", "m1");
    Peer bob = join("bob", "m1");
    Peer mallory = join("mallory", "m1");
    mallory.client.send(
        frame("forged").toBuilder()
            .setUserId("alice")
            .setSessionId(alice.client.sessionId())
            .build());
    PacketWrapper got = bob.await("forged frame", x -> isMedia(x, MediaType.VIDEO));
    assertEquals("mallory", got.getUserId());
    assertEquals(mallory.client.sessionId(), got.getSessionId());
    PacketWrapper atAlice = alice.await("forged frame", x -> isMedia(x, MediaType.VIDEO));
    assertEquals("mallory", atAlice.getUserId());
  }

  @Test
  void oversizedAndGarbagePacketsCloseOnlyTheOffender() {
    server = TestServer.start(64 * 1024, Duration.ofSeconds(10));
    Peer alice = join("alice", "m1");
    Peer bob = join("bob", "m1");
    Peer carol = join("carol", "m2");
    Peer big = join("big", "m1");
    Peer garbage = join("garbage", "m1");

    big.client.sendRaw(new byte[100 * 1024]);
    VideocallClient.Closed bigClosed = big.client.closed().orTimeout(5, TimeUnit.SECONDS).join();
    assertEquals(CloseCodes.TOO_BIG, bigClosed.code());
    assertTrue(
        bigClosed.reason().contains("too large") || bigClosed.reason().contains("limit"),
        bigClosed.reason());

    garbage.client.sendRaw(
        new byte[] {
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff
        });
    VideocallClient.Closed garbageClosed =
        garbage.client.closed().orTimeout(5, TimeUnit.SECONDS).join();
    assertEquals(CloseCodes.UNPARSEABLE, garbageClosed.code());
    assertEquals("packet is not a PacketWrapper", garbageClosed.reason());

    alice.awaitMeeting(MeetingEventType.PARTICIPANT_LEFT, "big");
    alice.awaitMeeting(MeetingEventType.PARTICIPANT_LEFT, "garbage");
    alice.client.send(frame("still-here"));
    assertEquals(
        "still-here",
        label(bob.await("frame after the offenders left", x -> isMedia(x, MediaType.VIDEO))));
    carol.client.send(frame("other-meeting"));
    assertTrue(
        !alice.client.closed().isDone()
            && !bob.client.closed().isDone()
            && !carol.client.closed().isDone());
    assertEquals(1, server.relay().counters().get(Name.CLOSED_TOO_BIG));
    assertEquals(1, server.relay().counters().get(Name.CLOSED_UNPARSEABLE));
  }

  @Test
  void unknownPacketTypesAreDroppedAndCounted() {
    server = TestServer.start();
    Peer alice = join("alice", "m1");
    Peer bob = join("bob", "m1");
    alice.client.send(PacketWrapper.newBuilder().setPacketTypeValue(99).build());
    alice.client.send(PacketWrapper.newBuilder().setPacketType(PacketType.MEETING).build());
    alice.client.send(frame("after"));
    assertEquals("after", label(bob.await("frame", x -> isMedia(x, MediaType.VIDEO))));
    bob.expectNone(
        "an unknown or server-only packet from alice",
        x -> x.getUserId().equals("alice") && x.getPacketType() != PacketType.MEDIA,
        Duration.ofMillis(200));
    assertEquals(1, server.relay().counters().get(Name.DROPPED_UNKNOWN_TYPE));
    assertEquals(1, server.relay().counters().get(Name.DROPPED_SERVER_ONLY_TYPE));
    assertTrue(!alice.client.closed().isDone(), "dropping is not closing");
  }

  @Test
  void invalidIdsAreRefusedWithHttp400BeforeTheUpgrade() throws Exception {
    server = TestServer.start();
    URI base = TestServer.url(server);
    for (String path :
        new String[] {
          "/lobby/a*b/m1",
          "/lobby/alice/" + "x".repeat(65),
          "/lobby/alice/m1?attempt=page.1",
          "/lobby/alice/m1?attempt=" + "x".repeat(6000) + "-1"
        }) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      CompletionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CompletionException.class,
              () ->
                  http.newWebSocketBuilder()
                      .buildAsync(
                          URI.create("ws://127.0.0.1:" + server.httpPort() + path),
                          new java.net.http.WebSocket.Listener() {})
                      .join());
      assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
      assertEquals(
          400,
          ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
    // the client library refuses such ids itself, naming the rule
    IllegalArgumentException bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> VideocallClient.to(base).user("a b").meeting("m").connect());
    assertTrue(bad.getMessage().startsWith("user id must match"), bad.getMessage());
    assertEquals(0, server.relay().sessionCount());
  }

  @Test
  void unreachableServerSaysSo() {
    CompletionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            CompletionException.class,
            () ->
                VideocallClient.to(URI.create("http://127.0.0.1:1"))
                    .user("a")
                    .meeting("m")
                    .connect()
                    .join());
    assertTrue(e.getCause() instanceof dev.videocall.client.ConnectFailed, e.toString());
    assertTrue(
        e.getCause().getMessage().startsWith("cannot reach ws://127.0.0.1:1/lobby/a/m"),
        e.getCause().getMessage());
  }

  @Test
  void healthAndMetricsReportState() throws Exception {
    server = TestServer.start();
    join("alice", "m1");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> health =
        http.send(
            java.net.http.HttpRequest.newBuilder(URI.create(TestServer.url(server) + "/healthz"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertEquals(
        "{\"status\":\"ok\",\"bus\":\"in-process\",\"sessions\":1,\"meetings\":1}", health.body());
    Scrape metrics = Scrape.of(TestServer.url(server));
    assertEquals(1, metrics.value("videocall_sessions"));
    assertEquals(1, metrics.value("videocall_sessions_opened_total"));
  }
}
