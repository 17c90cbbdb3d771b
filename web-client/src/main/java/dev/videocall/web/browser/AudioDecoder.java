package dev.videocall.web.browser;

import dev.videocall.web.browser.CodecCallbacks.AudioDataOutput;
import dev.videocall.web.browser.CodecCallbacks.ErrorHandler;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;

/** WebCodecs AudioDecoder. */
public abstract class AudioDecoder implements JSObject {
  /** False where WebCodecs is missing: an insecure (plain HTTP) page, another browser. */
  @JSBody(script = "return typeof AudioDecoder === 'function';")
  public static native boolean isAvailable();

  @JSBody(
      params = {"output", "error"},
      script = "return new AudioDecoder({output: output, error: error});")
  public static native AudioDecoder create(AudioDataOutput output, ErrorHandler error);

  @JSBody(
      params = {"sampleRate", "channels"},
      script =
          "this.configure({codec: 'opus', sampleRate: sampleRate, numberOfChannels: channels});")
  public native void configureOpus(float sampleRate, int channels);

  public abstract void decode(EncodedChunk chunk);

  @JSProperty
  public abstract String getState();

  public abstract void close();
}
