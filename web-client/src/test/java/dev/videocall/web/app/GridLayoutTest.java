package dev.videocall.web.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GridLayoutTest {
  @Test
  void gridIsAsSquareAsPossibleUpToFiveByFive() {
    int[][] expected = {
      {1, 1}, {2, 2}, {3, 2}, {4, 2}, {5, 3}, {9, 3}, {10, 4}, {16, 4}, {17, 5}, {25, 5}, {40, 5}
    };
    for (int[] e : expected) {
      assertEquals(e[1], GridLayout.columns(e[0]), e[0] + " tiles");
      int columns = e[1];
      int rows = (int) Math.ceil(e[0] / (double) columns);
      assertTrue(e[0] > 25 || rows <= 5, "25 participants fit in 5 rows");
    }
  }

  @Test
  void idRuleMatchesTheServers() {
    assertTrue(Main.isId("alice.b_c-9"));
    assertTrue(Main.isId("x".repeat(64)));
    assertFalse(Main.isId(""));
    assertFalse(Main.isId("x".repeat(65)));
    assertFalse(Main.isId("a b"));
    assertFalse(Main.isId("é"));
    for (String s : new String[] {"alice", "a.b", "a*b", "a%20b", "ü", "-", "."}) {
      assertEquals(dev.videocall.types.Ids.isValid(s), Main.isId(s), s);
    }
  }
}
