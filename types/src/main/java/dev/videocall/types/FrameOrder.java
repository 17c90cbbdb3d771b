package dev.videocall.types;

/**
 * The order rule for one sender's video stream (camera or screen), the same for every receiver
 * (page, Java client, CLI test decoder). VP8 and VP9 decoders do not fail on a delta frame that
 * does not follow the frame decoded before it: they paint garbage. So a delta frame is decoded only
 * if its sequence number directly follows the last frame decoded; a keyframe always starts afresh.
 *
 * <ul>
 *   <li>{@link Verdict#DECODE}: hand it to the decoder;
 *   <li>{@link Verdict#STALE}: older than what was decoded (the tail of a group that arrived after
 *       the next keyframe): drop it, nothing is lost;
 *   <li>{@link Verdict#GAP}: a frame is missing (or no keyframe yet): drop this and every delta
 *       frame until the next keyframe, and ask the sender for one.
 * </ul>
 *
 * Sequence numbers are the sender's count of encoded frames of that stream ({@code
 * VideoMetadata.sequence}, field 1, the original's field), consecutive across groups. With
 * simulcast each spatial layer is a stream of its own, numbered on its own: the server switches a
 * receiver to another layer at that layer's keyframe, which starts afresh; a delta frame of a layer
 * other than the one being decoded is the tail of the layer left behind, {@link Verdict#STALE}.
 * TeaVM-safe.
 */
public final class FrameOrder {
  /** What to do with a frame. */
  public enum Verdict {
    DECODE,
    STALE,
    GAP
  }

  private boolean decoding;
  private long last = -1;
  private int layer;

  /** Decides about the next frame of a stream without simulcast. */
  public Verdict next(boolean keyframe, long sequence) {
    return next(keyframe, 0, sequence);
  }

  /** Decides about the next frame to arrive, of spatial layer {@code spatialLayer}. */
  public Verdict next(boolean keyframe, int spatialLayer, long sequence) {
    if (spatialLayer != layer) {
      if (!keyframe) {
        return Verdict.STALE; // the layer left behind, or one the server has not switched to
      }
      layer = spatialLayer; // a switch: this layer's numbers start here
      decoding = true;
      last = sequence;
      return Verdict.DECODE;
    }
    if (keyframe) {
      if (last >= 0 && sequence <= last) {
        return Verdict.STALE; // an older group's keyframe, delayed: going back would rewind
      }
      decoding = true;
      last = sequence;
      return Verdict.DECODE;
    }
    if (last >= 0 && sequence <= last) {
      return Verdict.STALE;
    }
    if (decoding && sequence == last + 1) {
      last = sequence;
      return Verdict.DECODE;
    }
    decoding = false; // broken chain: nothing decodes until the next keyframe
    return Verdict.GAP;
  }

  /** Forgets the chain (decoder reset, camera off): the next frame must be a keyframe. */
  public void reset() {
    decoding = false;
  }

  /** The spatial layer being decoded (0 without simulcast). */
  public int layer() {
    return layer;
  }

  /** Whether a delta frame could be decoded now (a keyframe started the current chain). */
  public boolean decoding() {
    return decoding;
  }
}
