package dev.videocall.types.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protobuf wire-format writer with proto3 semantics (default values are not written), for code that
 * cannot use protobuf-java (the browser client compiled by TeaVM). Callers write fields in
 * field-number order, which makes the output byte-identical to protobuf-java's.
 */
public final class ProtoWriter {
  private byte[] buf = new byte[64];
  private int pos;

  public ProtoWriter uint64(int field, long value) {
    if (value != 0) {
      tag(field, 0);
      varint(value);
    }
    return this;
  }

  /** int32 and enum fields: negative values take ten bytes, as in protobuf. */
  public ProtoWriter int32(int field, int value) {
    return uint64(field, value);
  }

  public ProtoWriter uint32(int field, int value) {
    return uint64(field, value & 0xFFFFFFFFL);
  }

  public ProtoWriter bool(int field, boolean value) {
    return uint64(field, value ? 1 : 0);
  }

  public ProtoWriter float64(int field, double value) {
    long bits = Double.doubleToRawLongBits(value);
    if (bits != 0) {
      tag(field, 1);
      for (int i = 0; i < 8; i++) {
        put((byte) (bits >>> (8 * i)));
      }
    }
    return this;
  }

  public ProtoWriter float32(int field, float value) {
    int bits = Float.floatToRawIntBits(value);
    if (bits != 0) {
      tag(field, 5);
      for (int i = 0; i < 4; i++) {
        put((byte) (bits >>> (8 * i)));
      }
    }
    return this;
  }

  public ProtoWriter string(int field, String value) {
    if (value != null && !value.isEmpty()) {
      bytesAlways(field, value.getBytes(StandardCharsets.UTF_8));
    }
    return this;
  }

  /** A string written even when empty: map entry keys are always present on the wire. */
  public ProtoWriter stringAlways(int field, String value) {
    bytesAlways(field, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public ProtoWriter bytes(int field, byte[] value) {
    if (value != null && value.length > 0) {
      bytesAlways(field, value);
    }
    return this;
  }

  /** A nested message: written whenever present, even when empty (proto3 message presence). */
  public ProtoWriter message(int field, byte[] encoded) {
    if (encoded != null) {
      bytesAlways(field, encoded);
    }
    return this;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void bytesAlways(int field, byte[] value) {
    tag(field, 2);
    varint(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, buf, pos, value.length);
    pos += value.length;
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    put((byte) v);
  }

  private void put(byte b) {
    ensure(1);
    buf[pos++] = b;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
