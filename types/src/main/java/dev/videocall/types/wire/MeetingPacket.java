package dev.videocall.types.wire;

import java.util.ArrayList;
import java.util.List;

/** {@code videocall.MeetingPacket} and {@code videocall.Participant}, for TeaVM code. */
public final class MeetingPacket {
  public static final int MEETING_STARTED = 1;
  public static final int MEETING_ENDED = 2;
  public static final int PARTICIPANT_JOINED = 3;
  public static final int PARTICIPANT_LEFT = 4;
  public static final int PARTICIPANT_ADMITTED = 6;
  public static final int PARTICIPANT_REJECTED = 7;
  public static final int WAITING_ROOM_UPDATED = 8;
  public static final int MUTE_REQUESTED = 20;
  public static final int VIDEO_STOP_REQUESTED = 21;
  public static final int HOSTS_CHANGED = 22;
  public static final int MEETING_UPDATED = 23;
  public static final int PARTICIPANT_REMOVED = 24;

  public int eventType;
  public String roomId = "";
  public long startTimeMs;
  public String message = "";
  public String creatorId = "";
  public long participantCount;
  public String targetUserId = "";
  public String roomToken = "";
  public long targetSessionId;
  public String displayName = "";
  public List<Participant> participants = new ArrayList<>();

  public byte[] encode() {
    ProtoWriter w =
        new ProtoWriter()
            .int32(1, eventType)
            .string(2, roomId)
            .uint64(3, startTimeMs)
            .string(4, message)
            .string(5, creatorId)
            .uint64(6, participantCount)
            .string(7, targetUserId)
            .string(8, roomToken)
            .uint64(20, targetSessionId)
            .string(21, displayName);
    for (Participant p : participants) {
      w.message(22, p.encode());
    }
    return w.toByteArray();
  }

  public static MeetingPacket decode(byte[] bytes) {
    MeetingPacket m = new MeetingPacket();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.eventType = r.int32();
        case 2 -> m.roomId = r.string();
        case 3 -> m.startTimeMs = r.uint64();
        case 4 -> m.message = r.string();
        case 5 -> m.creatorId = r.string();
        case 6 -> m.participantCount = r.uint64();
        case 7 -> m.targetUserId = r.string();
        case 8 -> m.roomToken = r.string();
        case 20 -> m.targetSessionId = r.uint64();
        case 21 -> m.displayName = r.string();
        case 22 -> m.participants.add(Participant.read(r.message()));
        default -> r.skip();
      }
    }
    return m;
  }

  /** {@code videocall.Participant}. */
  public static final class Participant {
    public String userId = "";
    public long sessionId;
    public String displayName = "";

    public byte[] encode() {
      return new ProtoWriter()
          .string(1, userId)
          .uint64(2, sessionId)
          .string(3, displayName)
          .toByteArray();
    }

    static Participant read(ProtoReader r) {
      Participant p = new Participant();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> p.userId = r.string();
          case 2 -> p.sessionId = r.uint64();
          case 3 -> p.displayName = r.string();
          default -> r.skip();
        }
      }
      return p;
    }
  }
}
