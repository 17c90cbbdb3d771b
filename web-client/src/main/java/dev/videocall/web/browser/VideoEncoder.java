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

  /** Real-time configuration: VP8 ("vp8") or VP9 ("vp09.00.10.08"). */
  @JSBody(
      params = {"codec", "width", "height", "bitrate", "fps"},
      script =
          "this.configure({codec: codec, width: width, height: height, bitrate: bitrate,"
              + " framerate: fps, latencyMode: 'realtime'});")
  public native void configureRealtime(String codec, int width, int height, int bitrate, int fps);

  @JSBody(
      params = {"frame", "key"},
      script = "this.encode(frame, {keyFrame: key});")
  public native void encode(VideoFrame frame, boolean key);

  @JSProperty
  public abstract int getEncodeQueueSize();

  @JSProperty
  public abstract String getState();

  public abstract void close();
}
