package dev.videocall.web.browser;

import dev.videocall.web.browser.CodecCallbacks.ChunkOutput;
import dev.videocall.web.browser.CodecCallbacks.ErrorHandler;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;

/** WebCodecs VideoEncoder. */
public abstract class VideoEncoder implements JSObject {
  @JSBody(
      params = {"output", "error"},
      script = "return new VideoEncoder({output: output, error: error});")
  public static native VideoEncoder create(ChunkOutput output, ErrorHandler error);

  /**
   * Real-time configuration: VP8 ("vp8") or VP9 ("vp09.00.10.08"), with {@code scalabilityMode}
   * (e.g. "L1T3": three temporal layers) unless it is null. False when {@code configure} threw (a
   * browser may refuse a configuration at once instead of through the error callback).
   */
  @JSBody(
      params = {"codec", "width", "height", "bitrate", "fps", "scalabilityMode"},
      script =
          "var vcC = {codec: codec, width: width, height: height, bitrate: bitrate,"
              + " framerate: fps, latencyMode: 'realtime'};"
              + "if (scalabilityMode) { vcC.scalabilityMode = scalabilityMode; }"
              + "try { this.configure(vcC); return true; }"
              + " catch (e) { console.log('[videocall] configure: ' + e); return false; }")
  public native boolean configureRealtime(
      String codec, int width, int height, int bitrate, int fps, String scalabilityMode);

  /** An output's temporal layer ({@code metadata.svc.temporalLayerId}), or -1 when it has none. */
  @JSBody(
      params = "metadata",
      script =
          "var vcS = metadata && metadata.svc;"
              + "return vcS && typeof vcS.temporalLayerId === 'number' ? vcS.temporalLayerId : -1;")
  public static native int temporalLayerId(JSObject metadata);

  @JSBody(
      params = {"frame", "key"},
      script = "this.encode(frame, {keyFrame: key});")
  public native void encode(VideoFrame frame, boolean key);

  /**
   * A field of the colour space in an output's metadata ({@code decoderConfig.colorSpace}, given
   * with keyframes): "primaries", "transfer" or "matrix", or null when there is none.
   */
  @JSBody(
      params = {"metadata", "field"},
      script =
          "var vcC = metadata && metadata.decoderConfig && metadata.decoderConfig.colorSpace;"
              + "return vcC && typeof vcC[field] === 'string' ? vcC[field] : null;")
  public static native String colorSpaceField(JSObject metadata, String field);

  @JSBody(
      params = "metadata",
      script =
          "var vcC = metadata && metadata.decoderConfig && metadata.decoderConfig.colorSpace;"
              + "return !!(vcC && vcC.fullRange);")
  public static native boolean colorSpaceFullRange(JSObject metadata);

  @JSProperty
  public abstract int getEncodeQueueSize();

  @JSProperty
  public abstract String getState();

  public abstract void close();
}
