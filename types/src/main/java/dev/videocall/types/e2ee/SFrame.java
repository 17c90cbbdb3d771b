package dev.videocall.types.e2ee;

/**
 * SFrame (RFC 9605) with the one cipher suite this project uses, {@code AES_128_GCM_SHA256_128}
 * (0x0004): the header (KID and CTR, minimal big-endian lengths, section 4.3), the key schedule's
 * labels (section 4.4.2), the nonce (salt XOR CTR) and the AAD (header then metadata, section
 * 4.4.3). Pure functions: the AES-GCM and HKDF they feed are the platform's ({@link E2eeCrypto}),
 * the JDK's on the JVM and WebCrypto's in the page, so that one rule set runs in both.
 */
public final class SFrame {
  /** AES_128_GCM_SHA256_128. */
  public static final int CIPHER_SUITE = 0x0004;

  /** Key, nonce and tag sizes of the suite (Nk, Nn, Nt). */
  public static final int KEY_BYTES = 16;

  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  /** The longest header: 1 byte of config, 8 of KID, 8 of CTR. */
  public static final int MAX_HEADER_BYTES = 17;

  private SFrame() {}

  /** A parsed header: KID, CTR and how many bytes of the frame it took. */
  public static final class Header {
    public final long kid;
    public final long ctr;
    public final int length;

    Header(long kid, long ctr, int length) {
      this.kid = kid;
      this.ctr = ctr;
      this.length = length;
    }
  }

  /**
   * The header for {@code kid} and {@code ctr} (both unsigned 64-bit): {@code |X|K|Y|C|}, a value
   * below 8 inline in its 3 bits, else its minimal big-endian bytes and their count minus one.
   */
  public static byte[] header(long kid, long ctr) {
    boolean kidInline = Long.compareUnsigned(kid, 8) < 0;
    boolean ctrInline = Long.compareUnsigned(ctr, 8) < 0;
    int kidLen = kidInline ? 0 : minimalLength(kid);
    int ctrLen = ctrInline ? 0 : minimalLength(ctr);
    byte[] out = new byte[1 + kidLen + ctrLen];
    int config = 0;
    config |= kidInline ? (int) kid << 4 : 0x80 | (kidLen - 1) << 4;
    config |= ctrInline ? (int) ctr : 0x08 | (ctrLen - 1);
    out[0] = (byte) config;
    putBigEndian(out, 1, kid, kidLen);
    putBigEndian(out, 1 + kidLen, ctr, ctrLen);
    return out;
  }

  /** Reads the header at the start of {@code frame}; throws when the frame is shorter than it. */
  public static Header parseHeader(byte[] frame) {
    if (frame == null || frame.length == 0) {
      throw new IllegalArgumentException("empty SFrame");
    }
    int config = frame[0] & 0xff;
    int pos = 1;
    long kid;
    if ((config & 0x80) == 0) {
      kid = (config >> 4) & 0x07;
    } else {
      int len = ((config >> 4) & 0x07) + 1;
      kid = readBigEndian(frame, pos, len);
      pos += len;
    }
    long ctr;
    if ((config & 0x08) == 0) {
      ctr = config & 0x07;
    } else {
      int len = (config & 0x07) + 1;
      ctr = readBigEndian(frame, pos, len);
      pos += len;
    }
    return new Header(kid, ctr, pos);
  }

  /** {@code "SFrame 1.0 Secret key " || KID || cipher_suite}: the HKDF info for sframe_key. */
  public static byte[] keyLabel(long kid) {
    return label("SFrame 1.0 Secret key ", kid);
  }

  /** {@code "SFrame 1.0 Secret salt " || KID || cipher_suite}: the HKDF info for sframe_salt. */
  public static byte[] saltLabel(long kid) {
    return label("SFrame 1.0 Secret salt ", kid);
  }

  private static byte[] label(String text, long kid) {
    byte[] prefix = ascii(text);
    byte[] out = new byte[prefix.length + 8 + 2];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    putBigEndian(out, prefix.length, kid, 8);
    putBigEndian(out, prefix.length + 8, CIPHER_SUITE, 2);
    return out;
  }

  /** {@code sframe_salt XOR CTR}, the counter right-aligned in {@link #NONCE_BYTES} bytes. */
  public static byte[] nonce(byte[] salt, long ctr) {
    if (salt.length != NONCE_BYTES) {
      throw new IllegalArgumentException("salt must be " + NONCE_BYTES + " bytes");
    }
    byte[] out = salt.clone();
    for (int i = 0; i < 8; i++) {
      out[NONCE_BYTES - 1 - i] ^= (byte) (ctr >>> (8 * i));
    }
    return out;
  }

  /** The AEAD's associated data: the header, then the application's metadata. */
  public static byte[] aad(byte[] header, byte[] metadata) {
    return concat(header, metadata);
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  public static byte[] slice(byte[] bytes, int from) {
    byte[] out = new byte[bytes.length - from];
    System.arraycopy(bytes, from, out, 0, out.length);
    return out;
  }

  static byte[] ascii(String text) {
    byte[] out = new byte[text.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) text.charAt(i);
    }
    return out;
  }

  private static int minimalLength(long value) {
    int len = 1;
    while (len < 8 && Long.compareUnsigned(value, 1L << (8 * len)) >= 0) {
      len++;
    }
    return len;
  }

  static void putBigEndian(byte[] out, int at, long value, int len) {
    for (int i = 0; i < len; i++) {
      out[at + len - 1 - i] = (byte) (value >>> (8 * i));
    }
  }

  private static long readBigEndian(byte[] in, int at, int len) {
    if (at + len > in.length) {
      throw new IllegalArgumentException("SFrame header longer than the frame");
    }
    long v = 0;
    for (int i = 0; i < len; i++) {
      v = v << 8 | (in[at + i] & 0xff);
    }
    return v;
  }
}
