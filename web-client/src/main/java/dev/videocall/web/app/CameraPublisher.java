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
import org.teavm.jso.JSObject;

/**
 * A video track → MediaStreamTrackProcessor → VideoEncoder → MEDIA packets numbered per stream
 * ({@code VideoMetadata.sequence}, what receivers' frame order rule checks). One for the camera
 * ({@link #camera}) and one for a shared screen ({@link #screen}). The track can change while it
 * runs (another camera, the camera off and on again): the next frame is a keyframe. Keyframes every
 * few seconds, at once when a receiver asks, and after the track changes.
 */
final class CameraPublisher {
  static final String VP8 = "vp8";
  static final String VP9 = "vp09.00.10.08";
  private static final double KEYFRAME_INTERVAL_MS = 3000;
  private static final double MIN_FORCED_KEY_GAP_MS = 300;

  private final PacketSink sink;
  private final String codec;
  private final int bitrate;
  private final int fps;
  private final int mediaType;
  private final int mediaKind;
  private MediaStreamTrack track;
  private FrameReader<VideoFrame> reader;
  private VideoEncoder encoder;
  private int width;
  private int height;
  private boolean stopped;
  private boolean forceKey = true;
  private double lastKeyMs = -1e9;
  private double lastFrameMs = -1e9;
  private long sequence;
  private MediaPacket.VideoColorSpace colorSpace;
  private int framesEncoded;
  private int framesSkipped;
  private int generation; // which track's pump is current

  private CameraPublisher(
      PacketSink sink, String codec, int bitrate, int fps, int mediaType, int mediaKind) {
    this.sink = sink;
    this.codec = codec;
    this.bitrate = bitrate;
    this.fps = fps;
    this.mediaType = mediaType;
    this.mediaKind = mediaKind;
  }

  static CameraPublisher camera(PacketSink sink, String codec, int bitrate, int fps) {
    return new CameraPublisher(
        sink, codec, bitrate, fps, MediaPacket.VIDEO, PacketWrapper.KIND_VIDEO);
  }

  /** A shared screen: VP9 (sharp text at low rates), at most 15 fps. */
  static CameraPublisher screen(PacketSink sink) {
    return new CameraPublisher(
        sink, VP9, 1_500_000, 15, MediaPacket.SCREEN, PacketWrapper.KIND_SCREEN);
  }

  /** Starts publishing {@code next} instead of the current track (null: nothing, camera off). */
  void setTrack(MediaStreamTrack next) {
    if (reader != null) {
      reader.cancel();
      reader = null;
    }
    track = next;
    generation++;
    forceKey = true;
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

  /** A receiver lost our stream (joined late, dropped frames, decoder error). */
  void requestKeyframe() {
    if (Page.nowMs() - lastKeyMs >= MIN_FORCED_KEY_GAP_MS) {
      forceKey = true;
    }
  }

  void stop() {
    stopped = true;
    setTrack(null);
    if (encoder != null && !"closed".equals(encoder.getState())) {
      encoder.close();
    }
  }

  int framesEncoded() {
    return framesEncoded;
  }

  int framesSkipped() {
    return framesSkipped;
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
    if (encoder == null || "closed".equals(encoder.getState()) || w != width || h != height) {
      openEncoder(w, h);
    }
    if (encoder.getEncodeQueueSize() > 2 || sink.congested()) {
      framesSkipped++; // the encoder or the uplink is behind: skip rather than queue latency
      forceKey = forceKey || sink.congested();
      frame.close();
      return;
    }
    lastFrameMs = now;
    boolean key = forceKey || now - lastKeyMs >= KEYFRAME_INTERVAL_MS;
    if (key) {
      forceKey = false;
      lastKeyMs = now;
    }
    encoder.encode(frame, key);
    frame.close();
  }

  private void openEncoder(int w, int h) {
    if (encoder != null && !"closed".equals(encoder.getState())) {
      encoder.close();
    }
    width = w;
    height = h;
    encoder = VideoEncoder.create(this::onChunk, error -> onEncoderError(error));
    encoder.configureRealtime(codec, w, h, bitrate, fps);
    forceKey = true;
  }

  private void onEncoderError(JSObject error) {
    Page.log("video encoder error, reopening: " + Page.message(error));
    encoder = null; // reopened on the next frame, starting with a keyframe
  }

  private void onChunk(EncodedChunk chunk, JSObject metadata) {
    framesEncoded++;
    MediaPacket m = new MediaPacket();
    m.mediaType = mediaType;
    m.data = EncodedChunk.bytesOf(chunk);
    m.frameType = chunk.getType();
    m.timestamp = chunk.getTimestamp();
    m.sendTimeUs = (long) (System.currentTimeMillis() * 1000.0);
    m.video = new MediaPacket.VideoMetadata();
    m.video.sequence = sequence++;
    m.video.codec = VP9.equals(codec) ? MediaPacket.CODEC_VP9 : MediaPacket.CODEC_VP8;
    m.video.width = width;
    m.video.height = height;
    if (m.isKeyframe()) {
      String matrix = VideoEncoder.colorSpaceField(metadata, "matrix");
      if (matrix != null) {
        colorSpace =
            MediaPacket.VideoColorSpace.of(
                VideoEncoder.colorSpaceField(metadata, "primaries"),
                VideoEncoder.colorSpaceField(metadata, "transfer"),
                matrix,
                VideoEncoder.colorSpaceFullRange(metadata));
      }
      m.video.colorSpace = colorSpace; // receivers decode the colours as they were coded
    }
    sink.sendMedia(m, mediaKind);
  }
}
