package dev.videocall.web.browser;

import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;

/** A raw video frame; must be closed promptly or the camera stalls. */
public interface VideoFrame extends JSObject {
  @JSProperty
  double getTimestamp();

  @JSProperty
  int getDisplayWidth();

  @JSProperty
  int getDisplayHeight();

  void close();
}
