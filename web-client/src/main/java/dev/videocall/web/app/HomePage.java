package dev.videocall.web.app;

import dev.videocall.types.DisplayNames;
import dev.videocall.web.browser.Http;
import dev.videocall.web.browser.Js;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * The home page at {@code /}: a display name (free text, remembered) and a meeting to join, or a
 * new meeting with an unguessable name (created on the server with this person as host, when
 * identity is on); both lead to {@code /meeting/<meeting>}.
 */
final class HomePage {
  private final HTMLDocument doc = HTMLDocument.current();

  void start() {
    HTMLElement name = el("home-name");
    Js.setValue(name, Prefs.displayName());
    el("home-form")
        .addEventListener(
            "submit",
            (Event e) -> {
              e.preventDefault();
              join(null);
            });
    el("home-new").addEventListener("click", (Event e) -> join(Js.randomMeetingId()));
    Js.focus(Prefs.displayName().isEmpty() ? name : el("home-meeting"));
    doc.getDocumentElement().setAttribute("data-state", "ready");
  }

  private void join(String newMeeting) {
    String name = Js.value(el("home-name")).strip();
    String problem = DisplayNames.problem(name);
    show("home-name-error", problem);
    String meeting = newMeeting != null ? newMeeting : meetingOf(Js.value(el("home-meeting")));
    String meetingProblem =
        meeting == null
            ? "Enter a meeting name (letters, digits, . _ -) or paste a meeting link, or start a new"
                + " meeting"
            : null;
    show("home-meeting-error", newMeeting == null ? meetingProblem : null);
    if (problem != null || meeting == null) {
      return;
    }
    Prefs.set("name", name);
    if (newMeeting == null) {
      Js.navigate("/meeting/" + meeting);
      return;
    }
    // a new meeting is created now, with this person as its host (with identity on)
    el("home-new").setAttribute("disabled", "");
    MeetingAccess access = new MeetingAccess(null, null);
    MeetingAccess.Answer failed =
        new MeetingAccess.Answer() {
          @Override
          public void ok(String r) {}

          @Override
          public void failed(int status, String code, String message) {
            el("home-new").removeAttribute("disabled");
            show(
                "home-meeting-error",
                status == 0
                    ? "The server cannot be reached. Try again."
                    : "Could not start a meeting: " + message);
          }
        };
    access.identify(
        name,
        new MeetingAccess.Answer() {
          @Override
          public void ok(String r) {
            boolean encrypted = Js.checked(el("home-e2ee"));
            if (access.open()) {
              Js.navigate("/meeting/" + newMeeting + (encrypted ? "?e2ee=1" : ""));
              return;
            }
            access.create(
                encrypted,
                new MeetingAccess.Answer() {
                  @Override
                  public void ok(String created) {
                    Js.navigate("/meeting/" + Http.field(created, "id"));
                  }

                  @Override
                  public void failed(int status, String code, String message) {
                    failed.failed(status, code, message);
                  }
                });
          }

          @Override
          public void failed(int status, String code, String message) {
            failed.failed(status, code, message);
          }
        });
  }

  /** A meeting id typed or pasted: the id itself, or the last segment of a meeting link. */
  static String meetingOf(String typed) {
    String t = typed == null ? "" : typed.strip();
    int q = t.indexOf('?');
    if (q >= 0) {
      t = t.substring(0, q);
    }
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    int slash = t.lastIndexOf('/');
    if (slash >= 0) {
      t = t.substring(slash + 1);
    }
    String spaced = t.replace(' ', '-');
    return Main.isId(spaced) ? spaced : null;
  }

  private void show(String id, String problem) {
    HTMLElement e = el(id);
    e.setHidden(problem == null);
    e.setInnerText(problem == null ? "" : problem);
  }

  private HTMLElement el(String id) {
    return doc.getElementById(id);
  }
}
