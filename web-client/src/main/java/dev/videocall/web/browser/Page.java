package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.dom.html.HTMLElement;

/** Small page-level helpers that teavm-jso-apis does not cover. */
public final class Page {
  private Page() {}

  /** False on plain HTTP from another machine: no camera or microphone there. */
  @JSBody(script = "return window.isSecureContext === true;")
  public static native boolean isSecureContext();

  @JSBody(script = "return performance.now();")
  public static native double nowMs();

  /** Device pixels per CSS pixel (1 when the browser does not say). */
  @JSBody(script = "return window.devicePixelRatio || 1;")
  public static native double devicePixelRatio();

  @JSBody(
      params = {"video", "stream"},
      script = "video.srcObject = stream;")
  public static native void attach(HTMLElement video, MediaStream stream);

  @JSBody(params = "message", script = "console.log('[videocall] ' + message);")
  public static native void log(String message);

  @JSBody(
      params = "error",
      script = "return '' + (error && error.message ? error.message : error);")
  public static native String message(JSObject error);

  /** A DOMException's name (e.g. "NotSupportedError"), or "" for anything else. */
  @JSBody(
      params = "error",
      script = "return error && typeof error.name === 'string' ? error.name : '';")
  public static native String errorName(JSObject error);

  @JSBody(
      params = {"name"},
      script = "return new URLSearchParams(location.search).get(name);")
  public static native String queryParam(String name);
}
