package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;

/** A camera/microphone stream from getUserMedia. */
public abstract class MediaStream implements JSObject {
  @JSBody(script = "return this.getVideoTracks()[0] || null;")
  public native MediaStreamTrack videoTrack();

  @JSBody(script = "return this.getAudioTracks()[0] || null;")
  public native MediaStreamTrack audioTrack();

  @JSBody(script = "this.getTracks().forEach(function (t) { t.stop(); });")
  public native void stopAll();
}
