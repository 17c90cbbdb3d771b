package dev.videocall.web.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FreezeMeterTest {
  /** Paints {@code frames} frames {@code everyMs} apart from {@code fromMs}; returns the last. */
  private static double paint(FreezeMeter m, double fromMs, int frames, double everyMs) {
    double t = fromMs;
    for (int i = 0; i < frames; i++) {
      t = fromMs + i * everyMs;
      assertEquals(0, m.painted(t), "no freeze at " + t);
    }
    return t;
  }

  @Test
  void aSmoothStreamHasNoFreezeAndAGapOverTheUsualPlus150MsIsOne() {
    FreezeMeter m = new FreezeMeter();
    double t = paint(m, 1000, 60, 33.3);
    assertEquals(0, m.count());
    assertEquals("", m.recent());
    // 3 x 33 = 100 < 33 + 150: a gap of 180 ms is no freeze at 30 fps, one of 190 ms is
    t += 180;
    assertEquals(0, m.painted(t));
    t += 190;
    double first = t;
    assertEquals(190, m.painted(t), 0.001);
    t = paint(m, t + 33.3, 10, 33.3);
    t += 520;
    double second = t;
    assertEquals(520, m.painted(t), 0.001);
    assertEquals(2, m.count());
    assertEquals(710, m.totalMs(), 0.001);
    assertEquals(520, m.longestMs(), 0.001);
    assertEquals(Math.round(first) + ":190 " + Math.round(second) + ":520", m.recent());
  }

  @Test
  void aLowerFrameRateIsNoFreezeOnceItIsUsual() {
    FreezeMeter m = new FreezeMeter();
    double t = paint(m, 0, 40, 33.3);
    // temporal layers cut: 7.5 fps, 133 ms apart, under 33 + 150
    t = paint(m, t + 133, 40, 133);
    // now usual is 133 ms: three times that (400 ms) is the bound, not 283
    t += 390;
    assertEquals(0, m.painted(t));
    t = paint(m, t + 133, 30, 133); // (the 390 ms made the usual longer for a while)
    t += 410;
    assertEquals(410, m.painted(t), 0.001);
    assertEquals(1, m.count());
  }

  /**
   * A rate that fell for good (a 15 fps camera cut to its base temporal layer: 267 ms) is usual
   * after a few frames; with freezes kept out of the usual, every frame was one (attack review).
   */
  @Test
  void aRateThatFellForGoodIsUsualAgainAfterAFewFrames() {
    FreezeMeter m = new FreezeMeter();
    double t = paint(m, 0, 40, 66.7);
    for (int i = 0; i < 40; i++) {
      t += 267;
      m.painted(t);
    }
    assertTrue(m.count() <= 5, m.count() + " freezes");
  }

  @Test
  void aCameraTurnedOffAndOnIsNoFreezeAndTheFirstFramesAreNotJudged() {
    FreezeMeter m = new FreezeMeter();
    double t = paint(m, 0, 40, 33.3);
    m.restart();
    assertEquals(0, m.painted(t + 10_000));
    // the first few intervals after a (re)start set the usual: a slow start is no freeze
    assertEquals(0, m.painted(t + 10_400));
    assertEquals(0, m.count());
  }

  @Test
  void onlyTheLastTwentyFreezesAreListedButAllAreCounted() {
    FreezeMeter m = new FreezeMeter();
    double t = paint(m, 0, 10, 30);
    double end = 0;
    for (int i = 0; i < 25; i++) {
      t += 1000;
      end = t;
      assertEquals(1000, m.painted(t), 0.001);
      t = paint(m, t + 30, 5, 30);
    }
    assertEquals(25, m.count());
    String[] recent = m.recent().split(" ");
    assertEquals(FreezeMeter.RECENT, recent.length);
    assertEquals(Math.round(end) + ":1000", recent[recent.length - 1]);
  }
}
