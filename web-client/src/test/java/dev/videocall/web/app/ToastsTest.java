package dev.videocall.web.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToastsTest {
  @Test
  void noticesThatComeTogetherAreOneSentence() {
    assertEquals("Ann left", Toasts.sentence(List.of("Ann"), "left"));
    assertEquals("Ann and Ben left", Toasts.sentence(List.of("Ann", "Ben"), "left"));
    assertEquals(
        "Ann, Ben and 1 other joined", Toasts.sentence(List.of("Ann", "Ben", "Cy"), "joined"));
    assertEquals(
        "Ann, Ben and 2 others left", Toasts.sentence(List.of("Ann", "Ben", "Cy", "Di"), "left"));
  }
}
