package dev.videocall.types.e2ee;

/**
 * What an end-to-end encrypted meeting authenticates besides the payload (SFrame's metadata, in the
 * AAD): the media type, whether the frame is a keyframe, its sequence number and its layers. These
 * stay readable for the server (routing, layer selection, the receivers' order rule), and a server
 * that relabels a delta frame as a keyframe, or renumbers frames, makes them fail authentication.
 */
public final class E2eeMedia {
  private E2eeMedia() {}

  /**
   * Metadata of a MEDIA frame (27 bytes): type, key flag, sequence, the capture timestamp
   * (microseconds, which drives audio playout), and for video the codec and size the receiver
   * configures its decoder with.
   */
  public static byte[] media(
      int mediaType,
      boolean keyframe,
      long sequence,
      double timestampUs,
      int codec,
      int width,
      int height) {
    byte[] out = new byte[27];
    out[0] = (byte) mediaType;
    out[1] = (byte) (keyframe ? 1 : 0);
    SFrame.putBigEndian(out, 2, sequence, 8);
    SFrame.putBigEndian(out, 10, (long) timestampUs, 8);
    out[18] = (byte) codec;
    SFrame.putBigEndian(out, 19, width, 4);
    SFrame.putBigEndian(out, 23, height, 4);
    return out;
  }

  /**
   * Metadata of a MEDIA frame with its layers: as {@link #media(int, boolean, long, double, int,
   * int, int)}, followed, when any layer field is set, by the spatial layer and count, the temporal
   * layer and count (4 bytes each) and the layer-0 and layer-0-and-1 counts (8 bytes each), 59
   * bytes in all. The receivers' order rule acts on these (a relay that renumbered {@code
   * sequence_t0} could make a receiver decode a frame whose reference it lacks), so they are
   * authenticated; a frame without layers keeps the 27 bytes, and a relay that adds or strips the
   * fields changes the layout, which fails too. Builds before this one sealed layered frames with
   * the 27 bytes: receivers try those too ({@link #olderLayout}); those builds cannot read frames
   * sealed so, and their pages must be reloaded.
   */
  public static byte[] media(
      int mediaType,
      boolean keyframe,
      long sequence,
      double timestampUs,
      int codec,
      int width,
      int height,
      int spatialLayer,
      int spatialLayers,
      int temporalLayer,
      int temporalLayers,
      long sequenceT0,
      long sequenceT1) {
    byte[] base = media(mediaType, keyframe, sequence, timestampUs, codec, width, height);
    if (spatialLayer == 0
        && spatialLayers == 0
        && temporalLayer == 0
        && temporalLayers == 0
        && sequenceT0 == 0
        && sequenceT1 == 0) {
      return base;
    }
    byte[] out = new byte[59];
    System.arraycopy(base, 0, out, 0, base.length);
    SFrame.putBigEndian(out, 27, spatialLayer, 4);
    SFrame.putBigEndian(out, 31, spatialLayers, 4);
    SFrame.putBigEndian(out, 35, temporalLayer, 4);
    SFrame.putBigEndian(out, 39, temporalLayers, 4);
    SFrame.putBigEndian(out, 43, sequenceT0, 8);
    SFrame.putBigEndian(out, 51, sequenceT1, 8);
    return out;
  }

  /**
   * What a sender of an older build authenticated a layered frame with: the first 27 bytes of
   * {@code metadata} when it is the 59-byte layout, else null (nothing else to try). A frame sealed
   * with the 59 bytes never authenticates with these, so a relay gains nothing by stripping.
   */
  public static byte[] olderLayout(byte[] metadata) {
    return metadata.length == 59 ? java.util.Arrays.copyOf(metadata, 27) : null;
  }

  /** Metadata of a sealed chat message or reaction: the packet type. */
  public static byte[] social(int packetType) {
    return new byte[] {(byte) 0xC0, (byte) packetType};
  }
}
