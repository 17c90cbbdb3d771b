package dev.videocall.web.app;

import org.teavm.jso.browser.Window;
import org.teavm.jso.dom.html.HTMLDocument;

/** Entry point of the meeting page: {@code /meeting/{user}/{meeting}}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    String[] parts = Window.current().getLocation().getPathName().split("/");
    // "", "meeting", user, meeting
    if (parts.length < 4 || !isId(parts[2]) || !isId(parts[3])) {
      HTMLDocument.current().getBody().setInnerText("Open /meeting/<user>/<meeting>.");
      return;
    }
    new MeetingApp(parts[2], parts[3]).start();
  }

  /**
   * The server's id rule, [A-Za-z0-9._-]{1,64}, without pulling java.util.regex into the bundle.
   */
  static boolean isId(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
