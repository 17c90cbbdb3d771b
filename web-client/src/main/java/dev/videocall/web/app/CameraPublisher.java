package dev.videocall.web.app;

import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.web.browser.Canvas;
import dev.videocall.web.browser.EncodedChunk;
import dev.videocall.web.browser.FrameReader;
import dev.videocall.web.browser.MediaStreamTrack;
import dev.videocall.web.browser.MediaStreamTrackProcessor;
import dev.videocall.web.browser.Page;
import dev.videocall.web.browser.VideoEncoder;
import dev.videocall.web.browser.VideoFrame;
import java.util.HashMap;
import java.util.Map;
import org.teavm.jso.JSObject;

/**
 * A video track → MediaStreamTrackProcessor → VideoEncoder(s) → MEDIA packets numbered per stream
 * ({@code VideoMetadata.sequence}, what receivers' frame order rule checks). One for the camera
 * ({@link #camera}) and one for a shared screen ({@link #screen}). The track can change while it
 * runs (another camera, the camera off and on again): the next frame is a keyframe. Keyframes every
 * few seconds, at once when a receiver asks, and after the track changes.
 *
 * <p>The camera is simulcast: up to three spatial layers from the one track (full size, half and a
 * quarter, {@link #LAYER_BITRATE_SHARE} of the bitrate each), one encoder each (the encoder scales
 * the frame to its configured size), each with its own sequence numbers and keyframes; the server
 * forwards one layer to each receiver. Dynacast: a layer no server instance asked for within {@link
 * #DEMAND_TTL_MS} is not encoded (the smallest always is, and every layer is until the first demand
 * arrives, for servers that send none); it resumes, with a keyframe, when asked for again.
 *
 * <p>Each encoder makes three temporal layers (WebCodecs {@code scalabilityMode} L1T3: layers 0 2 1
 * 2, so a quarter of the frames are layer 0 and half are layers 0 and 1), which the server drops
 * top first under congestion without a keyframe; each frame carries its layer and the counts of
 * layer-0 and layer-0-and-1 frames that receivers' {@code FrameOrder} checks. An encoder that
 * refuses L1T3 (configure throws, NotSupportedError before any output, or twice any error before
 * any output) is reopened without, for the rest of the call.
 */
final class CameraPublisher {
  static final String VP8 = "vp8";
  static final String VP9 = "vp09.00.10.08";
  private static final double KEYFRAME_INTERVAL_MS = 3000;
  private static final double MIN_FORCED_KEY_GAP_MS = 300;

  /**
   * A layer's bitrate as a share of the top layer's, smallest first, for 3 and 2 layers. The
   * smallest had 8 % before temporal layers; L1T3 (layer-0 frames refer four frames back) cost it
   * 2.5 dB there (AdaptiveQualityE2ETest: the 160x90 pictures' PSNR median 34.0 to 31.5 dB, minimum
   * 29.5, below the harness's 30), so it has half as much again.
   */
  static final double[][] LAYER_BITRATE_SHARE = {{1}, {0.35, 1}, {0.12, 0.35, 1}};

  /** How long a server instance's demand for a layer holds without being repeated. */
  static final double DEMAND_TTL_MS = 3000;

  /** The temporal layers asked of each encoder (see the class comment). */
  static final String SCALABILITY_MODE = "L1T3";

  static final int TEMPORAL_LAYERS = 3;

  /** A keyframe request for a paused layer keeps it running at least this long. */
  private static final double REQUESTED_LAYER_MS = 3000;

  private final PacketSink sink;
  private final String codec;
  private final int bitrate;
  private final int fps;
  private final int mediaType;
  private final int mediaKind;
  private final boolean simulcast;
  private boolean temporal;
  private int temporalFailures; // encoders with L1T3 that failed before any output
  private MediaStreamTrack track;
  private FrameReader<VideoFrame> reader;
  private Layer[] layers = new Layer[0];
  private int width;
  private int height;
  private boolean stopped;
  private double lastFrameMs = -1e9;
  private int framesSkipped;
  private int generation; // which track's pump is current

  /** Per server instance: {layers bit mask, when heard}. */
  private final Map<String, double[]> demands = new HashMap<>();

  private boolean demandHeard;

  /** One encoder: one spatial layer (the whole stream without simulcast). */
  private final class Layer {
    final int index;
    final int width;
    final int height;
    final int bitrate;
    VideoEncoder encoder;
    boolean encoderTemporal; // configured with SCALABILITY_MODE
    int outputsSinceOpen;
    long sequence;
    long sequenceT0;
    long sequenceT1;
    boolean forceKey = true;
    double lastKeyMs = -1e9;
    double requestedUntilMs = -1e9;
    boolean running;
    int framesEncoded;
    MediaPacket.VideoColorSpace colorSpace;

    Layer(int index, int width, int height, int bitrate) {
      this.index = index;
      this.width = width;
      this.height = height;
      this.bitrate = bitrate;
    }
  }

  private CameraPublisher(
      PacketSink sink,
      String codec,
      int bitrate,
      int fps,
      int mediaType,
      int mediaKind,
      boolean simulcast,
      boolean temporal) {
    this.sink = sink;
    this.codec = codec;
    this.bitrate = bitrate;
    this.fps = fps;
    this.mediaType = mediaType;
    this.mediaKind = mediaKind;
    this.simulcast = simulcast;
    this.temporal = temporal;
  }

  /**
   * The camera; in three spatial layers when {@code simulcast}, with temporal layers when {@code
   * temporal}.
   */
  static CameraPublisher camera(
      PacketSink sink, String codec, int bitrate, int fps, boolean simulcast, boolean temporal) {
    return new CameraPublisher(
        sink,
        codec,
        bitrate,
        fps,
        MediaPacket.VIDEO,
        PacketWrapper.KIND_VIDEO,
        simulcast,
        temporal);
  }

  /**
   * A shared screen: VP9 (sharp text at low rates), at most 15 fps, one spatial layer, with
   * temporal layers when {@code temporal}.
   */
  static CameraPublisher screen(PacketSink sink, boolean temporal) {
    return new CameraPublisher(
        sink, VP9, 1_500_000, 15, MediaPacket.SCREEN, PacketWrapper.KIND_SCREEN, false, temporal);
  }

  /** Starts publishing {@code next} instead of the current track (null: nothing, camera off). */
  void setTrack(MediaStreamTrack next) {
    if (reader != null) {
      reader.cancel();
      reader = null;
    }
    track = next;
    generation++;
    for (Layer l : layers) {
      l.forceKey = true;
    }
    if (next == null || stopped) {
      return;
    }
    int mine = generation;
    reader = MediaStreamTrackProcessor.videoFrames(next);
    FramePump.run(reader, this::onFrame, () -> stopped || mine != generation, "video");
  }

  boolean publishing() {
    return track != null && !stopped;
  }

  /** A receiver lost our stream (joined late, dropped frames, decoder error): every layer. */
  void requestKeyframe() {
    requestKeyframe(-1);
  }

  /** A receiver needs a keyframe of spatial layer {@code layer} (-1: of every layer). */
  void requestKeyframe(int layer) {
    double now = Page.nowMs();
    for (Layer l : layers) {
      if (layer >= 0 && l.index != layer) {
        continue;
      }
      if (layer >= 0) {
        l.requestedUntilMs = now + REQUESTED_LAYER_MS; // a switch to it waits: run it
      }
      if (now - l.lastKeyMs >= MIN_FORCED_KEY_GAP_MS) {
        l.forceKey = true;
      }
    }
  }

  /** A server instance says which of our layers its receivers get now. */
  void demand(String instance, int layersMask) {
    demandHeard = true;
    demands.put(instance, new double[] {layersMask, Page.nowMs()});
  }

  void stop() {
    stopped = true;
    setTrack(null);
    for (Layer l : layers) {
      close(l);
    }
  }

  int framesEncoded() {
    int n = 0;
    for (Layer l : layers) {
      n += l.framesEncoded;
    }
    return n;
  }

  int framesSkipped() {
    return framesSkipped;
  }

  /** Frames encoded per layer, smallest first, e.g. "412,410,96". */
  String layerFrames() {
    StringBuilder out = new StringBuilder();
    for (Layer l : layers) {
      out.append(out.length() == 0 ? "" : ",").append(l.framesEncoded);
    }
    return out.toString();
  }

  /** The layers being encoded now, e.g. "0,1" ("" when none). */
  String runningLayers() {
    StringBuilder out = new StringBuilder();
    for (Layer l : layers) {
      if (l.running) {
        out.append(out.length() == 0 ? "" : ",").append(l.index);
      }
    }
    return out.toString();
  }

  /** Temporal layers per encoder: 3 (L1T3), or 1 when off or refused. */
  int temporalLayers() {
    return temporal ? TEMPORAL_LAYERS : 1;
  }

  /** The layers' sizes, smallest first, e.g. "160x90,320x180,640x360". */
  String layerSizes() {
    StringBuilder out = new StringBuilder();
    for (Layer l : layers) {
      out.append(out.length() == 0 ? "" : ",").append(l.width).append('x').append(l.height);
    }
    return out.toString();
  }

  private void onFrame(VideoFrame frame) {
    if (stopped || track == null) {
      frame.close();
      return;
    }
    double now = Page.nowMs();
    if (mediaKind == PacketWrapper.KIND_SCREEN && now - lastFrameMs < 1000.0 / fps - 2) {
      frame.close(); // a screen track may run at 30 fps; shared screens need no more than 15
      return;
    }
    if (frame.getFormat() == null) {
      frame = Canvas.convertible(frame); // e.g. a Y16 camera: encoders take no such frames
    }
    int w = frame.getDisplayWidth();
    int h = frame.getDisplayHeight();
    if (layers.length == 0 || w != width || h != height) {
      configure(w, h);
    }
    lastFrameMs = now;
    int wanted = wantedLayers(now);
    boolean congested = sink.congested();
    for (Layer l : layers) {
      boolean run = (wanted & (1 << l.index)) != 0;
      if (!run) {
        if (l.running) {
          l.running = false;
          l.forceKey = true; // it resumes with a keyframe
        }
        continue;
      }
      l.running = true;
      if (l.encoder == null || "closed".equals(l.encoder.getState())) {
        open(l);
      }
      if (l.encoder.getEncodeQueueSize() > 2 || congested) {
        framesSkipped++; // the encoder or the uplink is behind: skip rather than queue latency
        l.forceKey = l.forceKey || congested;
        continue;
      }
      boolean key = l.forceKey || now - l.lastKeyMs >= KEYFRAME_INTERVAL_MS;
      if (key) {
        l.forceKey = false;
        l.lastKeyMs = now;
      }
      l.encoder.encode(frame, key);
    }
    frame.close();
  }

  /** The layers to encode now (bit i: layer i). */
  private int wantedLayers(double now) {
    if (layers.length <= 1 || !demandHeard) {
      return (1 << layers.length) - 1;
    }
    int mask = 1;
    for (double[] d : demands.values()) {
      if (now - d[1] <= DEMAND_TTL_MS) {
        mask |= (int) d[0];
      }
    }
    for (Layer l : layers) {
      if (now < l.requestedUntilMs) {
        mask |= 1 << l.index;
      }
    }
    return mask;
  }

  /** The layers for frames of {@code w} x {@code h}: a quarter and a half of it, and itself. */
  private void configure(int w, int h) {
    for (Layer l : layers) {
      close(l);
    }
    width = w;
    height = h;
    int count = !simulcast ? 1 : h >= 360 ? 3 : h >= 180 ? 2 : 1;
    Layer[] next = new Layer[count];
    long after = 0; // numbers go on across sizes: a receiver's order rule takes no step back
    long afterT0 = 0;
    long afterT1 = 0;
    for (Layer l : layers) {
      after = Math.max(after, l.sequence);
      afterT0 = Math.max(afterT0, l.sequenceT0);
      afterT1 = Math.max(afterT1, l.sequenceT1);
    }
    for (int i = 0; i < count; i++) {
      int scale = 1 << (count - 1 - i);
      next[i] =
          new Layer(
              i,
              even(w / scale),
              even(h / scale),
              (int) (bitrate * LAYER_BITRATE_SHARE[count - 1][i]));
    }
    for (Layer l : next) {
      l.sequence = after;
      l.sequenceT0 = afterT0;
      l.sequenceT1 = afterT1;
    }
    layers = next;
  }

  private static int even(int n) {
    return Math.max(2, n & ~1);
  }

  private void open(Layer l) {
    close(l);
    l.encoder =
        VideoEncoder.create(
            (chunk, metadata) -> onChunk(l, chunk, metadata), error -> onEncoderError(l, error));
    l.encoderTemporal = temporal;
    l.outputsSinceOpen = 0;
    if (!l.encoder.configureRealtime(
            codec, l.width, l.height, l.bitrate, fps, temporal ? SCALABILITY_MODE : null)
        && temporal) {
      temporal = false; // refused at once: the same encoder, without temporal layers
      Page.log("video encoder refused " + SCALABILITY_MODE + ", going on without temporal layers");
      open(l);
      return;
    }
    l.forceKey = true;
  }

  private static void close(Layer l) {
    if (l.encoder != null && !"closed".equals(l.encoder.getState())) {
      l.encoder.close();
    }
    l.encoder = null;
  }

  private void onEncoderError(Layer l, JSObject error) {
    if (l.encoderTemporal
        && l.outputsSinceOpen == 0
        && temporal
        && ("NotSupportedError".equals(Page.errorName(error)) || ++temporalFailures >= 2)) {
      // an encoder without L1T3 says so before any output; one that fails twice before any
      // output with it (a hardware encoder's EncodingError) would fail so forever
      temporal = false;
      Page.log("video encoder refused " + SCALABILITY_MODE + ", going on without temporal layers");
    }
    Page.log("video encoder error, reopening: " + Page.message(error));
    l.encoder = null; // reopened on the next frame, starting with a keyframe
  }

  private void onChunk(Layer l, EncodedChunk chunk, JSObject metadata) {
    if (l != layerAt(l.index)) {
      return; // an encoder of a size left behind, flushing
    }
    l.framesEncoded++;
    l.outputsSinceOpen++;
    MediaPacket m = new MediaPacket();
    m.mediaType = mediaType;
    m.data = EncodedChunk.bytesOf(chunk);
    m.frameType = chunk.getType();
    m.timestamp = chunk.getTimestamp();
    m.sendTimeUs = (long) (System.currentTimeMillis() * 1000.0);
    m.video = new MediaPacket.VideoMetadata();
    m.video.sequence = l.sequence++;
    m.video.codec = VP9.equals(codec) ? MediaPacket.CODEC_VP9 : MediaPacket.CODEC_VP8;
    m.video.width = l.width;
    m.video.height = l.height;
    if (layers.length > 1) {
      m.video.spatialLayer = l.index;
      m.video.spatialLayers = layers.length;
    }
    int t = l.encoderTemporal ? VideoEncoder.temporalLayerId(metadata) : -1;
    if (t >= 0) {
      l.sequenceT0 += t == 0 ? 1 : 0;
      l.sequenceT1 += t <= 1 ? 1 : 0;
      m.video.temporalLayer = t;
      m.video.temporalLayers = TEMPORAL_LAYERS;
      m.video.sequenceT0 = l.sequenceT0;
      m.video.sequenceT1 = l.sequenceT1;
    }
    if (m.isKeyframe()) {
      String matrix = VideoEncoder.colorSpaceField(metadata, "matrix");
      if (matrix != null) {
        l.colorSpace =
            MediaPacket.VideoColorSpace.of(
                VideoEncoder.colorSpaceField(metadata, "primaries"),
                VideoEncoder.colorSpaceField(metadata, "transfer"),
                matrix,
                VideoEncoder.colorSpaceFullRange(metadata));
      }
      m.video.colorSpace = l.colorSpace; // receivers decode the colours as they were coded
    }
    sink.sendMedia(m, mediaKind);
  }

  private Layer layerAt(int index) {
    return index < layers.length ? layers[index] : null;
  }
}
