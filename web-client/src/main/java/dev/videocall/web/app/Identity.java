package dev.videocall.web.app;

import dev.videocall.web.browser.Js;
import java.util.function.Consumer;

/**
 * Who this browser is in meetings: a user id the server assigns (so that nobody picks another
 * person's id, and two people with one name are two people), kept in localStorage, so that two tabs
 * of one browser are one participant (the second replaces the first) and a reload rejoins as the
 * same person.
 */
final class Identity {
  private Identity() {}

  /** The user id, asking the server for one the first time; null when the server cannot say. */
  static void userId(Consumer<String> done) {
    String known = Prefs.get("user");
    if (known != null && Main.isId(known)) {
      done.accept(known);
      return;
    }
    Js.post(
        "/api/v1/guests",
        "{}",
        response -> {
          String id = response == null ? null : Js.jsonField(response, "userId");
          if (id != null && Main.isId(id)) {
            Prefs.set("user", id);
          }
          done.accept(id != null && Main.isId(id) ? id : null);
        });
  }
}
