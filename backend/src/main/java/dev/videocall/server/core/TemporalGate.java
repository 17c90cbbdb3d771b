package dev.videocall.server.core;

/**
 * Which temporal layers of one video stream reach one receiver. Under congestion the receiver's
 * link allows fewer ({@link Downlink#maxTemporal}); the gate lowers what it forwards at once (no
 * frame of a lower layer refers to a higher one, so no keyframe is needed) and raises it only at a
 * keyframe: a receiver's {@code FrameOrder} decodes a frame of layer t only after every frame of
 * layers up to t since the keyframe, so a layer resumed mid-chain would only be skipped. It comes
 * back with the sender's next regular keyframe, one layer per keyframe; none is asked for. A stream
 * without temporal layers is all layer 0 and always passes. Pure.
 */
final class TemporalGate {
  private int forwarding = Packet.Layer.MAX_TEMPORAL;

  /**
   * Whether to forward a frame of temporal layer {@code temporal}; {@code allowed}: the highest
   * layer the receiver's link takes now.
   */
  synchronized boolean forward(int temporal, boolean keyframe, int allowed) {
    // up by one layer per keyframe: all at once refilled the link the keyframe before had emptied
    forwarding = keyframe ? Math.min(allowed, forwarding + 1) : Math.min(forwarding, allowed);
    return keyframe || temporal <= forwarding;
  }
}
