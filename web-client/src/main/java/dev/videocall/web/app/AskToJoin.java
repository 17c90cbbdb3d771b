package dev.videocall.web.app;

import dev.videocall.types.DisplayNames;
import dev.videocall.web.browser.Http;
import dev.videocall.web.browser.Js;

/**
 * Getting in after Join is pressed: an identity for the name, then the meeting's answer. A host is
 * in at once; a guest of a meeting with a waiting room waits on the join screen ("Asking to join…",
 * with Cancel) while the server holds a status request open until a host decides; a refusal ends on
 * a screen that says why.
 */
final class AskToJoin {
  /** How long the server may hold one status request (it answers sooner on a decision). */
  private static final int WAIT_SECONDS = 25;

  interface Listener {
    void admitted(String displayName);

    /** No way in: {@code code} is the server's (REJECTED, REMOVED, MEETING_LOCKED, ...). */
    void refused(String code, String message);
  }

  private final MeetingAccess access;
  private final JoinScreen screen;
  private final Listener listener;
  private String name;
  private boolean waiting;
  private int attempt; // answers to an abandoned wait are ignored

  AskToJoin(MeetingAccess access, JoinScreen screen, Listener listener) {
    this.access = access;
    this.screen = screen;
    this.listener = listener;
  }

  /**
   * Asks the server who this browser is while the person looks at the preview, so that pressing
   * Join costs one request, not two (the name given then is the one the meeting shows).
   */
  void prepare(String defaultName) {
    String n = DisplayNames.problem(defaultName) == null ? defaultName : "Guest";
    access.identify(n, MeetingAccess.ignore());
  }

  void ask(String displayName) {
    name = displayName;
    int mine = ++attempt;
    access.setName(displayName);
    if (access.identified()) {
      access.join(answer(mine));
      return;
    }
    access.identify(
        displayName,
        new MeetingAccess.Answer() {
          @Override
          public void ok(String r) {
            if (mine == attempt) {
              access.join(answer(mine));
            }
          }

          @Override
          public void failed(int status, String code, String message) {
            if (mine == attempt) {
              failure(status, code, message);
            }
          }
        });
  }

  /** Gives up waiting: the host's list loses this person, and the form comes back. */
  void cancel() {
    if (!waiting) {
      return;
    }
    waiting = false;
    attempt++;
    access.cancel();
    screen.waiting(false, "");
  }

  private MeetingAccess.Answer answer(int mine) {
    return new MeetingAccess.Answer() {
      @Override
      public void ok(String r) {
        if (mine != attempt) {
          return;
        }
        String status = Http.field(r, "status");
        if ("admitted".equals(status)) {
          waiting = false;
          listener.admitted(name);
        } else if ("waiting".equals(status)) {
          if (!waiting) {
            waiting = true;
            String title = Http.field(r, "meeting.title");
            screen.waiting(true, title == null ? access.meeting() : title);
          }
          access.status(WAIT_SECONDS, this);
        } else {
          waiting = false;
          listener.refused("REJECTED", "a host did not let you in");
        }
      }

      @Override
      public void failed(int status, String code, String message) {
        if (mine != attempt) {
          return;
        }
        if (waiting && (status == 0 || status >= 500 || status == 429)) {
          // the server is restarting or busy: keep the place in the queue, ask again soon
          MeetingAccess.Answer again = this;
          Js.setTimeout(
              () -> {
                if (mine == attempt) {
                  access.status(WAIT_SECONDS, again);
                }
              },
              2000);
          return;
        }
        waiting = false;
        failure(status, code, message);
      }
    };
  }

  private void failure(int status, String code, String message) {
    switch (code) {
      case "REJECTED", "REMOVED", "MEETING_LOCKED", "MEETING_ENDED" -> {
        screen.waiting(false, "");
        listener.refused(code, message);
      }
      default -> {
        screen.waiting(false, "");
        screen.problem(
            status == 0
                ? "The server cannot be reached. Check the connection and press Join again."
                : "Could not join: " + message);
      }
    }
  }
}
