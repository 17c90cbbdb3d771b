package dev.videocall.web.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayoutTest {
  @Test
  void everyGridFitsItsSpaceAtEveryCountAndSize() {
    double[][] spaces = {{1280, 650}, {390, 640}, {360, 500}, {3840, 2000}, {1920, 960}};
    for (double[] space : spaces) {
      for (int n = 1; n <= 30; n++) {
        Layout.Grid g = Layout.grid(n, space[0], space[1], 8);
        assertTrue(g.columns() * g.rows() >= n, n + " tiles in " + g);
        assertTrue(g.columns() * g.tileWidth() + (g.columns() - 1) * 8 <= space[0] + 1, g + "");
        assertTrue(g.rows() * g.tileHeight() + (g.rows() - 1) * 8 <= space[1] + 1, g + "");
        assertTrue(g.tileWidth() > 0 && g.tileHeight() > 0, g + " for " + n);
      }
    }
  }

  @Test
  void twoPeopleOnALandscapeScreenSitSideBySideAndOnAPhoneAboveEachOther() {
    assertEquals(2, Layout.grid(2, 1280, 650, 8).columns());
    assertEquals(1, Layout.grid(2, 390, 640, 8).columns());
    Layout.Grid nine = Layout.grid(9, 1280, 650, 8);
    assertEquals(3, nine.columns());
    assertEquals(3, nine.rows());
  }

  @Test
  void speakerViewKeepsTheMainTileAndAStripInside() {
    Layout.Speaker s = Layout.speaker(5, 1280, 650, 8);
    assertTrue(!s.stripBeside() && s.mainHeight() + 8 + 130 <= 650 + 1, s.toString());
    assertTrue(s.stripCount() >= 1 && s.stripCount() <= 5);
    Layout.Speaker wide = Layout.speaker(5, 3000, 900, 8);
    assertTrue(wide.stripBeside());
  }
}
