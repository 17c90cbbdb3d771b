package dev.videocall.types.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Protobuf wire-format reader; the counterpart of {@link ProtoWriter}. */
public final class ProtoReader {
  private final byte[] buf;
  private int pos;
  private final int end;
  private int tag;

  public ProtoReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ProtoReader(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw new WireFormatException("bad bounds");
    }
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  /** Advances to the next field and returns its number, or 0 at the end. */
  public int next() {
    if (pos >= end) {
      return 0;
    }
    long t = varint();
    int field = (int) (t >>> 3);
    if (field <= 0 || t > 0xFFFFFFFFL) {
      throw new WireFormatException("invalid tag " + t);
    }
    tag = (int) t;
    return field;
  }

  public long uint64() {
    expect(0);
    return varint();
  }

  public int int32() {
    return (int) uint64();
  }

  public boolean bool() {
    return uint64() != 0;
  }

  public double float64() {
    expect(1);
    need(8);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits |= (buf[pos++] & 0xFFL) << (8 * i);
    }
    return Double.longBitsToDouble(bits);
  }

  public float float32() {
    expect(5);
    need(4);
    int bits = 0;
    for (int i = 0; i < 4; i++) {
      bits |= (buf[pos++] & 0xFF) << (8 * i);
    }
    return Float.intBitsToFloat(bits);
  }

  public byte[] bytes() {
    int n = length();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  public String string() {
    int n = length();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** A reader over the current length-delimited field, which it consumes. */
  public ProtoReader message() {
    int n = length();
    ProtoReader nested = new ProtoReader(buf, pos, n);
    pos += n;
    return nested;
  }

  /** Skips the current field, whatever its type: unknown fields are ignored. */
  public void skip() {
    switch (tag & 7) {
      case 0:
        varint();
        break;
      case 1:
        need(8);
        pos += 8;
        break;
      case 2:
        int n = length(); // not "pos += length()": that reads pos before length() moves it
        pos += n;
        break;
      case 5:
        need(4);
        pos += 4;
        break;
      default:
        throw new WireFormatException("unsupported wire type " + (tag & 7));
    }
  }

  private int length() {
    expect(2);
    long n = varint();
    if (n < 0 || n > end - pos) {
      throw new WireFormatException("truncated field");
    }
    return (int) n;
  }

  private void expect(int wireType) {
    if ((tag & 7) != wireType) {
      throw new WireFormatException(
          "field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected " + wireType);
    }
  }

  private void need(int n) {
    if (end - pos < n) {
      throw new WireFormatException("truncated field");
    }
  }

  private long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new WireFormatException("truncated varint");
      }
      byte b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new WireFormatException("malformed varint");
  }
}
