package dev.videocall.web.browser;

import dev.videocall.web.browser.CodecCallbacks.ChunkOutput;
import dev.videocall.web.browser.CodecCallbacks.ErrorHandler;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;

/** WebCodecs AudioEncoder. */
public abstract class AudioEncoder implements JSObject {
  @JSBody(
      params = {"output", "error"},
      script = "return new AudioEncoder({output: output, error: error});")
  public static native AudioEncoder create(ChunkOutput output, ErrorHandler error);

  /** Opus with 20 ms frames. */
  @JSBody(
      params = {"sampleRate", "channels", "bitrate"},
      script =
          "this.configure({codec: 'opus', sampleRate: sampleRate, numberOfChannels: channels,"
              + " bitrate: bitrate, opus: {frameDuration: 20000}});")
  public native void configureOpus(float sampleRate, int channels, int bitrate);

  public abstract void encode(AudioData data);

  @JSProperty
  public abstract String getState();

  public abstract void close();
}
