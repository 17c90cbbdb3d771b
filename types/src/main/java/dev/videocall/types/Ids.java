package dev.videocall.types;

import java.util.regex.Pattern;

/** Rules for user and meeting ids, which appear in URLs and NATS subjects. */
public final class Ids {
  /** Letters, digits, dot, underscore and dash; 1 to 64 characters. */
  public static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private Ids() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /**
   * Returns the id unchanged, or throws with a message naming what was wrong.
   *
   * @param what "user id" or "meeting id", used in the message
   */
  public static String require(String what, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          what + " must match " + VALID.pattern() + ", got " + describe(id));
    }
    return id;
  }

  private static String describe(String id) {
    if (id == null) {
      return "nothing";
    }
    String shown = id.length() > 80 ? id.substring(0, 80) + "..." : id;
    return "'" + shown + "' (" + id.length() + " characters)";
  }
}
