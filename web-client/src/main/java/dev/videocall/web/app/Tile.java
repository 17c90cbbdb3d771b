package dev.videocall.web.app;

import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLCanvasElement;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * One tile of the meeting view: a camera (one's own in a video element, others' on a canvas) or a
 * shared screen, with the name bar, microphone and camera badges, a raised hand, the speaking ring,
 * a connection-quality icon and a pin button. State is on the element as {@code data-*} attributes,
 * which the styles and the tests read. Names are set as text, never as markup.
 */
final class Tile {
  enum Kind {
    SELF,
    PEER,
    SCREEN
  }

  final Kind kind;
  final String key;
  final HTMLElement root;
  private final HTMLElement media;
  private final HTMLElement placeholder;
  private final HTMLElement name;
  private final HTMLElement micMuted;
  private final HTMLElement cameraOff;
  private final HTMLElement hand;
  private final HTMLElement quality;
  private final HTMLElement pin;
  private final HTMLElement stale;
  private String displayName = "";
  boolean pinned;
  boolean visible = true;

  Tile(HTMLDocument doc, Kind kind, String key, boolean video, Runnable onPin) {
    this.kind = kind;
    this.key = key;
    root = doc.createElement("div");
    root.setClassName(
        "group absolute overflow-hidden rounded-xl bg-slate-800"
            + " transition-[left,top,width,height] duration-200"
            + " data-[pinned=true]:outline data-[pinned=true]:outline-2"
            + " data-[pinned=true]:-outline-offset-2 data-[pinned=true]:outline-sky-400");
    media = doc.createElement(video ? "video" : "canvas");
    media.setClassName(
        "absolute inset-0 h-full w-full "
            + (kind == Kind.SCREEN ? "object-contain bg-black" : "object-cover")
            + (kind == Kind.SELF ? " -scale-x-100" : ""));
    if (video) {
      media.setAttribute("autoplay", "");
      media.setAttribute("muted", "");
      media.setAttribute("playsinline", "");
    }
    media.setHidden(true);
    placeholder = doc.createElement("div");
    placeholder.setAttribute("data-role", "placeholder");
    placeholder.setClassName("absolute inset-0 flex items-center justify-center");
    HTMLElement initials = doc.createElement("span");
    initials.setAttribute("data-role", "initials");
    initials.setClassName(
        "flex h-16 w-16 items-center justify-center rounded-full text-2xl font-semibold"
            + " text-white sm:h-20 sm:w-20 sm:text-3xl");
    placeholder.appendChild(initials);
    HTMLElement bar = doc.createElement("div");
    bar.setClassName(
        "absolute bottom-2 left-2 flex max-w-[calc(100%-1rem)] items-center gap-1.5 rounded-md"
            + " bg-black/60 px-2 py-1 text-xs sm:text-sm");
    micMuted = icon(doc, "mic-off", "microphone off", "mic-muted", "h-4 w-4 text-rose-400");
    name = doc.createElement("span");
    name.setAttribute("data-role", "name");
    name.setClassName("truncate");
    cameraOff = icon(doc, "camera-off", "camera off", "camera-off", "h-4 w-4 text-slate-300");
    bar.appendChild(micMuted);
    bar.appendChild(name);
    bar.appendChild(cameraOff);
    hand = doc.createElement("span");
    hand.setAttribute("data-role", "hand");
    hand.setAttribute("title", "hand raised");
    hand.setAttribute("aria-label", "hand raised");
    hand.setAttribute("role", "img");
    hand.setClassName(
        "absolute left-2 top-2 flex h-8 w-8 items-center justify-center rounded-full bg-amber-400"
            + " text-slate-900 shadow");
    hand.setInnerHTML(Icons.svg("hand").replace("<svg ", "<svg class=\"h-5 w-5\" "));
    hand.setHidden(true);
    // drawn inside the tile, so that a speaking tile keeps its size and its neighbours' line
    HTMLElement ring = doc.createElement("div");
    ring.setClassName(
        "pointer-events-none absolute inset-0 hidden rounded-xl ring-4 ring-inset ring-emerald-400"
            + " group-data-[speaking=true]:block");
    stale = doc.createElement("div");
    stale.setAttribute("data-role", "stale");
    stale.setClassName(
        "absolute inset-0 flex items-center justify-center bg-slate-950/60 text-sm text-slate-200");
    stale.setInnerText("Reconnecting…");
    stale.setHidden(true);
    HTMLElement corner = doc.createElement("div");
    corner.setClassName("absolute right-2 top-2 flex items-center gap-1");
    quality = icon(doc, "signal", "connection quality", "quality", "h-4 w-4");
    quality.setHidden(kind != Kind.PEER);
    pin = doc.createElement("button");
    pin.setAttribute("type", "button");
    pin.setAttribute("data-role", "pin");
    pin.setClassName(
        "flex h-8 w-8 items-center justify-center rounded-full bg-black/50 text-white opacity-0"
            + " transition group-hover:opacity-100 focus-visible:opacity-100"
            + " data-[pinned=true]:opacity-100");
    pin.setInnerHTML(Icons.svg("pin").replace("<svg ", "<svg class=\"h-4 w-4\" "));
    pin.addEventListener("click", (Event e) -> onPin.run());
    corner.appendChild(quality);
    corner.appendChild(pin);
    root.appendChild(media);
    root.appendChild(placeholder);
    root.appendChild(bar);
    root.appendChild(hand);
    root.appendChild(stale);
    root.appendChild(ring);
    root.appendChild(corner);
    attr("data-camera-off", "false");
    attr("data-mic-muted", "false");
    attr("data-speaking", "false");
    attr("data-pinned", "false");
    attr("data-hand-raised", "false");
    attr("data-stale", "false");
    micMuted.setHidden(true);
    cameraOff.setHidden(true);
  }

  private static HTMLElement icon(
      HTMLDocument doc, String icon, String label, String role, String classes) {
    HTMLElement e = doc.createElement("span");
    e.setAttribute("data-role", role);
    e.setAttribute("role", "img");
    e.setAttribute("aria-label", label);
    e.setAttribute("title", label);
    e.setClassName("inline-block shrink-0 " + classes);
    e.setInnerHTML(Icons.svg(icon));
    return e;
  }

  HTMLCanvasElement canvas() {
    return (HTMLCanvasElement) media;
  }

  HTMLElement video() {
    return media;
  }

  void name(String text) {
    name(text, text);
  }

  /** The name bar's text and the name the initials and colour come from. */
  void name(String text, String person) {
    displayName = text;
    name.setInnerText(text);
    HTMLElement initials = placeholder.querySelector("[data-role=initials]");
    initials.setInnerText(initialsOf(person));
    initials.getStyle().setProperty("background-color", colorOf(person));
    pin.setAttribute("aria-label", (pinned ? "Unpin " : "Pin ") + text);
    pin.setAttribute("title", pinned ? "Unpin" : "Pin");
  }

  String displayName() {
    return displayName;
  }

  void attr(String name, Object value) {
    root.setAttribute(name, String.valueOf(value));
  }

  /** Shows the picture, or the initials while there is none (or the camera is off). */
  void showVideo(boolean on) {
    media.setHidden(!on);
    placeholder.setHidden(on);
  }

  void cameraOn(boolean on) {
    attr("data-camera-off", !on);
    cameraOff.setHidden(on);
    if (!on) {
      showVideo(false);
    }
  }

  void micOn(boolean on) {
    attr("data-mic-muted", !on);
    micMuted.setHidden(on);
  }

  void speaking(boolean on) {
    attr("data-speaking", on);
  }

  /** Nothing heard from this participant for a while: their connection may be gone. */
  void stale(boolean on) {
    if (stale.isHidden() == on) {
      attr("data-stale", on);
      stale.setHidden(!on);
    }
  }

  void hand(boolean up) {
    attr("data-hand-raised", up);
    hand.setHidden(!up);
  }

  void pinned(boolean on) {
    pinned = on;
    attr("data-pinned", on);
    pin.setAttribute("data-pinned", String.valueOf(on));
    pin.setAttribute("aria-pressed", String.valueOf(on));
    pin.setAttribute("aria-label", (on ? "Unpin " : "Pin ") + displayName);
    pin.setAttribute("title", on ? "Unpin" : "Pin");
  }

  /** "good", "fair" or "poor": the icon's colour and tooltip. */
  void quality(String level, String detail) {
    attr("data-quality", level);
    quality.setAttribute(
        "title", "connection: " + level + (detail.isEmpty() ? "" : " (" + detail + ")"));
    quality.setAttribute("aria-label", "connection " + level);
    quality.setClassName(
        "inline-block h-4 w-4 shrink-0 "
            + ("good".equals(level)
                ? "text-emerald-400"
                : "fair".equals(level) ? "text-amber-400" : "text-rose-400"));
  }

  /** Places the tile (CSS pixels within the tiles area); hidden tiles stay in the page. */
  void place(double left, double top, double width, double height) {
    visible = true;
    root.setHidden(false);
    root.getStyle().setProperty("left", left + "px");
    root.getStyle().setProperty("top", top + "px");
    root.getStyle().setProperty("width", width + "px");
    root.getStyle().setProperty("height", height + "px");
  }

  void hide() {
    visible = false;
    root.setHidden(true);
  }

  static String initialsOf(String name) {
    String t = name.strip();
    if (t.isEmpty()) {
      return "?";
    }
    int first = t.codePointAt(0);
    String out = new String(Character.toChars(first)).toUpperCase();
    int space = t.lastIndexOf(' ');
    if (space > 0 && space + 1 < t.length()) {
      out += new String(Character.toChars(t.codePointAt(space + 1))).toUpperCase();
    }
    return out;
  }

  private static final String[] COLORS = {
    "#0ea5e9", "#8b5cf6", "#ec4899", "#f97316", "#14b8a6", "#84cc16", "#6366f1", "#ef4444"
  };

  static String colorOf(String name) {
    int h = 0;
    for (int i = 0; i < name.length(); i++) {
      h = h * 31 + name.charAt(i);
    }
    return COLORS[Math.floorMod(h, COLORS.length)];
  }
}
