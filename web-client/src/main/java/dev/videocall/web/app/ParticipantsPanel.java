package dev.videocall.web.app;

import java.util.ArrayList;
import java.util.List;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * The list of everyone in the meeting: raised hands first, then you, then in order of arrival;
 * hosts marked. A host has an actions menu on each other person (ask to mute, stop video, make
 * host, remove).
 */
final class ParticipantsPanel {
  /** What a host may do to a participant. */
  interface Actions {
    /** Whether this person is a host (and so sees the actions). */
    boolean allowed();

    /** "mute", "stop-video", "make-host" or "remove". */
    void act(String key, String name, String action);
  }

  private final HTMLDocument doc = HTMLDocument.current();
  private final HTMLElement list;
  private final HTMLElement count;
  private final Actions actions;
  private String openFor; // the row whose actions menu is open (kept across redraws)
  private String confirmRemove; // the row whose removal waits for its confirmation
  private List<Row> last = new ArrayList<>();

  ParticipantsPanel(HTMLElement list, HTMLElement count, Actions actions) {
    this.list = list;
    this.count = count;
    this.actions = actions;
  }

  /**
   * One row: name, whether the microphone and camera are on and a hand is raised, and whether this
   * person is a host.
   */
  record Row(
      String key,
      String name,
      boolean self,
      boolean micOn,
      boolean cameraOn,
      boolean hand,
      boolean host,
      String safetyCode) {}

  void render(List<Row> rows) {
    last = rows;
    List<Row> ordered = new ArrayList<>();
    for (Row r : rows) {
      if (r.hand()) {
        ordered.add(r);
      }
    }
    for (Row r : rows) {
      if (!r.hand() && r.self()) {
        ordered.add(r);
      }
    }
    for (Row r : rows) {
      if (!r.hand() && !r.self()) {
        ordered.add(r);
      }
    }
    list.setInnerText("");
    for (Row r : ordered) {
      HTMLElement item = doc.createElement("li");
      item.setAttribute("data-participant", r.key());
      item.setClassName("flex items-center gap-2 rounded-lg px-2 py-1.5 hover:bg-slate-800");
      HTMLElement avatar = doc.createElement("span");
      avatar.setClassName(
          "flex h-8 w-8 shrink-0 items-center justify-center rounded-full text-sm font-semibold");
      avatar.getStyle().setProperty("background-color", Tile.colorOf(r.name()));
      avatar.setInnerText(Tile.initialsOf(r.name()));
      HTMLElement name = doc.createElement("span");
      name.setClassName("min-w-0 flex-1 truncate");
      name.setInnerText(r.name() + (r.self() ? " (you)" : ""));
      item.appendChild(avatar);
      if (r.safetyCode() != null) {
        // read aloud and compared: the same digits on both screens mean no one sits between
        HTMLElement both = doc.createElement("span");
        both.setClassName("flex min-w-0 flex-1 flex-col");
        name.setClassName("truncate");
        HTMLElement code = doc.createElement("span");
        code.setClassName("flex items-center gap-1 text-xs tabular-nums text-emerald-300");
        code.setAttribute("data-safety-code", r.safetyCode());
        code.setAttribute(
            "title",
            "Safety code: ask "
                + r.name()
                + " to read theirs. The same digits mean your"
                + " connection to them is private.");
        HTMLElement lock = doc.createElement("span");
        lock.setClassName("inline-block h-3 w-3 shrink-0");
        lock.setAttribute("aria-hidden", "true");
        lock.setInnerHTML(Icons.svg("lock"));
        HTMLElement digits = doc.createElement("span");
        digits.setClassName("whitespace-nowrap");
        digits.setInnerText(r.safetyCode());
        code.appendChild(lock);
        code.appendChild(digits);
        both.appendChild(name);
        both.appendChild(code);
        item.appendChild(both);
      } else {
        item.appendChild(name);
      }
      if (r.host()) {
        HTMLElement host = doc.createElement("span");
        host.setClassName("rounded-full bg-sky-900/70 px-2 py-0.5 text-xs text-sky-200");
        host.setAttribute("data-host-badge", "true");
        host.setInnerText("Host");
        item.appendChild(host);
      }
      if (r.hand()) {
        item.appendChild(badge("✋", "hand raised", ""));
      }
      item.appendChild(
          icon(r.micOn() ? "mic" : "mic-off", r.micOn() ? "microphone on" : "microphone off"));
      item.appendChild(
          icon(r.cameraOn() ? "camera" : "camera-off", r.cameraOn() ? "camera on" : "camera off"));
      boolean canAct = !r.self() && actions.allowed();
      if (r.self() && actions.allowed()) {
        // where the others have their actions button: the icons stay in one column
        HTMLElement gap = doc.createElement("span");
        gap.setClassName("h-8 w-8 shrink-0 max-sm:h-11 max-sm:w-11");
        item.appendChild(gap);
      }
      if (canAct) {
        HTMLElement more = doc.createElement("button");
        more.setAttribute("type", "button");
        more.setAttribute("aria-label", "Actions for " + r.name());
        more.setAttribute("aria-expanded", String.valueOf(r.key().equals(openFor)));
        more.setAttribute("data-actions-for", r.key());
        more.setClassName("vc-icon-button h-8 w-8 shrink-0 max-sm:h-11 max-sm:w-11");
        more.setInnerHTML(Icons.svg("more"));
        more.addEventListener(
            "click",
            (Event e) -> {
              openFor = r.key().equals(openFor) ? null : r.key();
              render(last);
            });
        item.appendChild(more);
      }
      list.appendChild(item);
      if (canAct && r.key().equals(openFor)) {
        list.appendChild(menu(r));
      }
    }
    count.setInnerText("(" + rows.size() + ")");
  }

  /** The host's actions on one person, right under their row. */
  private HTMLElement menu(Row r) {
    HTMLElement menu = doc.createElement("li");
    menu.setAttribute("role", "menu");
    menu.setAttribute("data-actions-menu", r.key());
    menu.setClassName("mb-1 ml-10 flex flex-col overflow-hidden rounded-lg bg-slate-800");
    if (r.micOn()) {
      menu.appendChild(action(r, "mute", "Mute", ""));
    }
    if (r.cameraOn()) {
      menu.appendChild(action(r, "stop-video", "Stop video", ""));
    }
    if (!r.host()) {
      menu.appendChild(action(r, "make-host", "Make host", ""));
    }
    if (r.key().equals(confirmRemove)) {
      // removal is final (they cannot come back): one more, explicit click
      menu.appendChild(
          action(r, "remove", "Remove " + r.name() + "? They can't rejoin", "text-rose-300"));
    } else {
      HTMLElement b = doc.createElement("button");
      b.setAttribute("type", "button");
      b.setAttribute("role", "menuitem");
      b.setAttribute("data-action", "remove-ask");
      b.setClassName("vc-menu-item text-rose-300");
      b.setInnerText("Remove from the meeting");
      b.addEventListener(
          "click",
          (Event e) -> {
            confirmRemove = r.key();
            render(last);
          });
      menu.appendChild(b);
    }
    return menu;
  }

  private HTMLElement action(Row r, String action, String label, String classes) {
    HTMLElement b = doc.createElement("button");
    b.setAttribute("type", "button");
    b.setAttribute("role", "menuitem");
    b.setAttribute("data-action", action);
    b.setClassName("vc-menu-item " + classes);
    b.setInnerText(label);
    b.addEventListener(
        "click",
        (Event e) -> {
          openFor = null;
          confirmRemove = null;
          actions.act(r.key(), r.name(), action);
          render(last);
        });
    return b;
  }

  private HTMLElement icon(String name, String label) {
    HTMLElement e = doc.createElement("span");
    e.setClassName(
        "inline-block h-4 w-4 shrink-0 "
            + (name.endsWith("-off") ? "text-rose-400" : "text-slate-400"));
    e.setAttribute("role", "img");
    e.setAttribute("aria-label", label);
    e.setAttribute("title", label);
    e.setInnerHTML(Icons.svg(name));
    return e;
  }

  private HTMLElement badge(String text, String label, String classes) {
    HTMLElement e = doc.createElement("span");
    e.setClassName("text-base " + classes);
    e.setAttribute("role", "img");
    e.setAttribute("aria-label", label);
    e.setInnerText(text);
    return e;
  }
}
