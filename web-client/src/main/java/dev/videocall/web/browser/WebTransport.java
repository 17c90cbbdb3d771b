package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.typedarrays.Int8Array;

/** The browser's WebTransport session (HTTP/3 over QUIC). */
public abstract class WebTransport implements JSObject {
  /**
   * Opens a session to {@code url}, pinning the server certificate by its SHA-256, or (null) with
   * the browser's own certificate checks.
   */
  @JSBody(
      params = {"url", "sha256"},
      script =
          "return sha256 ? new WebTransport(url, {serverCertificateHashes:"
              + " [{algorithm: 'sha-256', value: new Uint8Array(sha256.buffer)}]})"
              + " : new WebTransport(url);")
  public static native WebTransport open(String url, Int8Array sha256);

  /** GET /api/webtransport: where the server's WebTransport endpoint is and its certificate. */
  @JSBody(
      script =
          "return fetch('/api/webtransport', {cache: 'no-store'}).then(function (r) {"
              + " if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); });")
  public static native JSPromise<Endpoint> discover();

  /** The answer of /api/webtransport. */
  public interface Endpoint extends JSObject {
    @org.teavm.jso.JSProperty
    String getUrl();

    /** Hex SHA-256 of the server certificate. */
    @org.teavm.jso.JSProperty
    String getCertificateHash();
  }

  /** The endpoint's certificate hash (hex), or null when the certificate is not pinned. */
  @JSBody(
      params = "e",
      script = "return typeof e.certificateHash === 'string' ? e.certificateHash : null;")
  public static native String certificateHashOf(Endpoint e);

  @JSBody(script = "return typeof WebTransport === 'function';")
  public static native boolean isAvailable();

  @JSBody(script = "return this.ready;")
  public native JSPromise<JSObject> ready();

  /** Resolves with {closeCode, reason} when the session ends, rejects when it fails. */
  @JSBody(script = "return this.closed;")
  public native JSPromise<CloseInfo> closed();

  @JSBody(script = "return this.datagrams.writable.getWriter();")
  public native ByteWriter datagramWriter();

  /** The incoming datagrams, as a readable stream; read it with {@link #readerOf}. */
  @JSBody(script = "return this.datagrams.readable;")
  public native JSObject datagramStream();

  @JSBody(script = "return this.incomingUnidirectionalStreams.getReader();")
  public native StreamReader incomingStreams();

  /** A new outgoing unidirectional stream, as a writer. */
  @JSBody(
      script =
          "return this.createUnidirectionalStream().then(function (s) { return s.getWriter(); });")
  public native JSPromise<ByteWriter> openStream();

  @JSBody(
      params = {"code", "reason"},
      script = "try { this.close({closeCode: code, reason: reason}); } catch (e) {}")
  public native void close(int code, String reason);

  /** A byte reader over a readable stream of Uint8Array chunks, viewed as signed bytes. */
  @JSBody(
      params = "stream",
      script =
          "var vcReader = stream.getReader();"
              + "return {read: function () { return vcReader.read().then(function (r) {"
              + " return {value: r.value ? new Int8Array(r.value.buffer, r.value.byteOffset,"
              + " r.value.byteLength) : null, done: r.done}; }); }};")
  public static native ByteReader readerOf(JSObject stream);

  /** How a session ended. */
  public interface CloseInfo extends JSObject {
    @org.teavm.jso.JSProperty
    int getCloseCode();

    @org.teavm.jso.JSProperty
    String getReason();
  }
}
