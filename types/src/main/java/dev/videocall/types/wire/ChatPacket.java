package dev.videocall.types.wire;

/** {@code videocall.ChatPacket} and {@code videocall.ReactionPacket}, for TeaVM code. */
public final class ChatPacket {
  public String text = "";
  public long sentAtMs;

  /** End-to-end encrypted meetings: this packet's SFrame ciphertext; text is then empty. */
  public byte[] sealed;

  public byte[] encode() {
    return new ProtoWriter().string(1, text).uint64(2, sentAtMs).bytes(3, sealed).toByteArray();
  }

  public static ChatPacket decode(byte[] bytes) {
    ChatPacket m = new ChatPacket();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.text = r.string();
        case 2 -> m.sentAtMs = r.uint64();
        case 3 -> m.sealed = r.bytes();
        default -> r.skip();
      }
    }
    return m;
  }

  /** {@code videocall.ReactionPacket}. */
  public static final class Reaction {
    public String emoji = "";
    public byte[] sealed;

    public byte[] encode() {
      return new ProtoWriter().string(1, emoji).bytes(2, sealed).toByteArray();
    }

    public static Reaction decode(byte[] bytes) {
      Reaction m = new Reaction();
      ProtoReader r = new ProtoReader(bytes);
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.emoji = r.string();
          case 2 -> m.sealed = r.bytes();
          default -> r.skip();
        }
      }
      return m;
    }
  }
}
