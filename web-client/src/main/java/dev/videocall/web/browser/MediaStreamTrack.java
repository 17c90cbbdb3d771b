package dev.videocall.web.browser;

import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;

/** One audio or video track. */
public interface MediaStreamTrack extends JSObject {
  @JSProperty
  String getKind();

  @JSProperty
  String getReadyState();

  void stop();
}
