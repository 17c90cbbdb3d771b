package dev.videocall.types.webtransport;

/**
 * The numbers and byte layouts of WebTransport over HTTP/3 (draft-ietf-webtrans-http3) as Chromium
 * speaks it: SETTINGS ids, stream headers, datagram prefixes.
 */
public final class WebTransportProtocol {
  /** HTTP/3 SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 9220): extended CONNECT. */
  public static final long SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x08;

  /** HTTP/3 SETTINGS_H3_DATAGRAM (RFC 9297). */
  public static final long SETTINGS_H3_DATAGRAM = 0x33;

  /** SETTINGS_ENABLE_WEBTRANSPORT of draft-02. */
  public static final long SETTINGS_ENABLE_WEBTRANSPORT = 0x2b603742L;

  /** SETTINGS_WEBTRANSPORT_MAX_SESSIONS of drafts 03-07. */
  public static final long SETTINGS_WEBTRANSPORT_MAX_SESSIONS = 0xc671706aL;

  /** SETTINGS_WT_MAX_SESSIONS of later drafts. */
  public static final long SETTINGS_WT_MAX_SESSIONS = 0x14e9cd29L;

  /** First varint of a unidirectional WebTransport stream, followed by the session id. */
  public static final long UNI_STREAM_TYPE = 0x54;

  /** First varint of a bidirectional WebTransport stream, followed by the session id. */
  public static final long BIDI_STREAM_SIGNAL = 0x41;

  /** Capsule ending a session: 32-bit application error code, then a UTF-8 reason. */
  public static final long CAPSULE_CLOSE_SESSION = 0x2843;

  /** Capsule asking the peer to wind the session down. */
  public static final long CAPSULE_DRAIN_SESSION = 0x78ae;

  /** RFC 9220 {@code :protocol} value for WebTransport. */
  public static final String PROTOCOL = "webtransport";

  /** Longest close reason a CLOSE_WEBTRANSPORT_SESSION capsule may carry. */
  public static final int MAX_CLOSE_REASON_BYTES = 1024;

  private WebTransportProtocol() {}

  /** The bytes that open a unidirectional stream of session {@code sessionId}. */
  public static byte[] uniStreamHeader(long sessionId) {
    return header(UNI_STREAM_TYPE, sessionId);
  }

  /** The bytes that open a bidirectional stream of session {@code sessionId}. */
  public static byte[] bidiStreamHeader(long sessionId) {
    return header(BIDI_STREAM_SIGNAL, sessionId);
  }

  /**
   * HTTP/3 datagrams start with the quarter stream id of the request stream (RFC 9297); for
   * WebTransport that is the session id divided by four.
   */
  public static byte[] datagramPrefix(long sessionId) {
    if ((sessionId & 3) != 0) {
      throw new IllegalArgumentException(
          "not a client-initiated bidirectional stream id: " + sessionId);
    }
    return QuicVarint.encode(sessionId >>> 2);
  }

  /** The session a datagram with quarter stream id {@code quarterStreamId} belongs to. */
  public static long sessionOfDatagram(long quarterStreamId) {
    return quarterStreamId << 2;
  }

  private static byte[] header(long type, long sessionId) {
    byte[] out = new byte[QuicVarint.size(type) + QuicVarint.size(sessionId)];
    int n = QuicVarint.write(type, out, 0);
    QuicVarint.write(sessionId, out, n);
    return out;
  }
}
