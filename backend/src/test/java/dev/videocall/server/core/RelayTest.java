package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.proto.MeetingPacket;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.SessionAssignedPacket;
import dev.videocall.server.bus.LocalBus;
import dev.videocall.types.CloseCodes;
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
}
