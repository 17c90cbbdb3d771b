package dev.videocall.web.app;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * Per-peer reception figures (frames per second, video bitrate, dropped frames, the picture size
 * and layer received) and this page's round-trip time, in a panel and as each tile's
 * connection-quality icon: good, fair or poor.
 */
final class Diagnostics {
  private final HTMLElement panel;
  private final HTMLElement rows;
  private final HTMLElement rttLabel;
  private final Map<Long, long[]> last = new HashMap<>();
  private double lastRefreshMs;
  private boolean visible;
  private double rttMs = -1;

  Diagnostics(HTMLElement panel, HTMLElement rows, HTMLElement rttLabel) {
    this.panel = panel;
    this.rows = rows;
    this.rttLabel = rttLabel;
  }

  boolean toggle() {
    visible = !visible;
    panel.setHidden(!visible);
    return visible;
  }

  /** The encryption's line (end-to-end encrypted meetings). */
  void encryption(String text) {
    HTMLElement line = HTMLDocument.current().getElementById("diagnostics-e2ee");
    if (line != null) {
      line.setHidden(false);
      line.setInnerText("End-to-end encryption: " + text);
    }
  }

  void rtt(double ms) {
    rttMs = ms;
    rttLabel.setInnerText("· round trip " + Math.round(ms) + " ms");
  }

  /** Called about once a second; rates are over the time since the previous call. */
  void refresh(Collection<RemotePeer> peers) {
    double now = dev.videocall.web.browser.Page.nowMs();
    double seconds = Math.max(0.001, (now - lastRefreshMs) / 1000.0);
    lastRefreshMs = now;
    HTMLDocument doc = HTMLDocument.current();
    rows.setInnerText("");
    for (RemotePeer p : peers) {
      long key = p.person.sessionId;
      long[] prev =
          last.getOrDefault(key, new long[] {p.framesDecoded(), p.videoBytes(), p.framesDropped()});
      double fps = (p.framesDecoded() - prev[0]) / seconds;
      double kbps = (p.videoBytes() - prev[1]) * 8 / 1000.0 / seconds;
      long droppedNow = p.framesDropped() - prev[2];
      last.put(key, new long[] {p.framesDecoded(), p.videoBytes(), p.framesDropped()});
      p.tile.attr("data-fps", Math.round(fps));
      boolean reduced = p.person.cameraOn && p.pictureReduced();
      String quality = quality(p.person.cameraOn, fps, droppedNow, rttMs, reduced);
      String picture = p.person.cameraOn ? p.picture() : "";
      p.tile.quality(
          quality,
          Math.round(fps)
              + " fps"
              + (picture.isEmpty() ? "" : ", " + picture)
              + (reduced ? ", reduced for your connection" : "")
              + (rttMs >= 0 ? ", " + Math.round(rttMs) + " ms" : ""));
      if (!visible) {
        continue;
      }
      HTMLElement row = doc.createElement("tr");
      row.setAttribute("data-diagnostics-peer", p.person.userId);
      for (String cell :
          new String[] {
            p.person.name,
            String.valueOf(Math.round(fps)),
            String.valueOf(Math.round(kbps)),
            picture.isEmpty() ? "–" : picture,
            String.valueOf(p.framesDropped()),
            freezes(p.cameraFreezes()),
            quality
          }) {
        HTMLElement td = doc.createElement("td");
        td.setClassName("truncate pr-2");
        td.setInnerText(cell);
        row.appendChild(td);
      }
      rows.appendChild(row);
    }
  }

  /** "0", or how many freezes and how long they lasted together: "2 (0.8 s)". */
  static String freezes(FreezeMeter m) {
    if (m.count() == 0) {
      return "0";
    }
    return m.count() + " (" + Math.round(m.totalMs() / 100) / 10.0 + " s)";
  }

  /**
   * Good: smooth video (or a camera that is off) and a short round trip; poor: a picture that
   * stutters or frames being lost, or a round trip over 400 ms; fair in between, or when the
   * picture is {@code reduced} (a smaller layer than the tile shows, because the link carries no
   * more).
   */
  static String quality(
      boolean cameraOn, double fps, long droppedThisSecond, double rttMs, boolean reduced) {
    if (rttMs > 400 || (cameraOn && (fps < 8 || droppedThisSecond > 5))) {
      return "poor";
    }
    if (rttMs > 150 || reduced || (cameraOn && (fps < 20 || droppedThisSecond > 0))) {
      return "fair";
    }
    return "good";
  }
}
