package dev.videocall.web.app;

import dev.videocall.web.browser.Js;
import java.util.LinkedHashMap;
import java.util.Map;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * The control bar: icon buttons with an accessible name and a tooltip that names the shortcut,
 * keyboard shortcuts (ignored while typing), and the "?" help dialog that lists them.
 */
final class Controls {
  private final HTMLDocument doc = HTMLDocument.current();
  private final Map<String, Runnable> shortcuts = new LinkedHashMap<>();
  private final Map<String, String> descriptions = new LinkedHashMap<>();

  /** Sets a button's icon, accessible name and tooltip; {@code off} paints it as "off". */
  static void set(HTMLElement button, String icon, String label, boolean off) {
    String key = button.getAttribute("data-shortcut");
    button.setInnerHTML(Icons.svg(icon).replace("<svg ", "<svg class=\"h-6 w-6\" "));
    button.setAttribute("aria-label", label);
    button.setAttribute("title", label + (key == null || key.isEmpty() ? "" : " (" + key + ")"));
    button.setAttribute("data-off", String.valueOf(off));
    // the unread badge of the chat button survives the icon change: it is re-added by its owner
  }

  /** A button and its shortcut. */
  void bind(String id, String key, String description, Runnable action) {
    HTMLElement b = doc.getElementById(id);
    b.addEventListener("click", (Event e) -> action.run());
    if (key != null) {
      shortcuts.put(key, action);
      descriptions.put(key, description);
    }
  }

  /**
   * Starts listening for shortcuts and fills the help dialog. Escape in a text field gives the
   * keyboard back to the shortcuts (typing "p" in the chat is a letter, not the People panel);
   * elsewhere it closes what is open, via {@code escape}.
   */
  void start(Runnable escape) {
    shortcuts.put("?", this::toggleHelp);
    descriptions.put("?", "Show these shortcuts");
    descriptions.put("Escape", "Leave the chat box; close what is open");
    shortcuts.put(
        "Escape",
        () -> {
          HTMLElement help = doc.getElementById("help");
          if (!help.isHidden()) {
            help.setHidden(true);
          } else {
            escape.run();
          }
        });
    HTMLElement keys = doc.getElementById("help-keys");
    keys.setInnerText("");
    for (Map.Entry<String, String> e : descriptions.entrySet()) {
      HTMLElement dt = doc.createElement("dt");
      HTMLElement kbd = doc.createElement("kbd");
      kbd.setClassName("rounded bg-slate-700 px-2 py-0.5 font-mono text-xs");
      kbd.setInnerText(
          "X".equals(e.getKey()) ? "Shift + X" : "Escape".equals(e.getKey()) ? "Esc" : e.getKey());
      dt.appendChild(kbd);
      HTMLElement dd = doc.createElement("dd");
      dd.setClassName("text-slate-300");
      dd.setInnerText(e.getValue());
      keys.appendChild(dt);
      keys.appendChild(dd);
    }
    doc.getElementById("close-help")
        .addEventListener("click", (Event e) -> doc.getElementById("help").setHidden(true));
    Js.onKey(
        (key, inTextField, modifier) -> {
          if (inTextField && "Escape".equals(key)) {
            Js.blurActive();
            return true;
          }
          if (inTextField || modifier) {
            return false;
          }
          Runnable r =
              shortcuts.get(key.length() == 1 && !"X".equals(key) ? key.toLowerCase() : key);
          if (r == null) {
            return false;
          }
          r.run();
          return true;
        });
  }

  private void toggleHelp() {
    HTMLElement help = doc.getElementById("help");
    help.setHidden(!help.isHidden());
  }
}
