package dev.videocall.types.e2ee;

/**
 * The digits two people read to each other to check that nobody sits between their keys: twelve
 * digits in three groups, from SHA-256 of a label and both public keys (sorted, so both ends
 * compute the same). A server that swapped a public key would make the two ends show different
 * digits. About 40 bits: enough against an attacker who must choose the swap before seeing the
 * codes, short enough to say aloud.
 */
public final class SafetyCode {
  private SafetyCode() {}

  public static String of(byte[] sha256) {
    StringBuilder s = new StringBuilder();
    for (int g = 0; g < 3; g++) {
      int v = ((sha256[2 * g] & 0xff) << 8 | (sha256[2 * g + 1] & 0xff)) % 10000;
      if (g > 0) {
        s.append(' ');
      }
      String digits = Integer.toString(v);
      for (int pad = digits.length(); pad < 4; pad++) {
        s.append('0');
      }
      s.append(digits);
    }
    return s.toString();
  }
}
