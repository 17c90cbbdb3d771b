package dev.videocall.web.app;

import dev.videocall.types.FrameOrder;
import dev.videocall.types.wire.MediaPacket;
import dev.videocall.web.browser.AudioData;
import dev.videocall.web.browser.AudioDecoder;
import dev.videocall.web.browser.AudioPlayback;
import dev.videocall.web.browser.Canvas;
import dev.videocall.web.browser.EncodedChunk;
import dev.videocall.web.browser.Page;
import dev.videocall.web.browser.VideoDecoder;
import dev.videocall.web.browser.VideoFrame;
import org.teavm.jso.JSObject;
import org.teavm.jso.dom.html.HTMLCanvasElement;
import org.teavm.jso.dom.html.HTMLElement;
import org.teavm.jso.webaudio.AudioContext;

/**
 * One remote participant: its tile, its video and audio decoders, playback, and live counters
 * exposed as tile attributes ({@code data-first-frame-ms}: milliseconds from pressing Connect to
 * this peer's first decoded frame; {@code data-first-frame-after-join-ms}: from the session's
 * assignment, i.e. from joining). Decoding starts at a keyframe; until one arrives (late join,
 * decoder error), deltas are dropped and a keyframe is requested from the sender.
 */
final class RemotePeer {
  /** Just above the sender's 300 ms forced-keyframe gap, so a second request is never wasted. */
  private static final double KEYFRAME_REQUEST_GAP_MS = 400;

  /** WebCodecs exists only in secure contexts: on plain HTTP a tile shows who, not what. */
  private static final boolean VIDEO_DECODING = VideoDecoder.isAvailable();

  private static final boolean AUDIO_DECODING = AudioDecoder.isAvailable();

  /** Asks the peer's session for a keyframe. */
  interface KeyframeRequester {
    void requestKeyframe(long sessionId);
  }

  final String userId;
  long sessionId;
  final HTMLElement tile;
  private final HTMLCanvasElement canvas;
  private final HTMLElement placeholder;
  private final AudioContext audioContext;
  private final KeyframeRequester requester;
  private final AudioJitterBuffer jitter = new AudioJitterBuffer();
  private final double connectClickedMs;
  private final java.util.function.DoubleSupplier joinedAtMs;

  private VideoDecoder video;
  private String videoCodec;

  /**
   * The order rule ({@link FrameOrder}): a delta frame is decoded only right after the frame
   * decoded before it. A decoder given a frame out of order paints garbage instead of failing, and
   * over WebTransport groups of pictures arrive on streams read concurrently.
   */
  private final FrameOrder order = new FrameOrder();

  private double lastKeyframeRequestMs = -1e9;
  private AudioDecoder audio;
  private boolean cameraOn = true;
  private boolean micOn = true;

  int framesDecoded;
  int audioFramesDecoded;
  int framesDropped;
  int framesStale;
  int framesGap;
  long videoBytes;

  RemotePeer(
      String userId,
      long sessionId,
      String displayName,
      HTMLElement tile,
      AudioContext audioContext,
      KeyframeRequester requester,
      double connectClickedMs,
      java.util.function.DoubleSupplier joinedAtMs) {
    this.userId = userId;
    this.sessionId = sessionId;
    this.tile = tile;
    this.audioContext = audioContext;
    this.requester = requester;
    this.connectClickedMs = connectClickedMs;
    this.joinedAtMs = joinedAtMs;
    this.canvas = (HTMLCanvasElement) tile.querySelector("canvas");
    this.placeholder = tile.querySelector("[data-role=placeholder]");
    tile.setAttribute("data-peer-id", userId);
    tile.setAttribute("data-camera-off", "false");
    tile.setAttribute("data-mic-muted", "false");
    tile.querySelector("[data-role=name]").setInnerText(displayName);
    tile.querySelector("[data-role=initials]")
        .setInnerText(displayName.isEmpty() ? "?" : displayName.substring(0, 1).toUpperCase());
    canvas.setHidden(true);
  }

  void onMedia(MediaPacket m) {
    switch (m.mediaType) {
      case MediaPacket.VIDEO -> onVideo(m);
      case MediaPacket.AUDIO -> onAudio(m);
      case MediaPacket.HEARTBEAT -> onHeartbeat(m);
      default -> {}
    }
  }

  private void onVideo(MediaPacket m) {
    if (m.data == null || !VIDEO_DECODING) {
      return;
    }
    videoBytes += m.data.length;
    String codec =
        m.video != null && m.video.codec == MediaPacket.CODEC_VP9
            ? CameraPublisher.VP9
            : CameraPublisher.VP8;
    long sequence = m.video == null ? 0 : m.video.sequence;
    switch (order.next(m.isKeyframe(), sequence)) {
      case STALE -> {
        framesDropped++; // older than what was decoded: the tail of a superseded group
        framesStale++;
        tile.setAttribute("data-frames-stale", String.valueOf(framesStale));
        return;
      }
      case GAP -> {
        framesDropped++; // a frame before it is missing: nothing decodes until a keyframe
        framesGap++;
        tile.setAttribute("data-frames-gap", String.valueOf(framesGap));
        askForKeyframe();
        return;
      }
      default -> {}
    }
    if (m.isKeyframe()
        && (video == null || "closed".equals(video.getState()) || !codec.equals(videoCodec))) {
      openVideoDecoder(codec);
    }
    video.decode(EncodedChunk.video(m.isKeyframe(), m.timestamp, m.data));
  }

  private void openVideoDecoder(String codec) {
    if (video != null && !"closed".equals(video.getState())) {
      video.close();
    }
    videoCodec = codec;
    video = VideoDecoder.create(this::onFrame, error -> onVideoError(error));
    video.configureCodec(codec);
  }

  private void onFrame(VideoFrame frame) {
    Canvas.drawAndClose(canvas, frame);
    framesDecoded++;
    if (framesDecoded == 1) {
      long ms = Math.round(Page.nowMs() - connectClickedMs);
      tile.setAttribute("data-first-frame-ms", String.valueOf(ms));
      tile.setAttribute(
          "data-first-frame-after-join-ms",
          String.valueOf(Math.round(Page.nowMs() - joinedAtMs.getAsDouble())));
      Page.log("first frame from " + userId + " decoded " + ms + " ms after Connect");
    }
    tile.setAttribute("data-frames-decoded", String.valueOf(framesDecoded));
    if (cameraOn) {
      canvas.setHidden(false);
      placeholder.setHidden(true);
    }
  }

  private void onVideoError(JSObject error) {
    Page.log(
        "video decoder error for " + userId + ", waiting for a keyframe: " + Page.message(error));
    framesDropped++;
    order.reset();
    video = null;
    askForKeyframe();
  }

  private void askForKeyframe() {
    double now = Page.nowMs();
    if (now - lastKeyframeRequestMs >= KEYFRAME_REQUEST_GAP_MS) {
      lastKeyframeRequestMs = now;
      requester.requestKeyframe(sessionId);
    }
  }

  private void onAudio(MediaPacket m) {
    if (m.data == null || audioContext == null || !AUDIO_DECODING) {
      return;
    }
    if (audio == null || "closed".equals(audio.getState())) {
      float rate = m.audio != null && m.audio.sampleRate > 0 ? m.audio.sampleRate : 48000f;
      int channels = m.audio != null && m.audio.channels > 0 ? m.audio.channels : 1;
      audio = AudioDecoder.create(this::onAudioData, error -> onAudioError(error));
      audio.configureOpus(rate, channels);
    }
    audio.decode(EncodedChunk.audio(m.timestamp, m.data));
  }

  private void onAudioData(AudioData data) {
    audioFramesDecoded++;
    tile.setAttribute("data-audio-frames-decoded", String.valueOf(audioFramesDecoded));
    double when = jitter.playAt(data.getTimestamp(), audioContext.getCurrentTime());
    AudioPlayback.schedule(audioContext, data, when);
  }

  private void onAudioError(JSObject error) {
    Page.log("audio decoder error for " + userId + ": " + Page.message(error));
    audio = null; // reopened by the next packet; Opus frames decode independently
  }

  private void onHeartbeat(MediaPacket m) {
    if (m.heartbeat == null) {
      return;
    }
    setCameraOn(m.heartbeat.videoEnabled);
    setMicOn(m.heartbeat.audioEnabled);
  }

  private void setCameraOn(boolean on) {
    if (on == cameraOn) {
      return;
    }
    cameraOn = on;
    tile.setAttribute("data-camera-off", String.valueOf(!on));
    tile.querySelector("[data-role=camera-off]").setHidden(on);
    if (!on) {
      canvas.setHidden(true);
      placeholder.setHidden(false);
    } else {
      order.reset(); // the sender restarts with a keyframe; ask in case it was lost
    }
  }

  private void setMicOn(boolean on) {
    if (on == micOn) {
      return;
    }
    micOn = on;
    tile.setAttribute("data-mic-muted", String.valueOf(!on));
    tile.querySelector("[data-role=mic-muted]").setHidden(on);
  }

  void close() {
    if (video != null && !"closed".equals(video.getState())) {
      video.close();
    }
    if (audio != null && !"closed".equals(audio.getState())) {
      audio.close();
    }
    tile.delete();
  }
}
