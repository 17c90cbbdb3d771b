package dev.videocall.types.wire;

/** {@code videocall.ConnectionPacket}, for TeaVM code. */
public final class ConnectionPacket {
  public String meetingId = "";

  public byte[] encode() {
    return new ProtoWriter().string(1, meetingId).toByteArray();
  }

  public static ConnectionPacket decode(byte[] bytes) {
    ConnectionPacket m = new ConnectionPacket();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      if (f == 1) {
        m.meetingId = r.string();
      } else {
        r.skip();
      }
    }
    return m;
  }
}
