package dev.videocall.types.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code videocall.ReceiverReport} and {@code TileSize}, for TeaVM code: what a client received and
 * at which heights it shows each sender's camera.
 */
public final class ReceiverReport {
  /** More tiles than anyone shows; the server reads no more than this many. */
  public static final int MAX_TILES = 64;

  public long bytesReceived;
  public List<TileSize> tiles = new ArrayList<>();

  /** One sender's camera as this client shows it: its height in device pixels, 0 when hidden. */
  public static final class TileSize {
    public long sessionId;
    public int height;

    public TileSize() {}

    public TileSize(long sessionId, int height) {
      this.sessionId = sessionId;
      this.height = height;
    }
  }

  public byte[] encode() {
    ProtoWriter w = new ProtoWriter().uint64(1, bytesReceived);
    for (TileSize t : tiles) {
      w.message(2, new ProtoWriter().uint64(1, t.sessionId).uint32(2, t.height).toByteArray());
    }
    return w.toByteArray();
  }

  public static ReceiverReport decode(byte[] bytes) {
    ReceiverReport m = new ReceiverReport();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.bytesReceived = r.uint64();
        case 2 -> m.tiles.add(readTile(r.message()));
        default -> r.skip();
      }
    }
    return m;
  }

  private static TileSize readTile(ProtoReader r) {
    TileSize t = new TileSize();
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> t.sessionId = r.uint64();
        case 2 -> t.height = r.int32();
        default -> r.skip();
      }
    }
    return t;
  }
}
