package dev.videocall.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.videocall.proto.LayerDemand;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;

/**
 * What the server asks of a camera publisher, as the page hears it (CameraPublisher): keyframes, of
 * one spatial layer or of every one ({@code request_layer}: 1 + the layer, 0 every layer), at most
 * one forced keyframe per layer per {@link #KEYFRAME_GAP_NANOS}; and, with simulcast, which layers
 * the receivers of each server instance get (dynacast, {@code LAYER_DEMAND}). Until a demand is
 * heard every layer runs; after, the smallest always, the others while an instance's demand for
 * them holds ({@link #DEMAND_TTL_NANOS}) or for {@link #REQUESTED_NANOS} after a keyframe request
 * for them; a paused layer resumes with a keyframe. Shared by {@code stream} and {@code bot}.
 * Thread-safe: packets arrive on the client's threads, frames go out on another.
 */
final class LayerControl {
  /** How long a layer demand holds without being repeated (the page's DEMAND_TTL_MS). */
  static final long DEMAND_TTL_NANOS = 3_000_000_000L;

  /** A keyframe request for a paused layer keeps it running this long (REQUESTED_LAYER_MS). */
  static final long REQUESTED_NANOS = 3_000_000_000L;

  /** The least time between two forced keyframes of a layer (the page's 300 ms). */
  static final long KEYFRAME_GAP_NANOS = 300_000_000L;

  /** A layer's bitrate as a share of the top layer's, smallest first, for 1, 2 and 3 layers. */
  static final double[][] LAYER_BITRATE_SHARE = {{1}, {0.35, 1}, {0.08, 0.35, 1}};

  /** Server instances whose demands are remembered, at most (a hostile bus is not our problem). */
  private static final int MAX_INSTANCES = 64;

  private final int layers;
  private int keyframesWanted; // bit i: layer i
  private final long[] lastForcedNanos;
  private final long[] requestedUntilNanos;
  private final java.util.Map<String, long[]> demands = new java.util.HashMap<>(); // mask, when
  private boolean demandHeard;

  LayerControl(int layers) {
    this.layers = layers;
    lastForcedNanos = new long[layers];
    requestedUntilNanos = new long[layers];
    java.util.Arrays.fill(lastForcedNanos, Long.MIN_VALUE / 2);
    java.util.Arrays.fill(requestedUntilNanos, Long.MIN_VALUE / 2);
  }

  /**
   * A packet that reached this publisher. {@code ownSession} (or -1: not known) must be its target:
   * a request for someone else's stream, broadcast or forged, must not make us send keyframes.
   */
  void onPacket(PacketWrapper w, long ownSession) {
    try {
      if (w.getPacketType() == PacketWrapper.PacketType.LAYER_DEMAND) {
        LayerDemand d = LayerDemand.parseFrom(w.getData());
        synchronized (this) {
          if (demands.size() < MAX_INSTANCES || demands.containsKey(d.getInstance())) {
            demands.put(d.getInstance(), new long[] {d.getCameraLayers(), System.nanoTime()});
          }
          demandHeard = true;
        }
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
        if (layer >= layers) {
          return; // a layer this camera does not have
        }
        long now = System.nanoTime();
        synchronized (this) {
          for (int l = 0; l < layers; l++) {
            if (layer < 0 || layers == 1 || l == layer) {
              keyframesWanted |= 1 << l;
              requestedUntilNanos[l] = now + REQUESTED_NANOS;
            }
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      // not ours to judge: other participants' media may be encrypted or new
    }
  }

  /**
   * The layers to force a keyframe of now (bit i: layer i): asked for, and none forced within
   * {@link #KEYFRAME_GAP_NANOS}; a request that must wait stays for a later frame.
   */
  synchronized int keyframesDue(long nowNanos) {
    int due = 0;
    for (int l = 0; l < layers; l++) {
      if ((keyframesWanted & (1 << l)) != 0
          && nowNanos - lastForcedNanos[l] >= KEYFRAME_GAP_NANOS) {
        due |= 1 << l;
        lastForcedNanos[l] = nowNanos;
      }
    }
    keyframesWanted &= ~due;
    return due;
  }

  /** Whether layer {@code layer} runs now (see the class comment). */
  synchronized boolean running(int layer, long nowNanos) {
    if (layer == 0 || layers == 1 || !demandHeard || nowNanos < requestedUntilNanos[layer]) {
      return true;
    }
    for (long[] d : demands.values()) {
      if (nowNanos - d[1] <= DEMAND_TTL_NANOS && (d[0] & (1L << layer)) != 0) {
        return true;
      }
    }
    return false;
  }
}
