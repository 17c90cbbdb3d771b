package dev.videocall.types.wire;

/** {@code videocall.PacketWrapper} for TeaVM code; enum fields are their proto numbers. */
public final class PacketWrapper {
  public static final int RSA_PUB_KEY = 1;
  public static final int AES_KEY = 2;
  public static final int MEDIA = 3;
  public static final int CONNECTION = 4;
  public static final int DIAGNOSTICS = 5;
  public static final int HEALTH = 6;
  public static final int MEETING = 7;
  public static final int SESSION_ASSIGNED = 8;
  public static final int E2EE_PUBLIC_KEY = 20;
  public static final int E2EE_WRAPPED_KEY = 21;
  public static final int CHAT = 22;
  public static final int REACTION = 23;
  public static final int RECEIVER_REPORT = 24;
  public static final int LAYER_DEMAND = 25;

  public static final int KIND_VIDEO = 1;
  public static final int KIND_AUDIO = 2;
  public static final int KIND_SCREEN = 3;

  public int packetType;
  public String userId = "";
  public byte[] data;
  public long sessionId;
  public int mediaKind;
  public long targetSessionId;

  public byte[] encode() {
    return new ProtoWriter()
        .int32(1, packetType)
        .string(2, userId)
        .bytes(3, data)
        .uint64(4, sessionId)
        .int32(6, mediaKind)
        .uint64(20, targetSessionId)
        .toByteArray();
  }

  public static PacketWrapper decode(byte[] bytes) {
    PacketWrapper m = new PacketWrapper();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.packetType = r.int32();
        case 2 -> m.userId = r.string();
        case 3 -> m.data = r.bytes();
        case 4 -> m.sessionId = r.uint64();
        case 6 -> m.mediaKind = r.int32();
        case 20 -> m.targetSessionId = r.uint64();
        default -> r.skip();
      }
    }
    return m;
  }
}
