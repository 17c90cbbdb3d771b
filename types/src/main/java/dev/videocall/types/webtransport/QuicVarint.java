package dev.videocall.types.webtransport;

/**
 * QUIC variable-length integers (RFC 9000 section 16): the two high bits of the first byte give the
 * length (1, 2, 4 or 8 bytes), the rest is the value, big-endian, up to 2^62 - 1.
 */
public final class QuicVarint {
  public static final long MAX = (1L << 62) - 1;

  private QuicVarint() {}

  /** Bytes needed to encode {@code value}. */
  public static int size(long value) {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException("not a QUIC varint: " + value);
    }
    if (value < (1 << 6)) {
      return 1;
    }
    if (value < (1 << 14)) {
      return 2;
    }
    if (value < (1L << 30)) {
      return 4;
    }
    return 8;
  }

  /** Writes {@code value} at {@code offset} in its shortest form; returns the bytes written. */
  public static int write(long value, byte[] out, int offset) {
    int n = size(value);
    int prefix = n == 1 ? 0 : n == 2 ? 1 : n == 4 ? 2 : 3;
    for (int i = n - 1; i >= 0; i--) {
      out[offset + i] = (byte) value;
      value >>>= 8;
    }
    out[offset] = (byte) ((out[offset] & 0x3F) | (prefix << 6));
    return n;
  }

  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    write(value, out, 0);
    return out;
  }

  /** Length of the varint starting with {@code firstByte}. */
  public static int lengthOf(byte firstByte) {
    return 1 << ((firstByte & 0xFF) >>> 6);
  }

  /**
   * Reads the varint at {@code offset}, or returns -1 when fewer than its bytes are available
   * before {@code end} (more input is needed).
   */
  public static long read(byte[] in, int offset, int end) {
    if (offset >= end) {
      return -1;
    }
    int n = lengthOf(in[offset]);
    if (end - offset < n) {
      return -1;
    }
    long v = in[offset] & 0x3F;
    for (int i = 1; i < n; i++) {
      v = (v << 8) | (in[offset + i] & 0xFF);
    }
    return v;
  }
}
