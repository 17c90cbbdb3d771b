package dev.videocall.web.browser;

import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;

/** Callbacks handed to WebCodecs encoders and decoders. */
public final class CodecCallbacks {
  private CodecCallbacks() {}

  /** An encoder's output: a chunk and its metadata (may be undefined). */
  @JSFunctor
  public interface ChunkOutput extends JSObject {
    void onChunk(EncodedChunk chunk, JSObject metadata);
  }

  /** A video decoder's output. */
  @JSFunctor
  public interface VideoFrameOutput extends JSObject {
    void onFrame(VideoFrame frame);
  }

  /** An audio decoder's output. */
  @JSFunctor
  public interface AudioDataOutput extends JSObject {
    void onData(AudioData data);
  }

  /** Encoder or decoder failure; the codec is closed afterwards. */
  @JSFunctor
  public interface ErrorHandler extends JSObject {
    void onError(JSObject error);
  }
}
