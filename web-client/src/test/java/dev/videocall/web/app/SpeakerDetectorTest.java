package dev.videocall.web.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpeakerDetectorTest {
  @Test
  void speakingStartsAfterAShortSpellAndOutlastsShortPauses() {
    SpeakerDetector d = new SpeakerDetector();
    assertFalse(d.level("a", 0.2, 0));
    assertFalse(d.level("a", 0.2, 100), "a click is not speech");
    assertTrue(d.level("a", 0.2, 130));
    assertTrue(d.level("a", 0.0, 300), "a pause between words");
    assertTrue(d.level("a", 0.015, 900), "between the thresholds: no change");
    assertTrue(d.level("a", 0.0, 1300));
    assertFalse(d.level("a", 0.0, 2100), "silence long enough");
  }

  @Test
  void theActiveSpeakerChangesOnlyWhenSomeoneElseTalksForAWhile() {
    SpeakerDetector d = new SpeakerDetector();
    assertNull(d.active());
    for (int t = 0; t <= 200; t += 20) {
      d.level("a", 0.3, t);
    }
    assertEquals("a", d.active());
    for (int t = 200; t <= 800; t += 20) {
      d.level("a", 0.3, t);
      d.level("b", 0.3, t); // b interjects
    }
    assertEquals("a", d.active(), "a short interjection does not take the stage");
    for (int t = 800; t <= 2000; t += 20) {
      d.level("a", 0.3, t);
      d.level("b", 0.3, t);
    }
    assertEquals("b", d.active());
    d.forget("b");
    assertNull(d.active());
  }
}
