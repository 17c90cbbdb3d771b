package dev.videocall.web.app;

import org.teavm.jso.JSBody;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/** Clones the page's {@code <template id="tile-template">}. */
final class TileTemplate {
  private TileTemplate() {}

  static HTMLElement instantiate(HTMLDocument doc) {
    return cloneFirstChild(doc.getElementById("tile-template"));
  }

  @JSBody(
      params = "template",
      script = "return template.content.firstElementChild.cloneNode(true);")
  private static native HTMLElement cloneFirstChild(HTMLElement template);
}
