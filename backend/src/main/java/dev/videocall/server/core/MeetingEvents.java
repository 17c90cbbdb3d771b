package dev.videocall.server.core;

import com.google.protobuf.ByteString;
import dev.videocall.proto.MeetingPacket;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.Participant;
import dev.videocall.proto.SessionAssignedPacket;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Packet.Stream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The packets the server writes itself, in one place: SESSION_ASSIGNED and MEETING_STARTED to a
 * newcomer, PARTICIPANT_JOINED / LEFT to the others, and the meeting events of hosts' decisions
 * (notices). Clients may not send any of these ({@link Ingress}).
 */
public final class MeetingEvents {
  /** The events a notice may carry (between instances too: anything else is refused). */
  public static final Set<MeetingEventType> NOTICE_EVENTS =
      EnumSet.of(
          MeetingEventType.MEETING_ENDED,
          MeetingEventType.PARTICIPANT_ADMITTED,
          MeetingEventType.PARTICIPANT_REJECTED,
          MeetingEventType.WAITING_ROOM_UPDATED,
          MeetingEventType.MUTE_REQUESTED,
          MeetingEventType.VIDEO_STOP_REQUESTED,
          MeetingEventType.HOSTS_CHANGED,
          MeetingEventType.MEETING_UPDATED,
          MeetingEventType.PARTICIPANT_REMOVED);

  private MeetingEvents() {}

  static ByteString assigned(Session s, int heartbeatTimeoutMs, int maxPacketBytes, String server) {
    return SessionAssignedPacket.newBuilder()
        .setSessionId(s.id())
        .setUserId(s.userId())
        .setMeetingId(s.meetingId())
        .setHeartbeatTimeoutMs(heartbeatTimeoutMs)
        .setMaxPacketBytes(maxPacketBytes)
        .setServerId(server)
        .build()
        .toByteString();
  }

  /** To a newcomer: who is already there, here and on other instances. */
  static ByteString started(Room room, List<Member> present) {
    MeetingPacket.Builder b =
        MeetingPacket.newBuilder()
            .setEventType(MeetingEventType.MEETING_STARTED)
            .setRoomId(room.meetingId())
            .setStartTimeMs(room.startedAtMillis())
            .setCreatorId(room.creatorId());
    for (Member m : present) {
      b.addParticipants(participant(m));
    }
    return b.setParticipantCount(b.getParticipantsCount() + 1L).build().toByteString();
  }

  private static Participant.Builder participant(Member m) {
    return Participant.newBuilder()
        .setUserId(m.userId())
        .setSessionId(m.sessionId())
        .setDisplayName(m.displayName());
  }

  /** Someone joined or left. */
  static MeetingPacket membership(
      MeetingEventType type, Member about, String message, long participantCount) {
    return MeetingPacket.newBuilder()
        .setEventType(type)
        .setRoomId(about.meetingId())
        .setTargetUserId(about.userId())
        .setTargetSessionId(about.sessionId())
        .setDisplayName(about.displayName())
        .setMessage(message)
        .setParticipantCount(participantCount)
        .build();
  }

  /**
   * A host's decision for a meeting's participants: {@code target} the user it concerns ("" for
   * everyone), {@code by} the display name of the host who made it.
   */
  public static MeetingPacket notice(
      MeetingEventType type, String meetingId, String target, String by, String message) {
    if (!NOTICE_EVENTS.contains(type)) {
      throw new IllegalArgumentException(type + " is not a notice");
    }
    return MeetingPacket.newBuilder()
        .setEventType(type)
        .setRoomId(meetingId)
        .setTargetUserId(target)
        .setDisplayName(by)
        .setMessage(message)
        .build();
  }

  /** A server-authored packet about {@code about}, never delivered back to it by fan-out. */
  static Packet serverPacket(Member about, PacketType type, ByteString data) {
    return packet(about.meetingId(), about.userId(), about.sessionId(), type, data);
  }

  /** A server-authored packet about nobody in particular (sender session 0: everyone gets it). */
  static Packet fromServer(String meetingId, PacketType type, ByteString data) {
    return packet(meetingId, "", 0, type, data);
  }

  private static Packet packet(
      String meetingId, String userId, long sessionId, PacketType type, ByteString data) {
    byte[] bytes =
        PacketWrapper.newBuilder()
            .setPacketType(type)
            .setUserId(userId)
            .setSessionId(sessionId)
            .setData(data)
            .build()
            .toByteArray();
    return new Packet(meetingId, userId, sessionId, 0, Priority.CONTROL, Stream.NONE, bytes);
  }
}
