package dev.videocall.web.app;

import dev.videocall.web.browser.Js;

/** What the page remembers between visits, in localStorage. */
final class Prefs {
  private static final String PREFIX = "videocall.";

  private Prefs() {}

  static String get(String key) {
    return Js.load(PREFIX + key);
  }

  static void set(String key, String value) {
    Js.store(PREFIX + key, value == null ? "" : value);
  }

  static boolean flag(String key, boolean fallback) {
    String v = get(key);
    return v == null || v.isEmpty() ? fallback : "true".equals(v);
  }

  static void setFlag(String key, boolean value) {
    set(key, String.valueOf(value));
  }

  static String displayName() {
    String n = get("name");
    return n == null ? "" : n;
  }
}
