package dev.videocall.web.app;

import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.web.browser.EncodedChunk;
import dev.videocall.web.browser.FrameReader;
import dev.videocall.web.browser.MediaStreamTrack;
import dev.videocall.web.browser.MediaStreamTrackProcessor;
import dev.videocall.web.browser.Page;
import dev.videocall.web.browser.VideoEncoder;
import dev.videocall.web.browser.VideoFrame;
import org.teavm.jso.JSObject;

/**
 * Camera → MediaStreamTrackProcessor → VideoEncoder → MEDIA packets. Keyframes every few seconds,
 * at once when a receiver asks, and after the camera comes back on.
 */
final class CameraPublisher {
  static final String VP8 = "vp8";
  static final String VP9 = "vp09.00.10.08";
  private static final double KEYFRAME_INTERVAL_MS = 3000;
  private static final double MIN_FORCED_KEY_GAP_MS = 300;

  private final MediaStreamTrack track;
  private final PacketSink sink;
  private final String codec;
  private final int bitrate;
  private final int fps;
  private FrameReader<VideoFrame> reader;
  private VideoEncoder encoder;
  private int width;
  private int height;
  private boolean enabled = true;
  private boolean stopped;
  private boolean forceKey = true;
  private double lastKeyMs = -1e9;
  private long sequence;
  private int framesEncoded;
  private int framesSkipped;

  CameraPublisher(MediaStreamTrack track, PacketSink sink, String codec, int bitrate, int fps) {
    this.track = track;
    this.sink = sink;
    this.codec = codec;
    this.bitrate = bitrate;
    this.fps = fps;
  }

  void start() {
    reader = MediaStreamTrackProcessor.videoFrames(track);
    FramePump.run(reader, this::onFrame, () -> stopped, "camera");
  }

  /** Camera off: frames are read and dropped (the track keeps running for a quick return). */
  void setEnabled(boolean on) {
    if (on && !enabled) {
      forceKey = true;
    }
    enabled = on;
  }

  boolean enabled() {
    return enabled;
  }

  /** A receiver lost our stream (joined late, dropped frames, decoder error). */
  void requestKeyframe() {
    if (Page.nowMs() - lastKeyMs >= MIN_FORCED_KEY_GAP_MS) {
      forceKey = true;
    }
  }

  void stop() {
    stopped = true;
    if (reader != null) {
      reader.cancel();
    }
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
    if (!enabled || stopped) {
      frame.close();
      return;
    }
    if (encoder == null || "closed".equals(encoder.getState())) {
      openEncoder(frame.getDisplayWidth(), frame.getDisplayHeight());
    }
    if (encoder.getEncodeQueueSize() > 2 || sink.congested()) {
      framesSkipped++; // the encoder or the uplink is behind: skip rather than queue latency
      forceKey = forceKey || sink.congested();
      frame.close();
      return;
    }
    double now = Page.nowMs();
    boolean key = forceKey || now - lastKeyMs >= KEYFRAME_INTERVAL_MS;
    if (key) {
      forceKey = false;
      lastKeyMs = now;
    }
    encoder.encode(frame, key);
    frame.close();
  }

  private void openEncoder(int w, int h) {
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
    m.mediaType = MediaPacket.VIDEO;
    m.data = EncodedChunk.bytesOf(chunk);
    m.frameType = chunk.getType();
    m.timestamp = chunk.getTimestamp();
    m.sendTimeUs = (long) (System.currentTimeMillis() * 1000.0);
    m.video = new MediaPacket.VideoMetadata();
    m.video.sequence = sequence++;
    m.video.codec = VP9.equals(codec) ? MediaPacket.CODEC_VP9 : MediaPacket.CODEC_VP8;
    m.video.width = width;
    m.video.height = height;
    sink.sendMedia(m, PacketWrapper.KIND_VIDEO);
  }
}
