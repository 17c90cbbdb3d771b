package dev.videocall.web.app;

import dev.videocall.types.wire.MediaPacket;
import dev.videocall.web.browser.AudioData;
import dev.videocall.web.browser.AudioDecoder;
import dev.videocall.web.browser.AudioPlayback;
import dev.videocall.web.browser.EncodedChunk;
import dev.videocall.web.browser.Levels;
import dev.videocall.web.browser.Page;
import org.teavm.jso.JSObject;
import org.teavm.jso.webaudio.AudioContext;

/**
 * The media of one remote participant: its camera onto its tile, its shared screen onto a screen
 * tile (made when the first screen frame arrives), and its audio through a jitter buffer to the
 * speakers, with the audio level for the speaking ring. Counters go on the tiles as {@code data-*}
 * attributes for tests and diagnostics ({@code data-first-frame-ms}: from pressing Join to this
 * peer's first decoded frame; {@code data-first-frame-after-join-ms}: from the session's start).
 */
final class RemotePeer {
  /** What the peer needs from the meeting. */
  interface Host {
    /** Asks for a keyframe of layer {@code layer} of the peer's stream (-1: any layer). */
    void requestKeyframe(long sessionId, int mediaType, int layer);

    Tile screenTile(RemotePeer peer);

    void audioLevel(RemotePeer peer, double level);

    double connectClickedMs();

    double joinedAtMs();
  }

  final Roster.Person person;
  final Tile tile;
  private final Host host;
  private final AudioContext audioContext;
  private final AudioJitterBuffer jitter = new AudioJitterBuffer();
  final VideoStreamDecoder camera;
  private int cameraLayer;
  private int cameraLayers = 1;
  private int cameraWidth;
  private int cameraHeight;
  private static final double SCREEN_GONE_MS = 1500;
  private double lastScreenFrameMs;
  private double screenEndedAtMs = -1e9;
  VideoStreamDecoder screen;
  Tile screenTile;
  private AudioDecoder audio;
  int audioFramesDecoded;

  RemotePeer(Roster.Person person, Tile tile, AudioContext audioContext, Host host) {
    this.person = person;
    this.tile = tile;
    this.host = host;
    this.audioContext = audioContext;
    this.camera =
        new VideoStreamDecoder(
            tile.canvas(),
            new VideoStreamDecoder.Listener() {
              @Override
              public void decoded(int frames) {
                onCameraFrame(frames);
              }

              @Override
              public void stale(int frames) {
                tile.attr("data-frames-stale", frames);
              }

              @Override
              public void gap(int frames) {
                tile.attr("data-frames-gap", frames);
              }

              @Override
              public void requestKeyframe(int layer) {
                host.requestKeyframe(person.sessionId, MediaPacket.VIDEO, layer);
              }

              @Override
              public void temporal(int layers, int decodable) {
                showTemporal(tile, layers, decodable);
              }

              @Override
              public void froze(FreezeMeter meter) {
                // the list for tests and tools that look at a stretch of time: performance.now()
                // at its start and end tells which freezes fell in it
                tile.attr("data-freezes", meter.count());
                tile.attr("data-freeze-ms", Math.round(meter.totalMs()));
                tile.attr("data-freezes-recent", meter.recent());
              }

              @Override
              public void size(int layer, int layers, int width, int height) {
                tile.attr("data-layer", layer);
                tile.attr("data-frame-height", height);
                cameraLayer = layer;
                cameraLayers = layers;
                cameraWidth = width;
                cameraHeight = height;
              }
            });
  }

  void onMedia(MediaPacket m) {
    switch (m.mediaType) {
      case MediaPacket.VIDEO -> camera.onFrame(m);
      case MediaPacket.SCREEN -> onScreen(m);
      case MediaPacket.AUDIO -> onAudio(m);
      default -> {}
    }
  }

  /**
   * A stream's temporal layers on its tile: {@code data-temporal-layers} (1: none) and {@code
   * data-temporal-decodable}, how many of them decode now.
   */
  private static void showTemporal(Tile t, int layers, int decodable) {
    t.attr("data-temporal-layers", layers);
    t.attr("data-temporal-decodable", decodable);
  }

  private void onCameraFrame(int frames) {
    if (frames == 1) {
      long ms = Math.round(Page.nowMs() - host.connectClickedMs());
      tile.attr("data-first-frame-ms", ms);
      tile.attr("data-first-frame-after-join-ms", Math.round(Page.nowMs() - host.joinedAtMs()));
      Page.log("first frame from " + person.userId + " decoded " + ms + " ms after Join");
    }
    tile.attr("data-frames-decoded", frames);
    if (person.cameraOn) {
      tile.showVideo(true);
    }
  }

  private void onScreen(MediaPacket m) {
    double now = Page.nowMs();
    if (screen == null && !person.sharing && now - screenEndedAtMs < 3000) {
      return; // a frame that was in flight when the share ended: no new tile for it
    }
    lastScreenFrameMs = now;
    if (screen == null) {
      screenTile = host.screenTile(this);
      if (screenTile == null) {
        return;
      }
      screen =
          new VideoStreamDecoder(
              screenTile.canvas(),
              new VideoStreamDecoder.Listener() {
                @Override
                public void decoded(int frames) {
                  screenTile.attr("data-frames-decoded", frames);
                  screenTile.showVideo(true);
                }

                @Override
                public void stale(int frames) {
                  screenTile.attr("data-frames-stale", frames);
                }

                @Override
                public void gap(int frames) {
                  screenTile.attr("data-frames-gap", frames);
                }

                @Override
                public void requestKeyframe(int layer) {
                  host.requestKeyframe(person.sessionId, MediaPacket.SCREEN, -1);
                }

                @Override
                public void temporal(int layers, int decodable) {
                  showTemporal(screenTile, layers, decodable);
                }
              });
    }
    screen.onFrame(m);
  }

  /**
   * Whether the screen tile is a leftover: the heartbeats say the share ended and no frame came for
   * a while. (A frame still in flight when the "not sharing" heartbeat arrives re-creates the tile;
   * nothing would remove it again without this check.)
   */
  boolean screenTileOutlived(double nowMs) {
    return screenTile != null && !person.sharing && nowMs - lastScreenFrameMs > SCREEN_GONE_MS;
  }

  /** The screen share ended: its decoder goes (the tile is the view's). */
  void screenEnded() {
    screenEndedAtMs = Page.nowMs();
    if (screen != null) {
      screen.close();
      screen = null;
    }
    screenTile = null;
  }

  /** The camera came back on: its stream restarts at a keyframe. */
  void cameraRestarted() {
    camera.restart();
  }

  private void onAudio(MediaPacket m) {
    if (m.data == null || audioContext == null || !AudioDecoder.isAvailable()) {
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
    tile.attr("data-audio-frames-decoded", audioFramesDecoded);
    host.audioLevel(this, person.micOn ? Levels.of(data) : 0);
    double when = jitter.playAt(data.getTimestamp(), audioContext.getCurrentTime());
    AudioPlayback.schedule(audioContext, data, when);
  }

  private void onAudioError(JSObject error) {
    Page.log("audio decoder error for " + person.userId + ": " + Page.message(error));
    audio = null; // reopened by the next packet; Opus frames decode independently
  }

  /**
   * The camera picture received: "640×360", and which of the sender's layers ("layer 3 of 3") when
   * it sends several; empty before the first keyframe.
   */
  String picture() {
    if (cameraHeight == 0) {
      return "";
    }
    String size = cameraWidth + "×" + cameraHeight;
    return cameraLayers > 1 ? size + ", layer " + (cameraLayer + 1) + " of " + cameraLayers : size;
  }

  /**
   * Whether the picture is smaller than its tile shows it and the sender has a larger layer: the
   * server chose a smaller one because this page's link does not carry more (a tile that is small
   * gets a small layer by design, and that is not reduced).
   */
  boolean pictureReduced() {
    if (cameraLayers <= 1 || cameraLayer >= cameraLayers - 1 || cameraHeight == 0) {
      return false;
    }
    double shown = tile.root.getClientHeight() * Page.devicePixelRatio();
    return shown > cameraHeight * 1.5;
  }

  int framesDecoded() {
    return camera.framesDecoded;
  }

  int framesDropped() {
    return camera.framesDropped + (screen == null ? 0 : screen.framesDropped);
  }

  /** The camera's freezes so far (see {@link FreezeMeter}). */
  FreezeMeter cameraFreezes() {
    return camera.freezes;
  }

  long videoBytes() {
    return camera.bytes + (screen == null ? 0 : screen.bytes);
  }

  void close() {
    camera.close();
    screenEnded();
    if (audio != null && !"closed".equals(audio.getState())) {
      audio.close();
    }
  }
}
