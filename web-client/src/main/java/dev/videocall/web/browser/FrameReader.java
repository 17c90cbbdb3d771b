package dev.videocall.web.browser;

import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSPromise;

/** A ReadableStreamDefaultReader of VideoFrame or AudioData. */
public interface FrameReader<T extends JSObject> extends JSObject {
  JSPromise<Result<T>> read();

  JSPromise<JSObject> cancel();

  /** One read: a frame, or done when the track ended. */
  interface Result<T extends JSObject> extends JSObject {
    @JSProperty
    T getValue();

    @JSProperty
    boolean isDone();
  }
}
