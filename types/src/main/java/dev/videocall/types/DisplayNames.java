package dev.videocall.types;

import java.nio.charset.StandardCharsets;

/**
 * What a display name may be: free text in any language, 1 to {@link #MAX_CHARACTERS} characters
 * (code points) and at most {@link #MAX_BYTES} bytes of UTF-8 after trimming, with nothing that
 * does not print: no control characters, no bidirectional overrides (which let a name reverse the
 * text around it), no unpaired surrogates or non-characters. Names travel in every roster and
 * presence message, so they are bounded. TeaVM-safe: the page checks names with the same rule.
 */
public final class DisplayNames {
  public static final int MAX_CHARACTERS = 64;
  public static final int MAX_BYTES = 256;

  private DisplayNames() {}

  /** Null when {@code name} is acceptable, else a short reason for the person who typed it. */
  public static String problem(String name) {
    if (name == null) {
      return "a display name is required";
    }
    String t = name.strip();
    if (t.isEmpty()) {
      return "a display name is required";
    }
    int count = 0;
    for (int i = 0; i < t.length(); ) {
      char c = t.charAt(i);
      int cp;
      if (Character.isHighSurrogate(c)
          && i + 1 < t.length()
          && Character.isLowSurrogate(t.charAt(i + 1))) {
        cp = Character.toCodePoint(c, t.charAt(i + 1));
        i += 2;
      } else if (Character.isSurrogate(c)) {
        return "the display name is not valid text";
      } else {
        cp = c;
        i++;
      }
      if (!printable(cp)) {
        return "the display name contains a character that does not print (U+"
            + Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)
            + ")";
      }
      count++;
    }
    if (count > MAX_CHARACTERS) {
      return "a display name has at most "
          + MAX_CHARACTERS
          + " characters (this one has "
          + count
          + ")";
    }
    if (t.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "the display name is too long";
    }
    return null;
  }

  public static boolean isValid(String name) {
    return problem(name) == null;
  }

  /** The name as stored and shown: trimmed; throws IllegalArgumentException when not valid. */
  public static String require(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return name.strip();
  }

  private static boolean printable(int cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      return false; // C0 and C1 controls, DEL
    }
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      return false; // bidirectional embeddings, overrides and isolates
    }
    if (cp == 0x200E || cp == 0x200F || cp == 0x061C) {
      return false; // direction marks
    }
    if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) {
      return false; // line and paragraph separators, byte-order mark
    }
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
      return false; // non-characters
    }
    return !(cp >= 0xE000 && cp <= 0xF8FF); // private use: renders as nothing useful
  }
}
