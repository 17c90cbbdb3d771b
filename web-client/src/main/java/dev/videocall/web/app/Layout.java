package dev.videocall.web.app;

/**
 * Where tiles go: pure arithmetic, unit-tested on the JVM. Tiles keep 16:9; a grid takes the column
 * count that makes them largest in the space there is, so that every layout fits the window
 * whatever its size (phones to 4K) and however many people there are.
 */
final class Layout {
  static final double ASPECT = 16.0 / 9.0;

  /** A grid: columns, rows and the size of each tile, in CSS pixels. */
  record Grid(int columns, int rows, int tileWidth, int tileHeight) {}

  private Layout() {}

  /** The grid of {@code tiles} 16:9 tiles in {@code width} x {@code height} with {@code gap}. */
  static Grid grid(int tiles, double width, double height, double gap) {
    int n = Math.max(1, tiles);
    Grid best = new Grid(1, n, 0, 0);
    double bestArea = -1;
    for (int columns = 1; columns <= n; columns++) {
      int rows = (n + columns - 1) / columns;
      double w = (width - gap * (columns - 1)) / columns;
      double h = (height - gap * (rows - 1)) / rows;
      if (w <= 0 || h <= 0) {
        continue;
      }
      // the largest 16:9 box inside the cell
      double tw = Math.min(w, h * ASPECT);
      double th = tw / ASPECT;
      double area = tw * th;
      if (area > bestArea + 0.5) {
        bestArea = area;
        best = new Grid(columns, rows, (int) Math.floor(tw), (int) Math.floor(th));
      }
    }
    return best;
  }

  /** Speaker view: one large tile and a strip of small ones below (or beside, on wide screens). */
  record Speaker(
      int mainWidth, int mainHeight, boolean stripBeside, int stripTile, int stripCount) {}

  /**
   * Speaker (or presentation) view in {@code width} x {@code height}: the main tile as large as it
   * can be, and up to {@code others} small tiles in a strip that takes a fifth of the space.
   */
  static Speaker speaker(int others, double width, double height, double gap) {
    boolean beside = width / height > 2.0; // very wide: the strip goes to the right
    if (others == 0) {
      Grid g = grid(1, width, height, gap);
      return new Speaker(g.tileWidth(), g.tileHeight(), beside, 0, 0);
    }
    double stripSize = beside ? Math.max(120, width / 5) : Math.max(68, height / 5);
    double mainW = beside ? width - stripSize - gap : width;
    double mainH = beside ? height : height - stripSize - gap;
    double tw = Math.min(mainW, mainH * ASPECT);
    int stripTile;
    int fit;
    if (beside) {
      stripTile = (int) Math.floor(stripSize); // tile width
      fit = (int) Math.max(1, Math.floor((height + gap) / (stripTile / ASPECT + gap)));
    } else {
      stripTile = (int) Math.floor(stripSize * ASPECT); // tile width from the strip's height
      fit = (int) Math.max(1, Math.floor((width + gap) / (stripTile + gap)));
    }
    return new Speaker(
        (int) Math.floor(tw),
        (int) Math.floor(tw / ASPECT),
        beside,
        stripTile,
        Math.min(others, fit));
  }
}
