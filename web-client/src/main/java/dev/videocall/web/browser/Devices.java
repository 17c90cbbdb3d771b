package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.dom.html.HTMLElement;
import org.teavm.jso.webaudio.AudioContext;

/** Cameras, microphones and speakers: listing, opening one in particular, choosing an output. */
public final class Devices {
  private Devices() {}

  /** Called with the devices of one kind as "id\tlabel" lines ("videoinput", ...). */
  @JSFunctor
  public interface Listed extends JSObject {
    void call(String lines);
  }

  /** Lists the devices of {@code kind}: one "deviceId\tlabel" line each. */
  @JSBody(
      params = {"kind", "done"},
      script =
          "if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) { done('');"
              + " return; }"
              + "navigator.mediaDevices.enumerateDevices().then(function (vcList) {"
              + " var vcOut = [];"
              + " vcList.forEach(function (vcD, vcI) { if (vcD.kind === kind) vcOut.push("
              + "  vcD.deviceId + '\\t' + (vcD.label || (kind + ' ' + (vcOut.length + 1)))); });"
              + " done(vcOut.join('\\n')); }, function () { done(''); });")
  public static native void list(String kind, Listed done);

  /**
   * A camera track of about {@code width} x {@code height}, of the device {@code deviceId} (null:
   * any).
   */
  @JSBody(
      params = {"deviceId", "width", "height", "fps"},
      script =
          "var vcV = {width: {ideal: width}, height: {ideal: height}, frameRate: {ideal: fps}};"
              + "if (deviceId) vcV.deviceId = {exact: deviceId};"
              + "return navigator.mediaDevices.getUserMedia({video: vcV, audio: false});")
  public static native JSPromise<MediaStream> camera(
      String deviceId, int width, int height, int fps);

  /** A microphone track of {@code deviceId} (null: any), echo-cancelled. */
  @JSBody(
      params = "deviceId",
      script =
          "var vcA = {channelCount: 1, echoCancellation: true, noiseSuppression: true};"
              + "if (deviceId) vcA.deviceId = {exact: deviceId};"
              + "return navigator.mediaDevices.getUserMedia({video: false, audio: vcA});")
  public static native JSPromise<MediaStream> microphone(String deviceId);

  /** The screen, a window or a tab, chosen by the person; up to 1080p at 15 fps. */
  @JSBody(
      script =
          "return navigator.mediaDevices.getDisplayMedia({video: {width: {max: 1920},"
              + " height: {max: 1080}, frameRate: {ideal: 15, max: 15}}, audio: false})"
              + ".then(function (vcS) { var vcT = vcS.getVideoTracks()[0];"
              + " if (vcT && 'contentHint' in vcT) vcT.contentHint = 'detail'; return vcS; });")
  public static native JSPromise<MediaStream> screen();

  @JSBody(script = "return !!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia);")
  public static native boolean canShareScreen();

  /** The id of the device a track comes from, or null. */
  @JSBody(
      params = "track",
      script =
          "var vcS = track && track.getSettings ? track.getSettings() : null;"
              + "return vcS && vcS.deviceId ? vcS.deviceId : null;")
  public static native String deviceOf(MediaStreamTrack track);

  @JSBody(params = "track", script = "return track ? track.label : '';")
  public static native String labelOf(MediaStreamTrack track);

  /**
   * Calls back when the track ends by itself (the browser's "Stop sharing", an unplugged camera).
   */
  @JSBody(
      params = {"track", "callback"},
      script = "track.addEventListener('ended', function () { callback(); });")
  public static native void onEnded(MediaStreamTrack track, Js.Callback callback);

  /** Sends a page's audio to the speaker {@code deviceId}; false where that cannot be chosen. */
  @JSBody(
      params = {"ctx", "deviceId"},
      script =
          "if (!ctx || typeof ctx.setSinkId !== 'function') return false;"
              + "ctx.setSinkId(deviceId || '').catch(function () {}); return true;")
  public static native boolean setSpeaker(AudioContext ctx, String deviceId);

  @JSBody(
      script =
          "return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;")
  public static native boolean canChooseSpeaker();

  /** A stream of one track (to show a track in a video element). */
  @JSBody(params = "track", script = "return new MediaStream([track]);")
  public static native MediaStream streamOf(MediaStreamTrack track);

  @JSBody(
      params = {"video", "stream"},
      script = "video.srcObject = stream; if (video.play) video.play().catch(function () {});")
  public static native void show(HTMLElement video, MediaStream stream);
}
