package dev.videocall.server.core;

/**
 * Which layers of one sender's camera one receiver gets: the forwarder LiveKit calls a stream
 * allocator, for one (sender stream, receiver) pair. A sender publishes up to three spatial layers
 * (e.g. 640x360, 320x180, 160x90), each with temporal layers (L1T3: 0, 1, 2); the server forwards
 * one spatial layer to each receiver, chosen by
 *
 * <ul>
 *   <li>what the receiver's link carries: its measured downstream rate ({@link #update}), with
 *       headroom, so that the layer's bitrate fits; and
 *   <li>what it shows: the smallest layer at least as tall as the receiver's tile (a thumbnail does
 *       not need 360p).
 * </ul>
 *
 * <p>It moves to another spatial layer only at a keyframe of that layer (the decoder cannot start
 * elsewhere; until then the current layer keeps flowing), and asks for that keyframe once per
 * {@link #KEYFRAME_RETRY_NANOS}. It goes up only after the link has had room for the higher layer
 * for {@link #UP_AFTER_NANOS} (no flapping; the caller probes before it believes in more room),
 * down at once. Under short congestion it first drops temporal layers (2, then 1), which needs no
 * keyframe: frames of a lower temporal layer never reference higher ones. A dropped layer comes
 * back only at a keyframe (the receiver's {@code FrameOrder} decodes a layer's frame only after
 * every frame of it since the keyframe): the sender's next regular one, no request. Pure: the
 * caller feeds it frames and measurements and does what it says.
 */
final class LayerSelector {
  static final int MAX_SPATIAL = 3;
  static final double HEADROOM = 0.85;

  /**
   * A layer above the current target must fit in this share of the capacity: more room to go up
   * than to stay (a layer's measured rate moves by a quarter between windows, and a receiver that
   * went up on 85 % filled its link and came back down).
   */
  static final double UP_HEADROOM = 0.7;

  static final long UP_AFTER_NANOS = 1_000_000_000L;
  static final long KEYFRAME_RETRY_NANOS = 500_000_000L;

  /** How long a pending switch holds back probes at most (three keyframe requests). */
  static final long SWITCH_HOLDS_PROBES_NANOS = 1_500_000_000L;

  /** How much more a link must carry before a layer it filled up on is tried again. */
  static final double CEILING_LIFT = 1.3;

  /** What to do with one frame. */
  enum Verdict {
    FORWARD,
    /** Forward: the first frame (a keyframe) of the layer this receiver switches to. */
    SWITCH,
    DROP
  }

  /**
   * The sender's layers as last measured: height and bitrate (bits per second) per spatial layer.
   */
  private final int[] heights = new int[MAX_SPATIAL];

  private final long[] bitrates = new long[MAX_SPATIAL];
  private int layers = 1;

  private int current = -1; // the spatial layer being forwarded; -1: none yet
  private int target;
  private int bySize;
  private boolean updated;

  /** A layer the link filled up on, and the capacity then: not again until it grows. */
  private int ceiling = -1;

  private long ceilingCapacityBps;
  private long targetChosenAtBps;
  private int maxTemporal = Packet.Layer.MAX_TEMPORAL;
  private final TemporalGate temporalGate = new TemporalGate();

  private long roomForHigherSinceNanos = -1;
  private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
  private int lastTarget = -1;
  private long targetSinceNanos;
  private boolean keyframeWanted;

  /** The sender's layers: {@code heights[i]} and {@code bitrates[i]} for spatial layer i. */
  synchronized void layers(int count, int[] heights, long[] bitrates) {
    this.layers = Math.max(1, Math.min(MAX_SPATIAL, count));
    if (current < 0 && !updated) {
      // Until told otherwise, the largest: a receiver that never reports (the Java client, the
      // CLI) stays on it, and one that cannot tell layers apart is never switched.
      target = this.layers - 1;
    }
    // a sender that now publishes fewer layers (a smaller camera): a receiver on one that no
    // longer comes would get nothing until its next update, and one that never reports never
    target = Math.min(target, this.layers - 1);
    System.arraycopy(heights, 0, this.heights, 0, this.layers);
    System.arraycopy(bitrates, 0, this.bitrates, 0, this.layers);
  }

  /**
   * The receiver reports (its link is measured): start on the smallest layer now rather than at its
   * next report. Until then a new selector would forward the largest, and a weak link would queue
   * the first keyframes of every camera's top layer for seconds.
   */
  synchronized void startSmall() {
    if (current < 0) {
      updated = true;
      target = 0;
    }
  }

  /**
   * New measurements: the receiver's downstream rate (bits per second; 0: unknown, no limit), the
   * height of its tile for this sender (0: unknown, any), and whether its queue is building up
   * right now (short congestion).
   */
  synchronized void update(
      long capacityBps, int wantedHeight, boolean backlogGrowing, long nowNanos) {
    if (!updated && current < 0) {
      target = 0; // a receiver that reports starts small (a first picture at once) and climbs
    }
    updated = true;
    bySize = layers - 1;
    if (wantedHeight > 0) {
      for (int i = 0; i < layers; i++) {
        if (heights[i] >= wantedHeight) {
          bySize = i;
          break;
        }
      }
    }
    int byRate = bySize;
    if (capacityBps > 0) {
      byRate = 0;
      for (int i = 0; i <= bySize; i++) {
        if (bitrates[i] <= capacityBps * (i > target ? UP_HEADROOM : HEADROOM)) {
          byRate = i;
        }
      }
    }
    int want = Math.min(bySize, byRate);
    if (ceiling >= 0 && want >= ceiling) {
      if (capacityBps == 0 || capacityBps >= ceilingCapacityBps * CEILING_LIFT) {
        ceiling = -1; // the link has proved it carries more than when that layer failed
      } else {
        want = Math.min(want, ceiling - 1);
      }
    }
    if (want > target) {
      // up only once the link has had room for it for a while
      if (roomForHigherSinceNanos < 0) {
        roomForHigherSinceNanos = nowNanos;
      }
      if (nowNanos - roomForHigherSinceNanos >= UP_AFTER_NANOS) {
        target = want;
        targetChosenAtBps = capacityBps;
        roomForHigherSinceNanos = -1;
      }
    } else {
      roomForHigherSinceNanos = -1;
      if (want < target && backlogGrowing) {
        // the link filled up on this layer: not again at about the same capacity
        ceiling = target;
        // what the link was believed to carry when this layer was chosen: it did not
        ceilingCapacityBps = Math.max(targetChosenAtBps, capacityBps);
      }
      target = want; // down (or the same) at once
    }
  }

  /** The highest temporal layer the receiver's link takes now ({@link Downlink#maxTemporal}). */
  synchronized void maxTemporal(int allowed) {
    maxTemporal = allowed;
  }

  /**
   * Whether a switch to another layer waits for its keyframe, and has for less than {@link
   * #SWITCH_HOLDS_PROBES_NANOS} (the caller starts no probe meanwhile: the keyframe would land in
   * it). Bounded: a sender that never answers with that keyframe must not stop probing for good.
   */
  synchronized boolean switchPending(long nowNanos) {
    if (target != lastTarget) {
      lastTarget = target;
      targetSinceNanos = nowNanos;
    }
    return current != target && nowNanos - targetSinceNanos < SWITCH_HOLDS_PROBES_NANOS;
  }

  /**
   * One frame of the sender's camera: forward it to this receiver or not. A keyframe of the target
   * layer completes a switch.
   */
  synchronized Verdict onFrame(int spatial, int temporal, boolean keyframe) {
    boolean switched = false;
    if (spatial != current && spatial == target && keyframe) {
      current = target; // the decoder can start here
      keyframeWanted = false;
      switched = true;
    }
    if (current != target) {
      keyframeWanted = true;
    }
    if (spatial != current) {
      return Verdict.DROP;
    }
    if (!temporalGate.forward(temporal, keyframe, maxTemporal)) {
      return Verdict.DROP;
    }
    return switched ? Verdict.SWITCH : Verdict.FORWARD;
  }

  /**
   * Whether to ask the sender for a keyframe of {@link #target()} now (a switch waits for one);
   * true at most once per {@link #KEYFRAME_RETRY_NANOS}.
   */
  synchronized boolean keyframeRequest(long nowNanos) {
    if (!keyframeWanted || nowNanos - lastKeyframeRequestNanos < KEYFRAME_RETRY_NANOS) {
      return false;
    }
    lastKeyframeRequestNanos = nowNanos;
    return true;
  }

  synchronized int current() {
    return current;
  }

  synchronized int target() {
    return target;
  }

  /** The layer the receiver's tile asks for, whatever its link carries. */
  synchronized int bySize() {
    return bySize;
  }

  synchronized int maxTemporal() {
    return maxTemporal;
  }

  /** The layers this receiver gets or is about to get (bit i: layer i), for dynacast. */
  synchronized int demand() {
    return (current >= 0 ? 1 << current : 0) | 1 << target;
  }
}
