package dev.videocall.types.wire;

/** {@code videocall.ChatPacket} and {@code videocall.ReactionPacket}, for TeaVM code. */
public final class ChatPacket {
  public String text = "";
  public long sentAtMs;

  public byte[] encode() {
    return new ProtoWriter().string(1, text).uint64(2, sentAtMs).toByteArray();
  }

  public static ChatPacket decode(byte[] bytes) {
    ChatPacket m = new ChatPacket();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.text = r.string();
        case 2 -> m.sentAtMs = r.uint64();
        default -> r.skip();
      }
    }
    return m;
  }

  /** {@code videocall.ReactionPacket}. */
  public static final class Reaction {
    public String emoji = "";

    public byte[] encode() {
      return new ProtoWriter().string(1, emoji).toByteArray();
    }

    public static Reaction decode(byte[] bytes) {
      Reaction m = new Reaction();
      ProtoReader r = new ProtoReader(bytes);
      for (int f = r.next(); f != 0; f = r.next()) {
        if (f == 1) {
          m.emoji = r.string();
        } else {
          r.skip();
        }
      }
      return m;
    }
  }
}
