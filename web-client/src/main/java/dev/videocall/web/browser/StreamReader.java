package dev.videocall.web.browser;

import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSPromise;

/** A reader of incoming unidirectional streams; each value is a stream to read. */
public interface StreamReader extends JSObject {
  JSPromise<Next> read();

  /** One incoming stream, or done when the session ends. */
  interface Next extends JSObject {
    @JSProperty
    JSObject getValue();

    @JSProperty
    boolean isDone();
  }
}
