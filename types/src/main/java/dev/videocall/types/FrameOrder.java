package dev.videocall.types;

/**
 * The order rule for one sender's video stream (camera or screen), the same for every receiver
 * (page, Java client, CLI test decoder). VP8 and VP9 decoders do not fail on a delta frame whose
 * reference frames they did not decode: they paint garbage. So a delta frame is decoded only if
 * every frame it may refer to was decoded; a keyframe always starts afresh.
 *
 * <ul>
 *   <li>{@link Verdict#DECODE}: hand it to the decoder;
 *   <li>{@link Verdict#STALE}: older than what was decoded (the tail of a group that arrived after
 *       the next keyframe): drop it, nothing is lost;
 *   <li>{@link Verdict#SKIP}: a frame of an upper temporal layer whose chain broke (a frame of its
 *       layer went missing): drop it; the lower layers go on decoding, at a lower frame rate, and
 *       the next keyframe restores the rest. Worth asking the sender for one;
 *   <li>{@link Verdict#GAP}: a frame of the base layer is missing (or no keyframe yet): drop this
 *       and every delta frame until the next keyframe, and ask the sender for one.
 * </ul>
 *
 * Sequence numbers are the sender's count of encoded frames of that stream ({@code
 * VideoMetadata.sequence}, field 1, the original's field), consecutive across groups. With
 * simulcast each spatial layer is a stream of its own, numbered on its own: the server switches a
 * receiver to another layer at that layer's keyframe, which starts afresh; a delta frame of a layer
 * other than the one being decoded is the tail of the layer left behind, {@link Verdict#STALE}.
 *
 * <p>Temporal layers (L1T3): a frame of temporal layer t refers only to frames of layers up to t,
 * and which of those is the encoder's business (WebCodecs tells only the layer). So a frame of
 * layer t decodes only if every frame of layers up to t since the keyframe was decoded, which the
 * per-layer counts tell ({@code sequence_t0}, {@code sequence_t1}, and {@code sequence} for layer
 * 2). Once a frame of layer t is missed, layers t and above wait for the next keyframe: a server
 * that drops a layer under congestion stops forwarding it until then. TeaVM-safe.
 */
public final class FrameOrder {
  /** What to do with a frame. */
  public enum Verdict {
    DECODE,
    STALE,
    SKIP,
    GAP
  }

  /** Temporal layers this rule follows; a frame of a higher layer counts as the top one. */
  public static final int TEMPORAL_LEVELS = 3;

  /** Per temporal level: whether every frame of layers up to it since the keyframe decoded. */
  private final boolean[] intact = new boolean[TEMPORAL_LEVELS];

  /** Per temporal level: the count of frames of layers up to it, at the last one decoded. */
  private final long[] count = new long[TEMPORAL_LEVELS];

  /** The arriving frame's counts per level (kept, so that no frame allocates). */
  private final long[] arrived = new long[TEMPORAL_LEVELS];

  private long last = -1;
  private int layer;

  /** Decides about the next frame of a stream without simulcast or temporal layers. */
  public Verdict next(boolean keyframe, long sequence) {
    return next(keyframe, 0, sequence);
  }

  /** Decides about the next frame, of spatial layer {@code spatialLayer}, no temporal layers. */
  public Verdict next(boolean keyframe, int spatialLayer, long sequence) {
    return next(keyframe, spatialLayer, sequence, 0, 0, sequence, sequence);
  }

  /**
   * Decides about the next frame to arrive, with its {@code VideoMetadata}: spatial layer,
   * sequence, temporal layers (0 or 1: none; then the counts are ignored), temporal layer and its
   * counts of layer-0 and layer-0-and-1 frames.
   */
  public Verdict next(
      boolean keyframe,
      int spatialLayer,
      long sequence,
      int temporalLayers,
      int temporalLayer,
      long sequenceT0,
      long sequenceT1) {
    int t;
    long[] c = arrived;
    if (temporalLayers <= 1) {
      t = 0;
      c[0] = sequence;
      c[1] = sequence;
    } else {
      t = Math.max(0, Math.min(TEMPORAL_LEVELS - 1, temporalLayer));
      c[0] = sequenceT0;
      c[1] = sequenceT1;
    }
    c[2] = sequence;
    if (spatialLayer != layer) {
      if (!keyframe) {
        return Verdict.STALE; // the layer left behind, or one the server has not switched to
      }
      layer = spatialLayer; // a switch: this layer's numbers start here
      return start(sequence, c);
    }
    if (last >= 0 && sequence <= last) {
      // an older group's keyframe, delayed, or a delta of it: going back would rewind
      return Verdict.STALE;
    }
    if (keyframe) {
      return start(sequence, c);
    }
    // The lowest level that misses a frame: below t, any frame of it since the last decoded one
    // (this frame is not one); at t, any but this one.
    int broken = TEMPORAL_LEVELS;
    for (int level = 0; level <= t; level++) {
      long expected = count[level] + (level == t ? 1 : 0);
      if (!intact[level] || c[level] != expected) {
        broken = level;
        break;
      }
    }
    if (broken <= t) {
      for (int level = broken; level < TEMPORAL_LEVELS; level++) {
        intact[level] = false;
      }
      return broken == 0 ? Verdict.GAP : Verdict.SKIP;
    }
    last = sequence;
    for (int level = t; level < TEMPORAL_LEVELS; level++) {
      // above t: intact only if no frame of the layers between was missed
      if (intact[level] && c[level] == count[level] + 1) {
        count[level] = c[level];
      } else {
        intact[level] = false;
      }
    }
    return Verdict.DECODE;
  }

  private Verdict start(long sequence, long[] c) {
    last = sequence;
    for (int level = 0; level < TEMPORAL_LEVELS; level++) {
      intact[level] = true;
      count[level] = c[level];
    }
    return Verdict.DECODE;
  }

  /** Forgets the chain (decoder reset, camera off): the next frame must be a keyframe. */
  public void reset() {
    for (int level = 0; level < TEMPORAL_LEVELS; level++) {
      intact[level] = false;
    }
  }

  /** The spatial layer being decoded (0 without simulcast). */
  public int layer() {
    return layer;
  }

  /** Whether a delta frame could be decoded now (a keyframe started the current chain). */
  public boolean decoding() {
    return intact[0];
  }

  /** How many temporal levels decode now: 0 (waiting for a keyframe) to 3. */
  public int intactLevels() {
    int n = 0;
    while (n < TEMPORAL_LEVELS && intact[n]) {
      n++;
    }
    return n;
  }
}
