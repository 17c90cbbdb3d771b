package dev.videocall.web.app;

import dev.videocall.types.wire.MeetingPacket;
import dev.videocall.web.browser.Http;
import dev.videocall.web.browser.Js;
import java.util.HashSet;
import java.util.Set;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * What hosts have: the "wants to join" card (admit, deny, admit all) shown as soon as someone
 * knocks, the meeting's switches (lock, waiting room), ending it for everyone, and actions on a
 * participant (ask to mute, stop video, make host, remove). Everyone learns who the hosts are. The
 * server decides who is a host and enforces it; this only shows what it allows.
 */
final class HostTools {
  interface Listener {
    /** Who is a host, or this person's role, changed: the people list is drawn again. */
    void hostsChanged();

    void toast(String text);

    /** The host pressed "End meeting for everyone" in the panel: confirm first. */
    void confirmEnd();
  }

  private final HTMLDocument doc = HTMLDocument.current();
  private final MeetingAccess access;
  private final Listener listener;
  private final Set<String> hosts = new HashSet<>();
  private boolean host;
  private boolean active;
  private int generation; // a late answer of an older request does not undo a newer one

  HostTools(MeetingAccess access, Listener listener) {
    this.access = access;
    this.listener = listener;
    el("host-lock")
        .addEventListener(
            "change",
            (Event e) ->
                setting("lock", Http.object("locked", Js.checked(el("host-lock"))), "lock"));
    el("host-waiting-room")
        .addEventListener(
            "change",
            (Event e) ->
                setting(
                    "settings",
                    Http.object("waitingRoom", Js.checked(el("host-waiting-room"))),
                    "waiting room"));
    el("host-end").addEventListener("click", (Event e) -> listener.confirmEnd());
    el("admit-all")
        .addEventListener(
            "click", (Event e) -> access.post("admit-all", "{}", afterDecision("admit everyone")));
  }

  /** In a meeting with identity: what this person may do, and who waits. */
  void start() {
    active = !access.open();
    host = active && access.host();
    refresh();
  }

  void stop() {
    active = false;
    host = false;
    hosts.clear();
    el("waiting-card").setHidden(true);
    el("host-tools").setHidden(true);
  }

  boolean isHost() {
    return host;
  }

  boolean isHost(String userId) {
    return hosts.contains(userId);
  }

  /** The server's meeting events that concern hosts and roles. */
  void onEvent(MeetingPacket m) {
    if (!active) {
      return;
    }
    switch (m.eventType) {
      case MeetingPacket.WAITING_ROOM_UPDATED -> {
        if (host) {
          fetchWaiting();
        }
      }
      case MeetingPacket.HOSTS_CHANGED, MeetingPacket.MEETING_UPDATED -> refresh();
      default -> {}
    }
  }

  /** The meeting as the server sees it now: hosts, switches, and this person's role. */
  void refresh() {
    if (!active) {
      return;
    }
    int mine = ++generation;
    access.meetingView(
        new MeetingAccess.Answer() {
          @Override
          public void ok(String r) {
            if (mine != generation || !active) {
              return;
            }
            boolean wasHost = host;
            host = "true".equals(Http.field(r, "you.host"));
            hosts.clear();
            for (int i = 0; i < Http.length(r, "hosts"); i++) {
              hosts.add(Http.field(r, "hosts." + i));
            }
            Js.setChecked(el("host-lock"), "true".equals(Http.field(r, "locked")));
            Js.setChecked(el("host-waiting-room"), "true".equals(Http.field(r, "waitingRoom")));
            el("host-tools").setHidden(!host);
            doc.getDocumentElement().setAttribute("data-host", String.valueOf(host));
            if (host && !wasHost) {
              listener.toast("You are a host now: you let people in and can moderate.");
            }
            if (host) {
              fetchWaiting();
            } else {
              el("waiting-card").setHidden(true);
            }
            listener.hostsChanged();
          }

          @Override
          public void failed(int status, String code, String message) {
            // the meeting's page stays as it was; the next event asks again
          }
        });
  }

  private void fetchWaiting() {
    access.get(
        "waiting",
        new MeetingAccess.Answer() {
          @Override
          public void ok(String r) {
            if (host && active) {
              renderWaiting(r);
            }
          }

          @Override
          public void failed(int status, String code, String message) {
            if ("NOT_HOST".equals(code)) {
              refresh();
            }
          }
        });
  }

  private void renderWaiting(String list) {
    int n = Http.length(list, "");
    HTMLElement card = el("waiting-card");
    HTMLElement rows = el("waiting-list");
    rows.setInnerText("");
    for (int i = 0; i < n; i++) {
      String subject = Http.field(list, i + ".subject");
      String name = Http.field(list, i + ".name");
      HTMLElement row = doc.createElement("li");
      row.setAttribute("data-waiting", subject);
      row.setClassName("flex items-center gap-2 rounded-lg px-1 py-1");
      HTMLElement avatar = doc.createElement("span");
      avatar.setClassName(
          "flex h-8 w-8 shrink-0 items-center justify-center rounded-full text-sm font-semibold");
      avatar.getStyle().setProperty("background-color", Tile.colorOf(name));
      avatar.setInnerText(Tile.initialsOf(name));
      HTMLElement label = doc.createElement("span");
      label.setClassName("min-w-0 flex-1 truncate");
      label.setInnerText(name);
      row.appendChild(avatar);
      row.appendChild(label);
      row.appendChild(
          button(
              "Deny",
              "Deny " + name,
              "h-9 rounded-full px-3 text-sm font-semibold text-slate-200 ring-1 ring-white/20"
                  + " hover:bg-slate-700 max-sm:h-11",
              () -> decide("reject", subject, name)));
      row.appendChild(
          button(
              "Admit",
              "Admit " + name,
              "h-9 rounded-full bg-sky-500 px-3 text-sm font-semibold text-white hover:bg-sky-400"
                  + " max-sm:h-11",
              () -> decide("admit", subject, name)));
      rows.appendChild(row);
    }
    el("waiting-card-title")
        .setInnerText(
            n == 1 ? Http.field(list, "0.name") + " wants to join" : n + " people want to join");
    el("admit-all").setHidden(n < 2);
    card.setHidden(n == 0);
    card.setAttribute("data-waiting-count", String.valueOf(n));
    listener.hostsChanged(); // the "only one here" card gives way to this one
  }

  private void decide(String action, String subject, String name) {
    access.post(
        action,
        Http.object("subject", subject),
        afterDecision(("admit".equals(action) ? "admit " : "deny ") + name));
  }

  private MeetingAccess.Answer afterDecision(String what) {
    return new MeetingAccess.Answer() {
      @Override
      public void ok(String r) {
        fetchWaiting();
      }

      @Override
      public void failed(int status, String code, String message) {
        listener.toast("Could not " + what + ": " + message);
        fetchWaiting();
      }
    };
  }

  private void setting(String path, String json, String what) {
    access.post(
        path,
        json,
        new MeetingAccess.Answer() {
          @Override
          public void ok(String r) {
            // MEETING_UPDATED reaches everyone, this page too
          }

          @Override
          public void failed(int status, String code, String message) {
            listener.toast("Could not change the " + what + ": " + message);
            refresh();
          }
        });
  }

  /** A host's action on a participant: "mute", "stop-video", "make-host" or "remove". */
  void act(String userId, String name, String action) {
    access.post(
        "participants/" + userId + "/" + action,
        "{}",
        new MeetingAccess.Answer() {
          @Override
          public void ok(String r) {
            switch (action) {
              case "mute" -> listener.toast("You muted " + name);
              case "stop-video" -> listener.toast("Turned off " + name + "'s camera");
              case "remove" -> listener.toast(name + " was removed");
              default -> {}
            }
          }

          @Override
          public void failed(int status, String code, String message) {
            listener.toast("Could not do that: " + message);
          }
        });
  }

  /** Ends the meeting for everyone (confirmed by the host). */
  void end() {
    access.post(
        "end",
        "{}",
        new MeetingAccess.Answer() {
          @Override
          public void ok(String r) {
            // the server closes every session, this one too (4004)
          }

          @Override
          public void failed(int status, String code, String message) {
            listener.toast("Could not end the meeting: " + message);
          }
        });
  }

  private HTMLElement button(String text, String label, String classes, Runnable action) {
    HTMLElement b = doc.createElement("button");
    b.setAttribute("type", "button");
    b.setAttribute("aria-label", label);
    b.setClassName(classes);
    b.setInnerText(text);
    b.addEventListener("click", (Event e) -> action.run());
    return b;
  }

  private HTMLElement el(String id) {
    return doc.getElementById(id);
  }
}
