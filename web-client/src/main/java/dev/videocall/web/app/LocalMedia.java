package dev.videocall.web.app;

import dev.videocall.web.browser.Devices;
import dev.videocall.web.browser.MediaDevices;
import dev.videocall.web.browser.MediaStream;
import dev.videocall.web.browser.MediaStreamTrack;
import dev.videocall.web.browser.MediaStreamTrackProcessor;
import dev.videocall.web.browser.Page;
import java.util.function.Consumer;

/**
 * This person's camera and microphone, each opened and closed on its own: turning the camera off
 * stops its track (the camera's light goes off) and turning it on opens it again; another device
 * can be chosen at any time. The chosen devices and whether each was on are remembered.
 */
final class LocalMedia {
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  static final int FPS = 30;

  private MediaStreamTrack camera;
  private MediaStreamTrack mic;
  private String cameraDevice = Prefs.get("camera");
  private String micDevice = Prefs.get("mic");
  private String speakerDevice = Prefs.get("speaker");
  private boolean cameraWanted = Prefs.flag("cameraOn", true);
  private boolean micWanted = Prefs.flag("micOn", true);
  private String problem;

  /** Whether this browser can capture here at all (a Chromium browser, a secure page). */
  static boolean capturePossible() {
    return Page.isSecureContext()
        && MediaDevices.isAvailable()
        && MediaStreamTrackProcessor.isAvailable();
  }

  MediaStreamTrack camera() {
    return camera;
  }

  MediaStreamTrack mic() {
    return mic;
  }

  boolean cameraWanted() {
    return cameraWanted;
  }

  boolean micWanted() {
    return micWanted;
  }

  /** The camera in use, else the one chosen last (the camera may be off). */
  String cameraDevice() {
    return camera != null ? Devices.deviceOf(camera) : cameraDevice;
  }

  /** The microphone in use, else the one chosen last. */
  String micDevice() {
    return mic != null ? Devices.deviceOf(mic) : micDevice;
  }

  String speakerDevice() {
    return speakerDevice;
  }

  /** Why the last attempt to open a device failed, or null. */
  String problem() {
    return problem;
  }

  /** Opens the camera (the chosen one, else any) unless it is open; reports the track or null. */
  void openCamera(Consumer<MediaStreamTrack> done) {
    cameraWanted = true;
    Prefs.setFlag("cameraOn", true);
    if (camera != null && "live".equals(camera.getReadyState())) {
      done.accept(camera);
      return;
    }
    open(
        true,
        cameraDevice,
        track -> {
          camera = track;
          done.accept(track);
        });
  }

  /** Turns the camera off: its track stops, and its light goes off. */
  void closeCamera() {
    cameraWanted = false;
    Prefs.setFlag("cameraOn", false);
    if (camera != null) {
      camera.stop();
      camera = null;
    }
  }

  void openMic(Consumer<MediaStreamTrack> done) {
    if (mic != null && "live".equals(mic.getReadyState())) {
      done.accept(mic);
      return;
    }
    open(
        false,
        micDevice,
        track -> {
          mic = track;
          done.accept(track);
        });
  }

  /** Whether the microphone is sent (it stays open while muted, as in every meeting app). */
  void micWanted(boolean on) {
    micWanted = on;
    Prefs.setFlag("micOn", on);
  }

  /** Another camera: the old track stops, the new one is reported (null if it failed). */
  void switchCamera(String deviceId, Consumer<MediaStreamTrack> done) {
    cameraDevice = deviceId;
    Prefs.set("camera", deviceId);
    if (camera != null) {
      camera.stop();
      camera = null;
    }
    if (!cameraWanted) {
      done.accept(null);
      return;
    }
    openCamera(done);
  }

  void switchMic(String deviceId, Consumer<MediaStreamTrack> done) {
    micDevice = deviceId;
    Prefs.set("mic", deviceId);
    if (mic != null) {
      mic.stop();
      mic = null;
    }
    openMic(done);
  }

  void speaker(String deviceId) {
    speakerDevice = deviceId;
    Prefs.set("speaker", deviceId);
  }

  /** Stops everything (leaving): no light, no microphone. */
  void closeAll() {
    if (camera != null) {
      camera.stop();
      camera = null;
    }
    if (mic != null) {
      mic.stop();
      mic = null;
    }
  }

  private void open(boolean video, String deviceId, Consumer<MediaStreamTrack> done) {
    if (!capturePossible()) {
      done.accept(null);
      return;
    }
    (video ? Devices.camera(deviceId, WIDTH, HEIGHT, FPS) : Devices.microphone(deviceId))
        .then(
            (MediaStream s) -> {
              problem = null;
              done.accept(video ? s.videoTrack() : s.audioTrack());
              return null;
            },
            error -> {
              if (deviceId != null && !deviceId.isEmpty()) {
                // the remembered device is gone: any device will do
                if (video) {
                  cameraDevice = null;
                } else {
                  micDevice = null;
                }
                open(video, null, done);
                return null;
              }
              problem = MediaDevices.describe(error);
              done.accept(null);
              return null;
            });
  }
}
