package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.proto.MeetingPacket;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.SessionAssignedPacket;
import dev.videocall.server.bus.LocalBus;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.ConnectionAttempt;
import dev.videocall.types.Packets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayTest {
  private final Counters counters = new Counters();
  private Relay relay = newRelay(Duration.ofSeconds(10));

  private Relay newRelay(Duration heartbeatTimeout) {
    return new Relay(
        new Relay.Config(1 << 20, 1 << 20, heartbeatTimeout, "test"),
        new LocalBus(),
        counters,
        Runnable::run);
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private static List<PacketWrapper> received(FakeLink link) throws Exception {
    List<PacketWrapper> out = new ArrayList<>();
    for (byte[] b : link.written) {
      out.add(PacketWrapper.parseFrom(b));
    }
    return out;
  }

  private static List<MeetingPacket> meetingEvents(FakeLink link) throws Exception {
    List<MeetingPacket> out = new ArrayList<>();
    for (PacketWrapper p : received(link)) {
      if (p.getPacketType() == PacketType.MEETING) {
        out.add(MeetingPacket.parseFrom(p.getData()));
      }
    }
    return out;
  }

  private void send(Session from, PacketWrapper p) {
    byte[] b = p.toByteArray();
    relay.receive(from, b, 0, b.length);
  }

  @Test
  void newcomerGetsItsSessionThenTheParticipantListAndOthersHearOfIt() throws Exception {
    FakeLink aLink = new FakeLink();
    FakeLink bLink = new FakeLink();
    Session a = relay.join("alice", "m1", "Alice", aLink);
    Session b = relay.join("bob", "m1", null, bLink);

    List<PacketWrapper> toB = received(bLink);
    assertEquals(PacketType.SESSION_ASSIGNED, toB.get(0).getPacketType());
    SessionAssignedPacket assigned = SessionAssignedPacket.parseFrom(toB.get(0).getData());
    assertEquals(b.id(), assigned.getSessionId());
    assertEquals(10_000, assigned.getHeartbeatTimeoutMs());
    MeetingPacket started = MeetingPacket.parseFrom(toB.get(1).getData());
    assertEquals(MeetingEventType.MEETING_STARTED, started.getEventType());
    assertEquals(1, started.getParticipantsCount());
    assertEquals("alice", started.getParticipants(0).getUserId());
    assertEquals("Alice", started.getParticipants(0).getDisplayName());
    assertEquals(2, started.getParticipantCount());

    MeetingPacket joined = meetingEvents(aLink).get(1);
    assertEquals(MeetingEventType.PARTICIPANT_JOINED, joined.getEventType());
    assertEquals("bob", joined.getTargetUserId());
    assertEquals(b.id(), joined.getTargetSessionId());
    assertEquals("bob", joined.getDisplayName(), "display name defaults to the user id");
    assertEquals(2, joined.getParticipantCount());

    relay.leave(b, "bye");
    MeetingPacket left = meetingEvents(aLink).get(2);
    assertEquals(MeetingEventType.PARTICIPANT_LEFT, left.getEventType());
    assertEquals("bob", left.getTargetUserId());
    assertEquals("bye", left.getMessage());
    assertEquals(1, left.getParticipantCount());
    assertEquals(1, relay.sessionCount());
    relay.leave(a, "bye");
    assertEquals(0, relay.roomCount());
  }

  @Test
  void relaysWithinTheMeetingOnlyAndNeverBackToTheSender() throws Exception {
    FakeLink aLink = new FakeLink();
    FakeLink bLink = new FakeLink();
    FakeLink cLink = new FakeLink();
    Session a = relay.join("alice", "m1", null, aLink);
    relay.join("bob", "m1", null, bLink);
    relay.join("carol", "m2", null, cLink);
    int aBefore = aLink.written.size();
    int cBefore = cLink.written.size();
    send(a, Packets.heartbeat(true, true));
    PacketWrapper got = received(bLink).get(received(bLink).size() - 1);
    assertEquals(PacketType.MEDIA, got.getPacketType());
    assertEquals("alice", got.getUserId());
    assertEquals(aBefore, aLink.written.size(), "no echo");
    assertEquals(cBefore, cLink.written.size(), "other meeting hears nothing");
  }

  @Test
  void targetedPacketsReachOnlyTheirTarget() throws Exception {
    FakeLink aLink = new FakeLink();
    FakeLink bLink = new FakeLink();
    FakeLink cLink = new FakeLink();
    Session a = relay.join("alice", "m1", null, aLink);
    Session b = relay.join("bob", "m1", null, bLink);
    relay.join("carol", "m1", null, cLink);
    int cBefore = cLink.written.size();
    send(a, Packets.keyframeRequest(b.id(), dev.videocall.proto.MediaPacket.MediaType.VIDEO));
    List<PacketWrapper> toB = received(bLink);
    assertEquals(b.id(), toB.get(toB.size() - 1).getTargetSessionId());
    assertEquals(cBefore, cLink.written.size());
  }

  @Test
  void rttProbesComeBackToTheSenderOnly() throws Exception {
    FakeLink aLink = new FakeLink();
    FakeLink bLink = new FakeLink();
    Session a = relay.join("alice", "m1", null, aLink);
    relay.join("bob", "m1", null, bLink);
    int aBefore = aLink.written.size();
    int bBefore = bLink.written.size();
    send(
        a,
        Packets.media(
            dev.videocall.proto.MediaPacket.newBuilder()
                .setMediaType(dev.videocall.proto.MediaPacket.MediaType.RTT)
                .setTimestamp(123)
                .build()));
    assertEquals(aBefore + 1, aLink.written.size());
    assertEquals(bBefore, bLink.written.size());
  }

  @Test
  void sameUserJoiningAgainReplacesTheOlderSession() throws Exception {
    FakeLink old = new FakeLink();
    FakeLink bLink = new FakeLink();
    FakeLink fresh = new FakeLink();
    Session first = relay.join("alice", "m1", null, old);
    relay.join("bob", "m1", null, bLink);
    Session second = relay.join("alice", "m1", null, fresh);
    assertEquals(CloseCodes.REPLACED, old.closeCode);
    assertTrue(first.hasLeft());
    assertEquals(2, relay.sessionCount());
    List<MeetingPacket> seenByBob = meetingEvents(bLink);
    MeetingPacket left = seenByBob.get(seenByBob.size() - 2);
    MeetingPacket joined = seenByBob.get(seenByBob.size() - 1);
    assertEquals(MeetingEventType.PARTICIPANT_LEFT, left.getEventType());
    assertEquals(first.id(), left.getTargetSessionId());
    assertEquals(MeetingEventType.PARTICIPANT_JOINED, joined.getEventType());
    assertEquals(second.id(), joined.getTargetSessionId());
    MeetingPacket started = meetingEvents(fresh).get(0);
    assertEquals(1, started.getParticipantsCount(), "the replaced session is not listed");
  }

  /**
   * The page gave up on WebTransport (not ready in time) and joined over WebSocket; the abandoned
   * WebTransport session reached the server afterwards. It used to replace the WebSocket session,
   * and the page, which closes a late WebTransport, was left with no session and the "joined from
   * another tab" notice (MeetingE2ETest failed so in a full build).
   */
  @Test
  void anOlderAttemptOfTheSamePageDoesNotReplaceItsNewerSession() throws Exception {
    FakeLink webSocket = new FakeLink();
    FakeLink lateWebTransport = new FakeLink();
    Session used = join("dave", webSocket, new ConnectionAttempt("p4ge", 2));
    Relay.Refused refused =
        assertThrows(
            Relay.Refused.class,
            () -> join("dave", lateWebTransport, new ConnectionAttempt("p4ge", 1)));
    assertEquals(CloseCodes.STALE_ATTEMPT, refused.code());
    assertEquals(0, webSocket.closeCode, "the session the page uses stays");
    assertTrue(!used.hasLeft());
    assertEquals(1, relay.sessionCount());
    assertEquals(1, relay.counters().get(Counters.Name.REFUSED_STALE_ATTEMPT));
    assertEquals(0, relay.counters().get(Counters.Name.CLOSED_REPLACED));

    // the page's reconnect (a newer attempt), another tab, and a client that does not say: replace
    FakeLink reconnect = new FakeLink();
    Session newer = join("dave", reconnect, new ConnectionAttempt("p4ge", 3));
    assertEquals(CloseCodes.REPLACED, webSocket.closeCode);
    FakeLink otherTab = new FakeLink();
    Session tab = join("dave", otherTab, new ConnectionAttempt("other", 0));
    assertEquals(CloseCodes.REPLACED, reconnect.closeCode);
    assertTrue(newer.hasLeft());
    join("dave", new FakeLink(), null);
    assertEquals(CloseCodes.REPLACED, otherTab.closeCode);
    assertTrue(tab.hasLeft());
    assertEquals(1, relay.sessionCount());
  }

  /**
   * The page fell back to WebSocket, then another tab (or a reload) replaced that session, and only
   * then did the abandoned WebTransport arrive: it must not evict the other tab (the attack review
   * found that only the live session's own attempt was compared).
   */
  @Test
  void anAbandonedAttemptArrivingAfterAnotherTabTookOverIsStillRefused() throws Exception {
    join("erin", new FakeLink(), new ConnectionAttempt("pageA", 2));
    FakeLink tabB = new FakeLink();
    join("erin", tabB, new ConnectionAttempt("pageB", 1));
    assertThrows(
        Relay.Refused.class, () -> join("erin", new FakeLink(), new ConnectionAttempt("pageA", 1)));
    assertEquals(0, tabB.closeCode, "the other tab keeps its session");
    // and through a chain of replacements, up to the remembered number of pages
    join("erin", new FakeLink(), new ConnectionAttempt("pageC", 1));
    join("erin", new FakeLink(), null);
    assertThrows(
        Relay.Refused.class, () -> join("erin", new FakeLink(), new ConnectionAttempt("pageA", 0)));
    assertThrows(
        Relay.Refused.class, () -> join("erin", new FakeLink(), new ConnectionAttempt("pageB", 0)));
    assertEquals(3, relay.counters().get(Counters.Name.REFUSED_STALE_ATTEMPT));
  }

  /**
   * A receiver that reports (a page) gets a new camera's smallest layer from the first frame and
   * climbs from there: a selector made before its next report used to start on the largest, and the
   * first keyframes of five cameras' top layers queued seconds on a 600 kbit/s link (the layered
   * ladder's limited viewers: p99 3.1 s).
   */
  @Test
  void aReceiverThatReportsGetsANewCamerasSmallestLayerFromTheFirstFrame() throws Exception {
    FakeLink viewerLink = new FakeLink();
    Session viewer = relay.join("viewer", "m1", null, viewerLink);
    send(
        viewer,
        PacketWrapper.newBuilder()
            .setPacketType(PacketType.RECEIVER_REPORT)
            .setData(
                dev.videocall.proto.ReceiverReport.newBuilder()
                    .setBytesReceived(0)
                    .build()
                    .toByteString())
            .build());
    Session cam = relay.join("cam", "m1", null, new FakeLink());
    int before = viewerLink.written.size();
    for (int layer = 2; layer >= 0; layer--) {
      dev.videocall.proto.MediaPacket m =
          Packets.videoFrame(new byte[100], true, 0, 0, dev.videocall.proto.VideoCodec.VP8);
      send(
          cam,
          Packets.media(
              m.toBuilder()
                  .setVideoMetadata(
                      m.getVideoMetadata().toBuilder()
                          .setHeight(90 << layer)
                          .setSpatialLayer(layer)
                          .setSpatialLayers(3))
                  .build()));
    }
    List<Integer> layers = new ArrayList<>();
    List<PacketWrapper> all = received(viewerLink);
    for (PacketWrapper p : all.subList(before, all.size())) {
      if (p.getMediaKind() == PacketWrapper.MediaKind.VIDEO) {
        layers.add(
            dev.videocall.proto.MediaPacket.parseFrom(p.getData())
                .getVideoMetadata()
                .getSpatialLayer());
      }
    }
    assertEquals(List.of(0), layers, "the viewer's first picture is the smallest layer's");
  }

  private Session join(String user, FakeLink link, ConnectionAttempt attempt) {
    return relay.join(user, "m1", null, link, null, Long.MAX_VALUE, false, attempt);
  }

  @Test
  void silentSessionsAreClosedAndAnnouncedAsLeft() throws Exception {
    relay.close();
    relay = newRelay(Duration.ofMillis(300));
    FakeLink quiet = new FakeLink();
    FakeLink talker = new FakeLink();
    Session q = relay.join("quiet", "m1", null, quiet);
    Session t = relay.join("talker", "m1", null, talker);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!q.hasLeft() && System.nanoTime() < deadline) {
      send(t, Packets.heartbeat(true, true));
      Thread.sleep(50);
    }
    assertTrue(q.hasLeft());
    assertEquals(CloseCodes.HEARTBEAT_TIMEOUT, quiet.closeCode);
    assertTrue(!t.hasLeft(), "a session that keeps talking stays");
    List<MeetingPacket> events = meetingEvents(talker);
    MeetingPacket left = events.get(events.size() - 1);
    assertEquals(MeetingEventType.PARTICIPANT_LEFT, left.getEventType());
    assertEquals("quiet", left.getTargetUserId());
    assertEquals(1, counters.get(Counters.Name.CLOSED_HEARTBEAT_TIMEOUT));
  }

  @Test
  void oversizedPacketClosesTheSender() {
    relay.close();
    relay =
        new Relay(
            new Relay.Config(1024, 1 << 20, Duration.ofSeconds(10), "t"),
            new LocalBus(),
            counters,
            Runnable::run);
    FakeLink link = new FakeLink();
    Session s = relay.join("big", "m1", null, link);
    byte[] big = new byte[2048];
    relay.receive(s, big, 0, big.length);
    assertEquals(CloseCodes.TOO_BIG, link.closeCode);
    assertTrue(s.hasLeft());
  }

  /**
   * Hardening issue, item 3: a newcomer whose first packets overflow its queue is closed while
   * joining; it used to leave before it entered the room, then enter it and stay forever.
   */
  @Test
  void aNewcomerClosedWhileJoiningNeverEntersTheRoom() {
    relay.close();
    relay =
        new Relay(
            new Relay.Config(1 << 20, 64, Duration.ofSeconds(10), "t"),
            new LocalBus(),
            counters,
            Runnable::run);
    FakeLink first = new FakeLink();
    first.stalled = true; // a queue that never drains: its second packet overflows
    relay.join("first", "m1", null, first);
    FakeLink second = new FakeLink();
    second.stalled = true;
    Session s = relay.join("second-with-a-longer-name", "m1", "Second", second);
    assertTrue(s.hasLeft());
    assertEquals(CloseCodes.TOO_SLOW, second.closeCode);
    assertEquals(1, relay.sessionCount(), "only the first, no ghost: " + counters.snapshot());
    assertEquals(1, relay.roomCount());
  }

  /** Hardening issue, item 4: names are bounded and printable. */
  @Test
  void displayNamesAreBoundedAndPrintable() {
    FakeLink link = new FakeLink();
    String longName = "x".repeat(6000);
    assertEquals(
        "a display name has at most 64 characters (this one has 6000)",
        assertThrows(IllegalArgumentException.class, () -> relay.join("a", "m1", longName, link))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> relay.join("a", "m1", "evil\u202Eeman", link));
    assertThrows(IllegalArgumentException.class, () -> relay.join("a", "m1", "line\nbreak", link));
    Session ok = relay.join("a", "m1", "  Zoë 山田 🎥  ", link);
    assertEquals("Zoë 山田 🎥", ok.displayName());
    assertEquals(1, relay.sessionCount());
  }

  /** Hardening issue, item 8: control packets are bounded in size and rate. */
  @Test
  void controlPacketsAreLimitedInSizeAndRateAndMediaIsNot() throws Exception {
    relay.close();
    relay =
        new Relay(
            new Relay.Config(
                1 << 20, 1 << 20, Duration.ofSeconds(10), "t", 16 * 1024, 10, 100, 100, 2000),
            new LocalBus(),
            counters,
            Runnable::run);
    FakeLink aLink = new FakeLink();
    FakeLink bLink = new FakeLink();
    Session a = relay.join("alice", "m1", null, aLink);
    relay.join("bob", "m1", null, bLink);
    int before = bLink.written.size();
    PacketWrapper bigDiagnostics =
        PacketWrapper.newBuilder()
            .setPacketType(PacketType.DIAGNOSTICS)
            .setData(com.google.protobuf.ByteString.copyFrom(new byte[1 << 20 - 100]))
            .build();
    for (int i = 0; i < 12; i++) {
      send(a, bigDiagnostics);
    }
    assertEquals(before, bLink.written.size(), "no megabyte diagnostics reach bob");
    assertEquals(12, counters.get(Counters.Name.DROPPED_CONTROL_TOO_BIG));
    assertTrue(!a.hasLeft() && bLink.closeCode == 0, "nobody is closed for it");
    for (int i = 0; i < 100; i++) {
      send(a, Packets.heartbeat(true, true));
    }
    int heartbeats = bLink.written.size() - before;
    assertTrue(heartbeats >= 20 && heartbeats <= 22, "burst of twice the rate: " + heartbeats);
    assertEquals(100 - heartbeats, counters.get(Counters.Name.DROPPED_RATE_LIMITED));
    int beforeVideo = bLink.written.size();
    for (int i = 0; i < 100; i++) {
      send(
          a,
          Packets.media(
              Packets.videoFrame(new byte[10], i == 0, i, 0, dev.videocall.proto.VideoCodec.VP8)));
    }
    assertEquals(beforeVideo + 100, bLink.written.size(), "media is not rate-limited here");
  }

  /** Hardening issue, item 8: keyframe requests must name a target, and are coalesced there. */
  @Test
  void keyframeRequestsAreTargetedAndCoalescedPerTarget() throws Exception {
    FakeLink aLink = new FakeLink();
    FakeLink bLink = new FakeLink();
    FakeLink cLink = new FakeLink();
    Session a = relay.join("alice", "m1", null, aLink);
    Session b = relay.join("bob", "m1", null, bLink);
    Session c = relay.join("carol", "m1", null, cLink);
    int toA = aLink.written.size();
    int toC = cLink.written.size();
    send(b, Packets.keyframeRequest(0, dev.videocall.proto.MediaPacket.MediaType.VIDEO));
    assertEquals(toA, aLink.written.size(), "an untargeted request reaches nobody");
    assertEquals(1, counters.get(Counters.Name.DROPPED_UNTARGETED_KEYFRAME_REQUEST));
    for (int i = 0; i < 20; i++) {
      send(b, Packets.keyframeRequest(a.id(), dev.videocall.proto.MediaPacket.MediaType.VIDEO));
      send(c, Packets.keyframeRequest(a.id(), dev.videocall.proto.MediaPacket.MediaType.VIDEO));
    }
    assertEquals(toA + 1, aLink.written.size(), "one request passes in the window");
    send(b, Packets.keyframeRequest(a.id(), dev.videocall.proto.MediaPacket.MediaType.SCREEN));
    assertEquals(toA + 2, aLink.written.size(), "the screen is another stream");
    assertEquals(toC, cLink.written.size());
    Thread.sleep(Outbox.KEYFRAME_REQUEST_COALESCE_NANOS / 1_000_000 + 20);
    send(c, Packets.keyframeRequest(a.id(), dev.videocall.proto.MediaPacket.MediaType.VIDEO));
    assertEquals(toA + 3, aLink.written.size(), "and again after the window");
  }

  /** Hardening issue, item 10: sessions in all and per address are capped. */
  @Test
  void sessionsAreCappedInAllAndPerAddress() {
    relay.close();
    relay =
        new Relay(
            new Relay.Config(
                1 << 20, 1 << 20, Duration.ofSeconds(10), "t", 16 * 1024, 50, 5, 3, 2000),
            new LocalBus(),
            counters,
            Runnable::run);
    for (int i = 0; i < 3; i++) {
      relay.join("u" + i, "m" + i, null, new FakeLink(), "10.0.0.1");
    }
    Relay.Refused perAddress =
        assertThrows(
            Relay.Refused.class, () -> relay.join("u9", "m9", null, new FakeLink(), "10.0.0.1"));
    assertEquals(CloseCodes.TRY_AGAIN_LATER, perAddress.code());
    relay.join("same", "m0", null, new FakeLink(), "10.0.0.2");
    Session last = relay.join("v", "m0", null, new FakeLink(), "10.0.0.3");
    assertThrows(
        Relay.Refused.class, () -> relay.join("w", "m0", null, new FakeLink(), "10.0.0.4"));
    assertEquals(5, relay.sessionCount());
    relay.leave(last, "bye");
    relay.join("w", "m0", null, new FakeLink(), "10.0.0.4");
    assertEquals(1, counters.get(Counters.Name.REFUSED_SESSIONS_PER_IP));
    assertEquals(1, counters.get(Counters.Name.REFUSED_SESSIONS_LIMIT));
  }

  @Test
  void aSessionAdmittedBeforeAHostRemovedItsUserOrEndedTheMeetingIsRefusedAtJoin() {
    long admittedBefore = System.nanoTime();
    FakeLink bob = new FakeLink();
    relay.join("bob", "m1", null, bob, null, admittedBefore, false);
    relay.notice(
        "m1",
        "bob",
        MeetingEvents.notice(MeetingEventType.PARTICIPANT_REMOVED, "m1", "bob", "Hana", ""),
        CloseCodes.REMOVED,
        "removed by a host");
    assertEquals(CloseCodes.REMOVED, bob.closeCode, "the one present is closed");
    // a connection of bob's whose admission was decided before the removal, arriving now
    Relay.Refused late =
        assertThrows(
            Relay.Refused.class,
            () -> relay.join("bob", "m1", null, new FakeLink(), null, admittedBefore, false));
    assertEquals(CloseCodes.REMOVED, late.code());
    // others, and anyone admitted after the decision (the database said so), are not affected
    relay.join("carol", "m1", null, new FakeLink(), null, admittedBefore, false);
    relay.join("bob", "m1", null, new FakeLink(), null, System.nanoTime(), false);

    long beforeEnd = System.nanoTime();
    relay.notice(
        "m1",
        "",
        MeetingEvents.notice(MeetingEventType.MEETING_ENDED, "m1", "", "Hana", ""),
        CloseCodes.MEETING_ENDED,
        "ended");
    assertEquals(
        CloseCodes.MEETING_ENDED,
        assertThrows(
                Relay.Refused.class,
                () -> relay.join("dave", "m1", null, new FakeLink(), null, beforeEnd, false))
            .code());
    relay.join("dave", "m2", null, new FakeLink(), null, beforeEnd, false);
  }

  @Test
  void anEndToEndEncryptedMeetingTakesOnlyClientsThatEncryptAndTheOtherWayRound() {
    relay.join("ann", "secret", null, new FakeLink(), null, System.nanoTime(), true);
    Relay.Refused plain =
        assertThrows(
            Relay.Refused.class,
            () ->
                relay.join("bob", "secret", null, new FakeLink(), null, System.nanoTime(), false));
    assertEquals(CloseCodes.E2EE_MISMATCH, plain.code());
    relay.join("cat", "secret", null, new FakeLink(), null, System.nanoTime(), true);
    relay.join("dan", "open", null, new FakeLink(), null, System.nanoTime(), false);
    Relay.Refused encrypting =
        assertThrows(
            Relay.Refused.class,
            () -> relay.join("eve", "open", null, new FakeLink(), null, System.nanoTime(), true));
    assertEquals(CloseCodes.E2EE_MISMATCH, encrypting.code());
    assertEquals(2, counters.get(Counters.Name.REFUSED_E2EE_MISMATCH));
    assertEquals(3, relay.sessionCount());
  }
}
