package dev.videocall.web.app;

import java.util.HashMap;
import java.util.Map;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/** The diagnostics panel: per peer frames per second, video bitrate and dropped frames. */
final class Diagnostics {
  private final HTMLElement panel;
  private final HTMLElement rows;
  private final Map<String, RemotePeer> peers;
  private final Map<String, long[]> last = new HashMap<>();
  private double lastRefreshMs;
  private boolean visible;

  Diagnostics(HTMLElement panel, HTMLElement rows, Map<String, RemotePeer> peers) {
    this.panel = panel;
    this.rows = rows;
    this.peers = peers;
  }

  boolean toggle() {
    visible = !visible;
    panel.setHidden(!visible);
    refresh();
    return visible;
  }

  /** Called about once a second; rates are over the time since the previous call. */
  void refresh() {
    double now = dev.videocall.web.browser.Page.nowMs();
    double seconds = Math.max(0.001, (now - lastRefreshMs) / 1000.0);
    lastRefreshMs = now;
    HTMLDocument doc = HTMLDocument.current();
    rows.setInnerText("");
    for (RemotePeer p : peers.values()) {
      long[] prev = last.getOrDefault(p.userId, new long[] {p.framesDecoded, p.videoBytes});
      double fps = (p.framesDecoded - prev[0]) / seconds;
      double kbps = (p.videoBytes - prev[1]) * 8 / 1000.0 / seconds;
      last.put(p.userId, new long[] {p.framesDecoded, p.videoBytes});
      p.tile.setAttribute("data-fps", String.valueOf(Math.round(fps)));
      if (!visible) {
        continue;
      }
      HTMLElement row = doc.createElement("tr");
      row.setAttribute("data-diagnostics-peer", p.userId);
      for (String cell :
          new String[] {
            p.userId,
            String.valueOf(Math.round(fps)),
            String.valueOf(Math.round(kbps)),
            String.valueOf(p.framesDropped)
          }) {
        HTMLElement td = doc.createElement("td");
        td.setInnerText(cell);
        row.appendChild(td);
      }
      rows.appendChild(row);
    }
  }
}
