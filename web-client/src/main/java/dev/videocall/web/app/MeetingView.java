package dev.videocall.web.app;

import java.util.ArrayList;
import java.util.List;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * The tiles and where they go. Grid view: every tile as large as the space allows ({@link
 * Layout#grid}). Speaker view: one tile large (the pinned one, else the active speaker) and the
 * others in a strip. A shared screen is always large, with the cameras in the strip, and so is a
 * pinned tile: pinning says "show me this one", as in Meet and Jitsi (and the others then need only
 * their small layers, which lets their senders stop the large ones). The layout is recomputed on
 * every change and on every resize, so it always fits the window.
 */
final class MeetingView {
  private static final double GAP = 8;

  private final HTMLElement area;
  private final List<Tile> tiles = new ArrayList<>();
  private boolean speakerView;
  private Tile pinned;
  private Tile activeSpeaker;

  /** Told when a pinned tile goes (its person left, its screen ended): the layout changed. */
  private Runnable unpinned = () -> {};

  MeetingView(HTMLElement area) {
    this.area = area;
  }

  void onUnpinned(Runnable r) {
    unpinned = r;
  }

  void add(Tile t) {
    tiles.add(t);
    area.appendChild(t.root);
    layout();
  }

  void remove(Tile t) {
    tiles.remove(t);
    t.root.delete();
    if (pinned == t) {
      pinned = null;
      unpinned.run();
    }
    if (activeSpeaker == t) {
      activeSpeaker = null;
    }
    layout();
  }

  /** Pins a tile, or unpins it if it was pinned. */
  void togglePin(Tile t) {
    if (pinned != null) {
      pinned.pinned(false);
    }
    pinned = pinned == t ? null : t;
    if (pinned != null) {
      pinned.pinned(true);
    }
    layout();
  }

  /** Whether one tile is shown large: speaker view chosen, or a tile pinned. */
  boolean speakerView() {
    return speakerView || pinned != null;
  }

  /** Speaker view on, or the grid: which also unpins (a pinned tile is always shown large). */
  void speakerView(boolean on) {
    speakerView = on;
    if (!on && pinned != null) {
      pinned.pinned(false);
      pinned = null;
    }
    layout();
  }

  void activeSpeaker(Tile t) {
    if (t != activeSpeaker) {
      activeSpeaker = t;
      if (speakerView && pinned == null && screen() == null) {
        layout();
      }
    }
  }

  int count() {
    return tiles.size();
  }

  private Tile screen() {
    for (Tile t : tiles) {
      if (t.kind == Tile.Kind.SCREEN) {
        return t;
      }
    }
    return null;
  }

  /** The tile shown large in speaker view: a screen, the pinned tile, the speaker, someone. */
  private Tile main() {
    Tile screen = screen();
    if (pinned != null) {
      return pinned;
    }
    if (screen != null) {
      return screen;
    }
    if (activeSpeaker != null && tiles.contains(activeSpeaker)) {
      return activeSpeaker;
    }
    for (Tile t : tiles) {
      if (t.kind == Tile.Kind.PEER) {
        return t;
      }
    }
    return tiles.isEmpty() ? null : tiles.get(0);
  }

  void layout() {
    double w = area.getClientWidth();
    double h = area.getClientHeight();
    if (w <= 0 || h <= 0 || tiles.isEmpty()) {
      return;
    }
    boolean speaker = speakerView || screen() != null || pinned != null;
    area.setAttribute("data-layout", speaker ? "speaker" : "grid");
    area.setAttribute("data-tiles", String.valueOf(tiles.size()));
    if (speaker && tiles.size() > 1) {
      layoutSpeaker(w, h);
    } else {
      layoutGrid(ordered(), w, h);
    }
  }

  /** Grid order: a pinned tile first, then screens, then everyone as they came. */
  private List<Tile> ordered() {
    List<Tile> out = new ArrayList<>();
    if (pinned != null) {
      out.add(pinned);
    }
    for (Tile t : tiles) {
      if (t.kind == Tile.Kind.SCREEN && t != pinned) {
        out.add(t);
      }
    }
    for (Tile t : tiles) {
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  private void layoutGrid(List<Tile> order, double w, double h) {
    Layout.Grid g = Layout.grid(order.size(), w, h, GAP);
    double totalW = g.columns() * g.tileWidth() + (g.columns() - 1) * GAP;
    double totalH = g.rows() * g.tileHeight() + (g.rows() - 1) * GAP;
    double top = (h - totalH) / 2;
    for (int i = 0; i < order.size(); i++) {
      int row = i / g.columns();
      int col = i % g.columns();
      int inRow = Math.min(g.columns(), order.size() - row * g.columns());
      double rowW = inRow * g.tileWidth() + (inRow - 1) * GAP;
      double left = (w - rowW) / 2 + col * (g.tileWidth() + GAP);
      order.get(i).place(left, top + row * (g.tileHeight() + GAP), g.tileWidth(), g.tileHeight());
    }
    if (totalW > w + 1) {
      area.setAttribute("data-overflow", "true"); // never expected: Layout fits by construction
    }
  }

  private void layoutSpeaker(double w, double h) {
    Tile main = main();
    List<Tile> others = new ArrayList<>();
    for (Tile t : ordered()) {
      if (t != main) {
        others.add(t);
      }
    }
    Layout.Speaker s = Layout.speaker(others.size(), w, h, GAP);
    double stripH = s.stripBeside() ? h : s.stripTile() / Layout.ASPECT;
    double mainAreaW = s.stripBeside() ? w - s.stripTile() - GAP : w;
    double mainAreaH = s.stripBeside() ? h : h - stripH - GAP;
    main.place(
        (mainAreaW - s.mainWidth()) / 2,
        (mainAreaH - s.mainHeight()) / 2,
        s.mainWidth(),
        s.mainHeight());
    double tileW = s.stripTile();
    double tileH = tileW / Layout.ASPECT;
    int shown = s.stripCount();
    for (int i = 0; i < others.size(); i++) {
      Tile t = others.get(i);
      if (i >= shown) {
        t.hide();
        continue;
      }
      if (s.stripBeside()) {
        double stripTotal = shown * tileH + (shown - 1) * GAP;
        t.place(w - tileW, (h - stripTotal) / 2 + i * (tileH + GAP), tileW, tileH);
      } else {
        double stripTotal = shown * tileW + (shown - 1) * GAP;
        t.place((w - stripTotal) / 2 + i * (tileW + GAP), h - tileH, tileW, tileH);
      }
    }
  }
}
