package dev.videocall.web.browser;

import dev.videocall.web.browser.CodecCallbacks.ErrorHandler;
import dev.videocall.web.browser.CodecCallbacks.VideoFrameOutput;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;

/** WebCodecs VideoDecoder. */
public abstract class VideoDecoder implements JSObject {
  /** False where WebCodecs is missing: an insecure (plain HTTP) page, another browser. */
  @JSBody(script = "return typeof VideoDecoder === 'function';")
  public static native boolean isAvailable();

  @JSBody(
      params = {"output", "error"},
      script = "return new VideoDecoder({output: output, error: error});")
  public static native VideoDecoder create(VideoFrameOutput output, ErrorHandler error);

  @JSBody(params = "codec", script = "this.configure({codec: codec, optimizeForLatency: true});")
  public native void configureCodec(String codec);

  public abstract void decode(EncodedChunk chunk);

  @JSProperty
  public abstract int getDecodeQueueSize();

  @JSProperty
  public abstract String getState();

  public abstract void close();
}
