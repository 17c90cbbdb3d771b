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

  /**
   * Opus with 20 ms frames; {@code constant}: a constant bitrate, so that packet sizes do not
   * follow speech (encrypted meetings: sizes are all a relay sees of the sound).
   */
  @JSBody(
      params = {"sampleRate", "channels", "bitrate", "constant"},
      script =
          "this.configure({codec: 'opus', sampleRate: sampleRate, numberOfChannels: channels,"
              + " bitrate: bitrate, bitrateMode: constant ? 'constant' : 'variable',"
              + " opus: {frameDuration: 20000}});")
  public native void configureOpus(float sampleRate, int channels, int bitrate, boolean constant);

  public abstract void encode(AudioData data);

  @JSProperty
  public abstract String getState();

  public abstract void close();
}
