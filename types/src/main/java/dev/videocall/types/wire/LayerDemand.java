package dev.videocall.types.wire;

/**
 * {@code videocall.LayerDemand}, for TeaVM code: which spatial layers of a sender's camera the
 * receivers on one server instance get (bit i: layer i).
 */
public final class LayerDemand {
  public String instance = "";
  public int cameraLayers;

  public byte[] encode() {
    return new ProtoWriter().string(1, instance).uint32(2, cameraLayers).toByteArray();
  }

  public static LayerDemand decode(byte[] bytes) {
    LayerDemand m = new LayerDemand();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.instance = r.string();
        case 2 -> m.cameraLayers = r.int32();
        default -> r.skip();
      }
    }
    return m;
  }
}
