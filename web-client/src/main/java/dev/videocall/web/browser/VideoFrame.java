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

  /**
   * The pixel format ("I420", "NV12", "BGRA"…), or null when the browser cannot say (e.g. a depth
   * camera's Y16 frames): encoders reject such frames.
   */
  @JSProperty
  String getFormat();

  void close();
}
