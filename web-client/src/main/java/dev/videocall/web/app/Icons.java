package dev.videocall.web.app;

import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;
import org.teavm.jso.dom.xml.NodeList;

/**
 * The page's icons: stroke SVGs drawn for 24x24, in currentColor. Constant markup only: nothing a
 * participant sends ever reaches innerHTML.
 */
final class Icons {
  private Icons() {}

  private static final String OPEN =
      "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\""
          + " stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\">";

  static String svg(String name) {
    return OPEN + paths(name) + "</svg>";
  }

  private static String paths(String name) {
    switch (name) {
      case "mic":
        return "<rect x=\"9\" y=\"3\" width=\"6\" height=\"11\" rx=\"3\"/>"
            + "<path d=\"M5 11a7 7 0 0 0 14 0M12 18v3\"/>";
      case "mic-off":
        return "<path d=\"M3 3l18 18M9 9v2a3 3 0 0 0 5.1 2.1M15 10V6a3 3 0 0 0-5.7-1.3\"/>"
            + "<path d=\"M5 11a7 7 0 0 0 11.5 5.4M19 11a7 7 0 0 1-.6 2.8M12 18v3\"/>";
      case "camera":
        return "<rect x=\"2\" y=\"6\" width=\"14\" height=\"12\" rx=\"2\"/>"
            + "<path d=\"M16 10l6-3v10l-6-3\"/>";
      case "camera-off":
        return "<path d=\"M3 3l18 18M16 16H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h2M10 6h4a2 2 0 0 1 2 2"
            + "v2l6-3v10\"/>";
      case "screen":
        return "<rect x=\"2\" y=\"4\" width=\"20\" height=\"13\" rx=\"2\"/>"
            + "<path d=\"M8 21h8M12 17v4M9 10l3-3 3 3M12 7v6\"/>";
      case "hand":
        return "<path d=\"M7 11V6a1.5 1.5 0 0 1 3 0v5M10 10V4.5a1.5 1.5 0 0 1 3 0V10M13 10V5.5a1.5"
            + " 1.5 0 0 1 3 0V11M16 11V8.5a1.5 1.5 0 0 1 3 0V14a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-2.7"
            + "L3.5 14a1.5 1.5 0 0 1 2.5-1.7L7 14\"/>";
      case "smile":
        return "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M8 14a4.5 4.5 0 0 0 8 0M9 9.5h.01"
            + "M15 9.5h.01\"/>";
      case "chat":
        return "<path d=\"M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.1A8 8 0 1 1 21 12z\"/>";
      case "people":
        return "<circle cx=\"9\" cy=\"8\" r=\"3.5\"/><path d=\"M2.5 20a6.5 6.5 0 0 1 13 0\"/>"
            + "<path d=\"M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.5a6.5 6.5 0 0 1 3.5 5.5\"/>";
      case "grid":
        return "<rect x=\"3\" y=\"3\" width=\"8\" height=\"8\" rx=\"1\"/>"
            + "<rect x=\"13\" y=\"3\" width=\"8\" height=\"8\" rx=\"1\"/>"
            + "<rect x=\"3\" y=\"13\" width=\"8\" height=\"8\" rx=\"1\"/>"
            + "<rect x=\"13\" y=\"13\" width=\"8\" height=\"8\" rx=\"1\"/>";
      case "speaker-view":
        return "<rect x=\"3\" y=\"3\" width=\"18\" height=\"12\" rx=\"1\"/>"
            + "<rect x=\"3\" y=\"17\" width=\"5\" height=\"4\" rx=\"1\"/>"
            + "<rect x=\"9.5\" y=\"17\" width=\"5\" height=\"4\" rx=\"1\"/>"
            + "<rect x=\"16\" y=\"17\" width=\"5\" height=\"4\" rx=\"1\"/>";
      case "leave":
        return "<path d=\"M3 15.5c5.5-5 12.5-5 18 0l-2.5 2.5-3.5-1.5v-3a11 11 0 0 0-6 0v3L5.5 18z\"/>";
      case "stats":
        return "<path d=\"M4 20V10M10 20V4M16 20v-7M22 20H2\"/>";
      case "pin":
        return "<path d=\"M12 17v5M8 3h8l-1 6 3 3v2H6v-2l3-3z\"/>";
      case "lock":
        return "<rect x=\"5\" y=\"11\" width=\"14\" height=\"10\" rx=\"2\"/>"
            + "<path d=\"M8 11V7a4 4 0 0 1 8 0v4\"/>";
      case "link":
        return "<path d=\"M10 14a5 5 0 0 0 7.1 0l3-3a5 5 0 0 0-7.1-7.1l-1 1\"/>"
            + "<path d=\"M14 10a5 5 0 0 0-7.1 0l-3 3a5 5 0 0 0 7.1 7.1l1-1\"/>";
      case "send":
        return "<path d=\"M22 2L11 13M22 2l-7 20-4-9-9-4z\"/>";
      case "more":
        return "<circle cx=\"5\" cy=\"12\" r=\"1.5\"/><circle cx=\"12\" cy=\"12\" r=\"1.5\"/>"
            + "<circle cx=\"19\" cy=\"12\" r=\"1.5\"/>";
      case "x":
        return "<path d=\"M18 6L6 18M6 6l12 12\"/>";
      case "settings":
        return "<circle cx=\"12\" cy=\"12\" r=\"3\"/><path d=\"M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1"
            + "a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v"
            + "-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0"
            + " 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0"
            + "-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2"
            + " 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a"
            + "1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z\"/>";
      case "signal":
        return "<path d=\"M4 20v-3M9 20v-7M14 20v-11M19 20V4\"/>";
      default:
        return "";
    }
  }

  /** Fills every {@code [data-icon]} element below {@code root} with its icon. */
  static void fill(HTMLElement root) {
    NodeList<? extends HTMLElement> all = root.querySelectorAll("[data-icon]");
    for (int i = 0; i < all.getLength(); i++) {
      HTMLElement e = all.get(i);
      e.setInnerHTML(svg(e.getAttribute("data-icon")));
    }
  }

  static void fill(HTMLDocument doc) {
    fill(doc.getBody());
  }
}
