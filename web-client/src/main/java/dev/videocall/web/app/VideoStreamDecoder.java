package dev.videocall.web.app;

import dev.videocall.types.FrameOrder;
import dev.videocall.types.wire.MediaPacket;
import dev.videocall.web.browser.Canvas;
import dev.videocall.web.browser.EncodedChunk;
import dev.videocall.web.browser.Page;
import dev.videocall.web.browser.VideoDecoder;
import dev.videocall.web.browser.VideoFrame;
import org.teavm.jso.JSObject;
import org.teavm.jso.dom.html.HTMLCanvasElement;

/**
 * One sender's video stream (camera or screen) onto a canvas: frames pass the order rule ({@link
 * FrameOrder}: a delta frame is decoded only right after the frame decoded before it; a decoder
 * given one out of order paints garbage instead of failing), a VideoDecoder that opens at a
 * keyframe, and keyframe requests after gaps and decoder errors.
 */
final class VideoStreamDecoder {
  /** Just above the sender's 300 ms forced-keyframe gap, so a second request is never wasted. */
  private static final double KEYFRAME_REQUEST_GAP_MS = 400;

  /** Told of decoded frames and of the need for a keyframe. */
  interface Listener {
    void decoded(int frames);

    void stale(int frames);

    void gap(int frames);

    /** A keyframe of spatial layer {@code layer} (0 without simulcast) is needed. */
    void requestKeyframe(int layer);

    /**
     * Frames now arrive at {@code width} x {@code height}, spatial layer {@code layer} of {@code
     * layers} (1 without simulcast).
     */
    default void size(int layer, int layers, int width, int height) {}

    /**
     * The stream has {@code layers} temporal layers (1: none), of which the lowest {@code
     * decodable} decode now (fewer after a frame of an upper one was lost, until a keyframe).
     */
    default void temporal(int layers, int decodable) {}

    /** A frame was painted after a freeze (see {@link FreezeMeter}); {@code meter} has them all. */
    default void froze(FreezeMeter meter) {}
  }

  private final HTMLCanvasElement canvas;
  private final Listener listener;
  private final FrameOrder order = new FrameOrder();
  final FreezeMeter freezes = new FreezeMeter();
  private VideoDecoder video;
  private String codec;
  private MediaPacket.VideoColorSpace colorSpace;
  private double lastKeyframeRequestMs = -1e9;
  int framesDecoded;
  int framesStale;
  int framesGap;
  int framesDropped;
  long bytes;
  private int height = -1;
  private double lastDrawnTimestamp = Double.NEGATIVE_INFINITY;

  /** How far back (ms) a frame's capture time may be and still count as a step back. */
  private static final double REWIND_MS = 1000;

  private int layer = -1;
  private int temporalShown = -1; // layers * 10 + decodable, as last told

  VideoStreamDecoder(HTMLCanvasElement canvas, Listener listener) {
    this.canvas = canvas;
    this.listener = listener;
  }

  void onFrame(MediaPacket m) {
    if (m.data == null || !VideoDecoder.isAvailable()) {
      return;
    }
    bytes += m.data.length;
    String wanted =
        m.video != null && m.video.codec == MediaPacket.CODEC_VP9
            ? CameraPublisher.VP9
            : CameraPublisher.VP8;
    MediaPacket.VideoMetadata v = m.video == null ? new MediaPacket.VideoMetadata() : m.video;
    int layer = v.spatialLayer;
    FrameOrder.Verdict verdict =
        order.next(
            m.isKeyframe(),
            layer,
            v.sequence,
            v.temporalLayers,
            v.temporalLayer,
            v.sequenceT0,
            v.sequenceT1);
    switch (verdict) {
      case STALE -> {
        framesDropped++; // older than what was decoded: the tail of a superseded group
        listener.stale(++framesStale);
        return;
      }
      case GAP -> {
        framesDropped++; // a frame before it is missing: nothing decodes until a keyframe
        listener.gap(++framesGap);
        askForKeyframe(layer); // the layer the server forwards us
        return;
      }
      case SKIP -> {
        // an upper temporal layer lost a frame: the lower ones go on; a keyframe restores it
        framesDropped++;
        askForKeyframe(layer);
        return;
      }
      default -> {}
    }
    int temporal = Math.max(1, v.temporalLayers) * 10 + order.intactLevels();
    if (temporal != temporalShown) {
      temporalShown = temporal;
      listener.temporal(temporal / 10, Math.min(temporal / 10, temporal % 10));
    }
    MediaPacket.VideoColorSpace colour = m.video == null ? null : m.video.colorSpace;
    if (m.isKeyframe()
        && (video == null
            || "closed".equals(video.getState())
            || !wanted.equals(codec)
            || !java.util.Objects.equals(colour, colorSpace))) {
      open(wanted, colour);
    }
    if (m.isKeyframe() && m.video != null && (m.video.height != height || layer != this.layer)) {
      height = m.video.height;
      this.layer = layer;
      listener.size(layer, Math.max(1, m.video.spatialLayers), m.video.width, m.video.height);
    }
    video.decode(EncodedChunk.video(m.isKeyframe(), m.timestamp, m.data));
  }

  /** The sender's stream restarts (its camera came back): the next frame must be a keyframe. */
  void restart() {
    order.reset();
    freezes.restart();
  }

  private void open(String wanted, MediaPacket.VideoColorSpace colour) {
    close();
    codec = wanted;
    colorSpace = colour;
    video = VideoDecoder.create(this::draw, error -> onError(error));
    if (colour == null) {
      video.configure(wanted, "", "", "", false);
    } else {
      video.configure(wanted, colour.primaries, colour.transfer, colour.matrix, colour.fullRange);
    }
  }

  private void draw(VideoFrame frame) {
    double t = frame.getTimestamp();
    if (t <= lastDrawnTimestamp && t > lastDrawnTimestamp - REWIND_MS * 1000) {
      // A switch to a larger layer can start at a keyframe captured a moment before the last
      // frame of the smaller one shown (a larger encoder is slower): it is decoded, as what
      // follows refers to it, but not painted, so the picture never steps back. (A capture clock
      // that jumps back further is a restart, and painted.)
      frame.close();
      return;
    }
    lastDrawnTimestamp = t;
    Canvas.drawAndClose(canvas, frame);
    listener.decoded(++framesDecoded);
    if (freezes.painted(Page.nowMs()) > 0) {
      listener.froze(freezes);
    }
  }

  private void onError(JSObject error) {
    Page.log("video decoder error, waiting for a keyframe: " + Page.message(error));
    framesDropped++;
    order.reset();
    video = null;
    askForKeyframe(order.layer());
  }

  private void askForKeyframe(int layer) {
    double now = Page.nowMs();
    if (now - lastKeyframeRequestMs >= KEYFRAME_REQUEST_GAP_MS) {
      lastKeyframeRequestMs = now;
      listener.requestKeyframe(layer);
    }
  }

  void close() {
    if (video != null && !"closed".equals(video.getState())) {
      video.close();
    }
    video = null;
  }
}
