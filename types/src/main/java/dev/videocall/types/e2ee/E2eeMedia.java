package dev.videocall.types.e2ee;

/**
 * What an end-to-end encrypted meeting authenticates besides the payload (SFrame's metadata, in the
 * AAD): the media type, whether the frame is a keyframe, and its sequence number. These stay
 * readable for the server (routing, keyframe caching, the receivers' order rule), and a server that
 * relabels a delta frame as a keyframe, or renumbers frames, makes them fail authentication.
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

  /** Metadata of a sealed chat message or reaction: the packet type. */
  public static byte[] social(int packetType) {
    return new byte[] {(byte) 0xC0, (byte) packetType};
  }
}
