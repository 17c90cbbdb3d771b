package dev.videocall.server.core;

/**
 * A packet on its way through the server: the serialized, server-stamped {@code PacketWrapper} plus
 * what routing needs, computed once at ingress so fan-out never parses.
 *
 * @param meetingId the meeting it belongs to
 * @param senderUserId who sent it (server-stamped)
 * @param senderSessionId the sending session; never delivered back to it
 * @param targetSessionId 0 for everyone in the meeting, else only that session
 * @param priority how the outbound queue treats it under pressure
 * @param stream for video: which of the sender's streams (camera or screen) it belongs to; for a
 *     keyframe request: which stream of its target it asks for; else NONE
 * @param bytes the wire bytes, shared by every receiver and never modified
 * @param arrivedNanos when it reached this instance ({@link System#nanoTime}), for the relay
 *     latency and outbox delay histograms
 * @param layer for a video frame: its temporal layer, and for a camera frame of a sender that
 *     publishes several spatial layers (simulcast), which one; for a camera keyframe request, the
 *     layer asked for ({@link Layer#requested}); else {@link Layer#NONE}
 */
public record Packet(
    String meetingId,
    String senderUserId,
    long senderSessionId,
    long targetSessionId,
    Priority priority,
    Stream stream,
    byte[] bytes,
    long arrivedNanos,
    Layer layer) {

  /** A packet that arrives now, of no layer. */
  public Packet(
      String meetingId,
      String senderUserId,
      long senderSessionId,
      long targetSessionId,
      Priority priority,
      Stream stream,
      byte[] bytes) {
    this(
        meetingId,
        senderUserId,
        senderSessionId,
        targetSessionId,
        priority,
        stream,
        bytes,
        Layer.NONE);
  }

  /** A packet that arrives now. */
  public Packet(
      String meetingId,
      String senderUserId,
      long senderSessionId,
      long targetSessionId,
      Priority priority,
      Stream stream,
      byte[] bytes,
      Layer layer) {
    this(
        meetingId,
        senderUserId,
        senderSessionId,
        targetSessionId,
        priority,
        stream,
        bytes,
        System.nanoTime(),
        layer);
  }

  /**
   * A video frame's layers: simulcast (cameras only) {@code spatial} of {@code count} (0 the
   * smallest), {@code height} pixels tall; and its {@code temporal} layer (0 the base, or no
   * temporal layers), for cameras and screens.
   */
  public record Layer(int spatial, int count, int height, int temporal) {
    public static final Layer NONE = new Layer(0, 1, 0, 0);

    /** The highest temporal layer a frame may have: L1T3's 0, 1 and 2. */
    public static final int MAX_TEMPORAL = 2;

    /** A simulcast layer, of no temporal layer. */
    public Layer(int spatial, int count, int height) {
      this(spatial, count, height, 0);
    }

    /** The same, of temporal layer {@code t}. */
    public Layer withTemporal(int t) {
      return t == temporal ? this : new Layer(spatial, count, height, t);
    }

    /** The largest {@link #requested} value: 1 + the largest spatial layer. */
    public static final int MAX_REQUESTED = LayerSelector.MAX_SPATIAL;

    /**
     * For a camera keyframe request: the layer it asks for, as on the wire ({@code request_layer}:
     * 0 every layer, else 1 + the spatial layer), so that requests are coalesced per layer.
     */
    public static Layer requested(int requestLayer) {
      return new Layer(requestLayer, 0, 0, 0);
    }

    /** Whether the sender publishes more than one spatial layer. */
    public boolean simulcast() {
      return count > 1;
    }
  }

  /** Outbound-queue treatment, from most to least protected. */
  public enum Priority {
    /** Meeting events, keyframe requests, key exchange, heartbeats: never dropped for video. */
    CONTROL,
    AUDIO,
    /** A video keyframe: dropped only when no queued delta frame can make room. */
    VIDEO_KEY,
    /** A video delta frame: first to go. */
    VIDEO_DELTA,
    /** Server filler probing a receiver's link: dropped before anything else, never owed. */
    PADDING
  }

  /** Which of a sender's video streams a frame belongs to. */
  public enum Stream {
    NONE,
    CAMERA,
    SCREEN
  }

  public boolean isVideo() {
    return priority == Priority.VIDEO_KEY || priority == Priority.VIDEO_DELTA;
  }

  public int size() {
    return bytes.length;
  }
}
