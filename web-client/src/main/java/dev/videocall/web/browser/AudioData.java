package dev.videocall.web.browser;

import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;

/** Raw audio samples; must be closed promptly. */
public interface AudioData extends JSObject {
  @JSProperty
  double getTimestamp();

  @JSProperty
  double getDuration();

  @JSProperty
  float getSampleRate();

  @JSProperty
  int getNumberOfChannels();

  @JSProperty
  int getNumberOfFrames();

  void close();
}
