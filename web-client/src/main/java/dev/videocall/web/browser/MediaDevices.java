package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.core.JSPromise;

/** {@code navigator.mediaDevices}: camera and microphone access. */
public final class MediaDevices {
  private MediaDevices() {}

  /** Asks for a camera of the given size and/or a microphone; rejects with a DOMException. */
  @JSBody(
      params = {"video", "audio", "width", "height", "fps"},
      script =
          "return navigator.mediaDevices.getUserMedia({"
              + "video: video ? {width: {ideal: width}, height: {ideal: height},"
              + " frameRate: {ideal: fps}} : false,"
              + "audio: audio ? {channelCount: 1, echoCancellation: true,"
              + " noiseSuppression: true} : false});")
  public static native JSPromise<MediaStream> getUserMedia(
      boolean video, boolean audio, int width, int height, int fps);

  /** The DOMException name of a rejection ("NotAllowedError", "NotFoundError", ...). */
  @JSBody(
      params = "error",
      script =
          "return error && error.name ? error.name + ': ' + (error.message || '') : '' + error;")
  public static native String describe(Object error);

  @JSBody(script = "return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);")
  public static native boolean isAvailable();
}
