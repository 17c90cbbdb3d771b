package dev.videocall.types.wire;

/** {@code videocall.SessionAssignedPacket}, for TeaVM code. */
public final class SessionAssignedPacket {
  public long sessionId;
  public String userId = "";
  public String meetingId = "";
  public int heartbeatTimeoutMs;
  public int maxPacketBytes;
  public String serverId = "";

  public byte[] encode() {
    return new ProtoWriter()
        .uint64(1, sessionId)
        .string(2, userId)
        .string(3, meetingId)
        .uint32(4, heartbeatTimeoutMs)
        .uint32(5, maxPacketBytes)
        .string(6, serverId)
        .toByteArray();
  }

  public static SessionAssignedPacket decode(byte[] bytes) {
    SessionAssignedPacket m = new SessionAssignedPacket();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.sessionId = r.uint64();
        case 2 -> m.userId = r.string();
        case 3 -> m.meetingId = r.string();
        case 4 -> m.heartbeatTimeoutMs = r.int32();
        case 5 -> m.maxPacketBytes = r.int32();
        case 6 -> m.serverId = r.string();
        default -> r.skip();
      }
    }
    return m;
  }
}
