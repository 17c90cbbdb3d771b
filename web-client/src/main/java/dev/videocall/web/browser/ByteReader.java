package dev.videocall.web.browser;

import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.typedarrays.Int8Array;

/** A reader of a byte stream (a WebTransport stream or the datagram stream). */
public interface ByteReader extends JSObject {
  JSPromise<Chunk> read();

  /** One read: bytes, or done at the end of the stream. */
  interface Chunk extends JSObject {
    @JSProperty
    Int8Array getValue();

    @JSProperty
    boolean isDone();
  }
}
