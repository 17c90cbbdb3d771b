package dev.videocall.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The step-back rule of the picture-quality harness, on the 300-frame looping video. */
class PictureQualityTest {
  @Test
  void aFewFramesBackIsAStepBack() {
    assertTrue(PictureQuality.wentBack(100, 95));
    assertTrue(PictureQuality.wentBack(100, 100 - PictureQuality.LONGEST_STEP_BACK));
    assertTrue(PictureQuality.wentBack(3, 290), "back across the loop's end");
  }

  @Test
  void forwardAndSecondsBackAreNot() {
    assertFalse(PictureQuality.wentBack(100, 100));
    assertFalse(PictureQuality.wentBack(100, 101));
    assertFalse(PictureQuality.wentBack(290, 3), "forward across the loop's end");
    // Seen in a full build: a viewer that had fallen behind caught up, 151 frames forward.
    assertFalse(PictureQuality.wentBack(48, 199));
    assertFalse(PictureQuality.wentBack(100, 99 - PictureQuality.LONGEST_STEP_BACK));
  }
}
