package dev.videocall.types.webtransport;

import java.nio.charset.StandardCharsets;

/**
 * An HTTP capsule (RFC 9297): varint type, varint length, payload. WebTransport sends them on the
 * session's CONNECT stream.
 *
 * @param type the capsule type
 * @param payload its bytes
 */
public record Capsule(long type, byte[] payload) {

  public byte[] encode() {
    byte[] out = new byte[QuicVarint.size(type) + QuicVarint.size(payload.length) + payload.length];
    int n = QuicVarint.write(type, out, 0);
    n += QuicVarint.write(payload.length, out, n);
    System.arraycopy(payload, 0, out, n, payload.length);
    return out;
  }

  /**
   * CLOSE_WEBTRANSPORT_SESSION with an application error code and a reason (truncated to 1024
   * bytes).
   */
  public static Capsule closeSession(int errorCode, String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(text.length, WebTransportProtocol.MAX_CLOSE_REASON_BYTES);
    byte[] payload = new byte[4 + n];
    payload[0] = (byte) (errorCode >>> 24);
    payload[1] = (byte) (errorCode >>> 16);
    payload[2] = (byte) (errorCode >>> 8);
    payload[3] = (byte) errorCode;
    System.arraycopy(text, 0, payload, 4, n);
    return new Capsule(WebTransportProtocol.CAPSULE_CLOSE_SESSION, payload);
  }

  /** The error code of a CLOSE_WEBTRANSPORT_SESSION capsule. */
  public int closeErrorCode() {
    requireClose();
    return ((payload[0] & 0xFF) << 24)
        | ((payload[1] & 0xFF) << 16)
        | ((payload[2] & 0xFF) << 8)
        | (payload[3] & 0xFF);
  }

  /** The reason of a CLOSE_WEBTRANSPORT_SESSION capsule. */
  public String closeReason() {
    requireClose();
    return new String(payload, 4, payload.length - 4, StandardCharsets.UTF_8);
  }

  private void requireClose() {
    if (type != WebTransportProtocol.CAPSULE_CLOSE_SESSION || payload.length < 4) {
      throw new IllegalStateException("not a CLOSE_WEBTRANSPORT_SESSION capsule");
    }
  }

  /** Accumulates bytes of a CONNECT stream and yields whole capsules as they complete. */
  public static final class Reader {
    private final int maxPayload;
    private final ByteQueue queue = new ByteQueue();

    public Reader(int maxPayload) {
      this.maxPayload = maxPayload;
    }

    public void feed(byte[] data, int offset, int length) {
      queue.feed(data, offset, length);
    }

    /** The next whole capsule, or null when more bytes are needed. */
    public Capsule next() {
      long type = queue.varintAt(0);
      if (type < 0) {
        return null;
      }
      int typeBytes = queue.varintLengthAt(0);
      long length = queue.varintAt(typeBytes);
      if (length < 0) {
        return null;
      }
      if (length > maxPayload) {
        throw new IllegalStateException(
            "capsule of " + length + " bytes exceeds the limit of " + maxPayload);
      }
      int header = typeBytes + queue.varintLengthAt(typeBytes);
      if (queue.size() - header < length) {
        return null;
      }
      return new Capsule(type, queue.take(header, (int) length));
    }
  }
}
