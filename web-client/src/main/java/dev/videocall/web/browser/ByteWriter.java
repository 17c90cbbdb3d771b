package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.typedarrays.Int8Array;

/** A writer of a byte stream (a WebTransport stream or the datagram stream). */
public abstract class ByteWriter implements JSObject {
  @JSBody(params = "bytes", script = "return this.write(new Uint8Array(bytes.buffer));")
  public native JSPromise<JSObject> write(Int8Array bytes);

  @JSBody(script = "return this.close();")
  public native JSPromise<JSObject> close();

  /** Bytes the stream can take before it applies backpressure (may be negative). */
  @JSBody(script = "return this.desiredSize === null ? 0 : this.desiredSize;")
  public native double desiredSize();
}
