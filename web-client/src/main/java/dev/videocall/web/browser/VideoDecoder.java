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

  /**
   * Configures for {@code codec}, with the sender's colour space when it gave one (empty names are
   * left out). Without it the decoder assumes BT.709 and a BT.601 camera's colours come out wrong.
   */
  @JSBody(
      params = {"codec", "primaries", "transfer", "matrix", "fullRange"},
      script =
          "var vcC = {codec: codec, optimizeForLatency: true};"
              + "if (primaries || transfer || matrix) { var vcS = {fullRange: fullRange};"
              + " if (primaries) vcS.primaries = primaries;"
              + " if (transfer) vcS.transfer = transfer;"
              + " if (matrix) vcS.matrix = matrix;"
              + " vcC.colorSpace = vcS; }"
              + "this.configure(vcC);")
  public native void configure(
      String codec, String primaries, String transfer, String matrix, boolean fullRange);

  public abstract void decode(EncodedChunk chunk);

  @JSProperty
  public abstract int getDecodeQueueSize();

  @JSProperty
  public abstract String getState();

  public abstract void close();
}
