package dev.videocall.web.app;

/** Column count of the tile grid: as square as possible, up to 5 x 5 for 25 participants. */
final class GridLayout {
  private GridLayout() {}

  static int columns(int tiles) {
    if (tiles <= 1) {
      return 1;
    }
    int columns = (int) Math.ceil(Math.sqrt(tiles));
    return Math.min(columns, 5);
  }

  /** The Tailwind class for {@link #columns}; spelled out so Tailwind's scanner finds them. */
  static String columnsClass(int tiles) {
    switch (columns(tiles)) {
      case 1:
        return "grid-cols-1";
      case 2:
        return "grid-cols-1 sm:grid-cols-2";
      case 3:
        return "grid-cols-2 md:grid-cols-3";
      case 4:
        return "grid-cols-2 md:grid-cols-4";
      default:
        return "grid-cols-3 md:grid-cols-5";
    }
  }
}
