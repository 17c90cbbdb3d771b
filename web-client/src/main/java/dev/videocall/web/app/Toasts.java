package dev.videocall.web.app;

import dev.videocall.web.browser.Js;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * Short notices at the bottom left: who joined or left, a raised hand; gone after 4 s. Notices of
 * the same kind that come together are one notice ("Ann, Ben and 2 others left"), and a phone shows
 * one at a time, so that they never bury the tiles.
 */
final class Toasts {
  private static final double SHOWN_MS = 4000;

  private final HTMLElement area;
  private final Map<String, Group> groups = new HashMap<>();

  /** Names gathered under one notice, e.g. everyone who left in the last few seconds. */
  private static final class Group {
    final HTMLElement element;
    final List<String> names = new ArrayList<>();
    int timer = -1;

    Group(HTMLElement element) {
      this.element = element;
    }
  }

  Toasts(HTMLElement area) {
    this.area = area;
  }

  void show(String text) {
    HTMLElement t = newToast();
    t.setInnerText(text);
    Js.setTimeout(t::delete, SHOWN_MS);
  }

  /** "{names} {verb}", merged with a notice of the same verb that is still shown. */
  void people(String name, String verb) {
    Group g = groups.get(verb);
    if (g == null || g.element.getParentNode() == null) {
      g = new Group(newToast());
      groups.put(verb, g);
    } else {
      Js.clearTimer(g.timer);
    }
    g.names.add(name);
    g.element.setInnerText(sentence(g.names, verb));
    Group shown = g;
    g.timer =
        Js.setTimeout(
            () -> {
              shown.element.delete();
              groups.remove(verb, shown);
            },
            SHOWN_MS);
  }

  /** "Ann left", "Ann and Ben left", "Ann, Ben and 3 others left". */
  static String sentence(List<String> names, String verb) {
    int n = names.size();
    if (n == 1) {
      return names.get(0) + " " + verb;
    }
    if (n == 2) {
      return names.get(0) + " and " + names.get(1) + " " + verb;
    }
    int others = n - 2;
    return names.get(0)
        + ", "
        + names.get(1)
        + " and "
        + others
        + (others == 1 ? " other " : " others ")
        + verb;
  }

  private HTMLElement newToast() {
    HTMLElement t = HTMLDocument.current().createElement("div");
    t.setAttribute("data-toast", "");
    t.setClassName(
        "max-w-xs rounded-lg bg-slate-800/95 px-3 py-2 text-sm shadow-lg ring-1 ring-white/10");
    area.appendChild(t);
    int max = Js.narrow() ? 1 : 3;
    while (area.getChildNodes().getLength() > max) {
      area.removeChild(area.getFirstChild());
    }
    return t;
  }
}
