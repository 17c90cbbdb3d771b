package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TemporalGateTest {
  private static final int[] PATTERN = {0, 2, 1, 2};

  /** Frames forwarded of {@code n} at 30 fps (pattern 0 2 1 2), a keyframe first if asked. */
  private static int frames(TemporalGate g, int n, boolean keyframeFirst, int allowed) {
    int forwarded = 0;
    for (int i = 0; i < n; i++) {
      boolean key = keyframeFirst && i == 0;
      if (g.forward(key ? 0 : PATTERN[i % 4], key, allowed)) {
        forwarded++;
      }
    }
    return forwarded;
  }

  @Test
  void layersGoAtOnceAndComeBackOnlyAtAKeyframe() {
    TemporalGate g = new TemporalGate();
    assertEquals(8, frames(g, 8, true, 2), "every layer");
    assertEquals(4, frames(g, 8, false, 1), "layers 0 and 1 at once");
    assertEquals(2, frames(g, 8, false, 0), "layer 0 only");
    assertEquals(2, frames(g, 8, false, 2), "the link takes more: not before a keyframe");
    assertEquals(4, frames(g, 8, true, 2), "from a keyframe on, one layer more");
    assertEquals(8, frames(g, 8, true, 2), "and from the next, the last");
  }

  @Test
  void aStreamWithoutTemporalLayersAlwaysPasses() {
    TemporalGate g = new TemporalGate();
    for (int allowed = 2; allowed >= 0; allowed--) {
      for (int i = 0; i < 10; i++) {
        assertEquals(true, g.forward(0, i == 0, allowed));
      }
    }
  }
}
