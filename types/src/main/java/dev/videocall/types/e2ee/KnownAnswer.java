package dev.videocall.types.e2ee;

/**
 * A known-answer test of SFrame on this platform's crypto, run before a participant encrypts
 * anything: RFC 9605 Appendix C.3's {@code AES_128_GCM_SHA256_128} case (key schedule, nonce, AAD,
 * AES-GCM) and C.1 header encodings. A browser whose WebCrypto disagrees with the RFC would encrypt
 * frames nobody else can read; better to know at once and say so.
 */
public final class KnownAnswer {
  /** Appendix C.3, cipher suite 0x0004: the SFrame ciphertext of {@link #PT}. */
  public static final String CT =
      "9901234567b7412c2513a1b66dbb48841bbaf17f598751176ad847681a69c6d0b091c07018ce4adb34eb";

  static final long KID = 0x123;
  static final long CTR = 0x4567;
  static final String BASE_KEY = "000102030405060708090a0b0c0d0e0f";
  static final String METADATA = "4945544620534672616d65205747";
  static final String PT = "64726166742d696574662d736672616d652d656e63";

  /** Appendix C.1: kid, ctr, encoded header (a spread of field lengths). */
  static final String[][] HEADERS = {
    {"0", "0", "00"},
    {"0", "ff", "08ff"},
    {"1", "ffff", "19ffff"},
    {"ff", "0", "80ff"},
    {"ffffffffffff", "1000000", "dbffffffffffff01000000"},
    {"ffffffffffffffff", "ffffffffffffffff", "ffffffffffffffffffffffffffffffffff"},
  };

  private KnownAnswer() {}

  /** Passes with the computed ciphertext (hex), or fails saying what differed. */
  public static void run(E2eeCrypto crypto, E2eeCrypto.Result<String> done) {
    for (String[] h : HEADERS) {
      String got = hex(SFrame.header(hexLong(h[0]), hexLong(h[1])));
      if (!got.equals(h[2])) {
        done.failed("header " + h[0] + "/" + h[1] + ": " + got + ", expected " + h[2]);
        return;
      }
    }
    byte[] metadata = unhex(METADATA);
    SFrameKey.derive(
        crypto,
        unhex(BASE_KEY),
        KID,
        Steps.then(
            done,
            key ->
                key.encrypt(
                    crypto,
                    CTR,
                    metadata,
                    unhex(PT),
                    Steps.then(
                        done,
                        ct -> {
                          if (!hex(ct).equals(CT)) {
                            done.failed("ciphertext " + hex(ct) + ", expected " + CT);
                            return;
                          }
                          key.decrypt(
                              crypto,
                              metadata,
                              ct,
                              Steps.then(
                                  done,
                                  pt -> {
                                    if (hex(pt).equals(PT)) {
                                      done.ok(hex(ct));
                                    } else {
                                      done.failed("decrypted " + hex(pt) + ", expected " + PT);
                                    }
                                  }));
                        }))));
  }

  public static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return s.toString();
  }

  /** An unsigned 64-bit value from hex (TeaVM has no Long.parseUnsignedLong). */
  static long hexLong(String hex) {
    long v = 0;
    for (int i = 0; i < hex.length(); i++) {
      v = v << 4 | Character.digit(hex.charAt(i), 16);
    }
    return v;
  }

  static byte[] unhex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          (byte)
              (Character.digit(hex.charAt(2 * i), 16) << 4
                  | Character.digit(hex.charAt(2 * i + 1), 16));
    }
    return out;
  }
}
