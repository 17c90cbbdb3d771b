package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.typedarrays.ArrayBufferView;
import org.teavm.jso.typedarrays.Int8Array;

/** EncodedVideoChunk or EncodedAudioChunk: one compressed frame. */
public abstract class EncodedChunk implements JSObject {
  @JSProperty
  public abstract String getType();

  @JSProperty
  public abstract double getTimestamp();

  @JSProperty
  public abstract int getByteLength();

  public abstract void copyTo(ArrayBufferView destination);

  /** The chunk's bytes as a Java array. */
  public static byte[] bytesOf(EncodedChunk chunk) {
    Int8Array view = Int8Array.create(chunk.getByteLength());
    chunk.copyTo(view);
    return view.copyToJavaArray();
  }

  public static EncodedChunk video(boolean key, double timestampUs, byte[] data) {
    return newVideo(key ? "key" : "delta", timestampUs, Int8Array.copyFromJavaArray(data));
  }

  public static EncodedChunk audio(double timestampUs, byte[] data) {
    return newAudio(timestampUs, Int8Array.copyFromJavaArray(data));
  }

  @JSBody(
      params = {"type", "timestamp", "data"},
      script = "return new EncodedVideoChunk({type: type, timestamp: timestamp, data: data});")
  private static native EncodedChunk newVideo(String type, double timestamp, Int8Array data);

  @JSBody(
      params = {"timestamp", "data"},
      script = "return new EncodedAudioChunk({type: 'key', timestamp: timestamp, data: data});")
  private static native EncodedChunk newAudio(double timestamp, Int8Array data);
}
