package dev.videocall.types.e2ee;

/**
 * The digits two people read to each other to check that nobody sits between their keys: thirty
 * digits in six groups, the first three a fingerprint of one participant's public key and the last
 * three of the other's (SHA-256 of a label and the key; the keys in a fixed order, so that both
 * ends show the same digits). A server that substituted its own keys would have to find a key whose
 * fingerprint matches the real one in all 50 bits, for each of the two keys, while the meeting
 * waits: a second-preimage search, not the birthday search a single short code of both keys would
 * allow.
 */
public final class SafetyCode {
  private SafetyCode() {}

  /** Six groups of five digits from two SHA-256 fingerprints (three groups each). */
  public static String of(byte[] firstKeyHash, byte[] secondKeyHash) {
    StringBuilder s = new StringBuilder();
    append(s, firstKeyHash);
    s.append(' ');
    append(s, secondKeyHash);
    return s.toString();
  }

  private static void append(StringBuilder s, byte[] hash) {
    for (int g = 0; g < 3; g++) {
      long v = 0;
      for (int i = 0; i < 5; i++) {
        v = v << 8 | (hash[5 * g + i] & 0xff);
      }
      String digits = Long.toString(v % 100_000);
      if (g > 0) {
        s.append(' ');
      }
      for (int pad = digits.length(); pad < 5; pad++) {
        s.append('0');
      }
      s.append(digits);
    }
  }
}
