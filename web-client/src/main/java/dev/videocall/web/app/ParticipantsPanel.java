package dev.videocall.web.app;

import java.util.ArrayList;
import java.util.List;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/** The list of everyone in the meeting: raised hands first, then you, then in order of arrival. */
final class ParticipantsPanel {
  private final HTMLDocument doc = HTMLDocument.current();
  private final HTMLElement list;
  private final HTMLElement count;

  ParticipantsPanel(HTMLElement list, HTMLElement count) {
    this.list = list;
    this.count = count;
  }

  /** One row: name, and whether the microphone and camera are on and a hand is raised. */
  record Row(
      String key, String name, boolean self, boolean micOn, boolean cameraOn, boolean hand) {}

  void render(List<Row> rows) {
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
      item.appendChild(name);
      if (r.hand()) {
        item.appendChild(badge("✋", "hand raised", ""));
      }
      item.appendChild(
          icon(r.micOn() ? "mic" : "mic-off", r.micOn() ? "microphone on" : "microphone off"));
      item.appendChild(
          icon(r.cameraOn() ? "camera" : "camera-off", r.cameraOn() ? "camera on" : "camera off"));
      list.appendChild(item);
    }
    count.setInnerText("(" + rows.size() + ")");
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
