package dev.videocall.web.app;

import dev.videocall.web.browser.Js;
import org.teavm.jso.dom.html.HTMLDocument;

/**
 * Entry point of the page: the home page at {@code /}, a meeting at {@code /meeting/<meeting>} (the
 * user id is assigned by the server), or the shortcut {@code /meeting/<user>/<meeting>}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    String[] parts = Js.path().split("/");
    Icons.fill(HTMLDocument.current());
    if (parts.length <= 1 || parts[1].isEmpty()) {
      new HomePage().start();
      return;
    }
    // "", "meeting", meeting  |  "", "meeting", user, meeting
    if (parts.length == 3 && isId(parts[2])) {
      new MeetingApp(null, parts[2]).start();
    } else if (parts.length == 4 && isId(parts[2]) && isId(parts[3])) {
      new MeetingApp(parts[2], parts[3]).start();
    } else {
      HTMLDocument.current().getBody().setInnerText("Open / to start or join a meeting.");
    }
  }

  /**
   * The server's id rule, [A-Za-z0-9._-]{1,64}, without pulling java.util.regex into the bundle.
   */
  static boolean isId(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
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
