package dev.videocall.web.app;

import dev.videocall.web.browser.Js;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/** Short notices at the bottom left: who joined or left, a raised hand; gone after 4 s. */
final class Toasts {
  private final HTMLElement area;

  Toasts(HTMLElement area) {
    this.area = area;
  }

  void show(String text) {
    HTMLElement t = HTMLDocument.current().createElement("div");
    t.setAttribute("data-toast", "");
    t.setClassName(
        "max-w-xs rounded-lg bg-slate-800/95 px-3 py-2 text-sm shadow-lg ring-1 ring-white/10");
    t.setInnerText(text);
    area.appendChild(t);
    while (area.getChildNodes().getLength() > 4) {
      area.removeChild(area.getFirstChild());
    }
    Js.setTimeout(t::delete, 4000);
  }
}
