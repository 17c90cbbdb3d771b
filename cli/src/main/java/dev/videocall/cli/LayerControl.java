package dev.videocall.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.videocall.proto.LayerDemand;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the server asks of a camera publisher, as the page hears it (CameraPublisher): keyframes, of
 * one spatial layer or of every one ({@code request_layer}: 1 + the layer, 0 every layer), and,
 * with simulcast, which layers anyone receives (dynacast, {@code LAYER_DEMAND}): the others pause,
 * except the smallest, and a paused layer resumes with a keyframe. A demand holds for {@link
 * #DEMAND_TTL_NANOS}; with none heard (yet, or lately) every layer runs. Shared by {@code stream}
 * and {@code bot}. Thread-safe: packets arrive on the client's threads, frames go out on another.
 */
final class LayerControl {
  /** How long a layer demand holds without being repeated (the page's DEMAND_TTL_MS). */
  static final long DEMAND_TTL_NANOS = 3_000_000_000L;

  /** A layer's bitrate as a share of the top layer's, smallest first, for 1, 2 and 3 layers. */
  static final double[][] LAYER_BITRATE_SHARE = {{1}, {0.35, 1}, {0.08, 0.35, 1}};

  private final int layers;
  private final AtomicInteger keyframesWanted = new AtomicInteger();
  private volatile int demanded = -1; // bit i: layer i; -1: none heard
  private volatile long demandedAtNanos;

  LayerControl(int layers) {
    this.layers = layers;
  }

  /**
   * A packet that reached this publisher. {@code ownSession} (or -1: not known) must be its target:
   * a request for someone else's stream, broadcast or forged, must not make us send keyframes.
   */
  void onPacket(PacketWrapper w, long ownSession) {
    try {
      if (w.getPacketType() == PacketWrapper.PacketType.LAYER_DEMAND) {
        demanded = LayerDemand.parseFrom(w.getData()).getCameraLayers();
        demandedAtNanos = System.nanoTime();
        return;
      }
      if (w.getPacketType() != PacketWrapper.PacketType.MEDIA
          || w.getMediaKind() == PacketWrapper.MediaKind.VIDEO
          || (ownSession >= 0 && w.getTargetSessionId() != ownSession)) {
        return;
      }
      MediaPacket m = MediaPacket.parseFrom(w.getData());
      if (m.getMediaType() == MediaType.KEYFRAME_REQUEST
          && m.getRequestMediaType() == MediaType.VIDEO) {
        int layer = m.getRequestLayer() - 1; // -1: every layer
        int bits = layer < 0 || layers == 1 ? (1 << layers) - 1 : 1 << Math.min(layer, 30);
        keyframesWanted.getAndUpdate(b -> b | bits);
      }
    } catch (InvalidProtocolBufferException e) {
      // not ours to judge: other participants' media may be encrypted or new
    }
  }

  /** The layers a keyframe was asked for since the last call (bit i: layer i). */
  int takeKeyframes() {
    return keyframesWanted.getAndSet(0);
  }

  /** Whether layer {@code layer} runs now: the smallest always, others while anyone gets them. */
  boolean running(int layer, long nowNanos) {
    int d = demanded;
    return layer == 0
        || layers == 1
        || d < 0
        || nowNanos - demandedAtNanos > DEMAND_TTL_NANOS
        || (d & (1 << layer)) != 0;
  }
}
