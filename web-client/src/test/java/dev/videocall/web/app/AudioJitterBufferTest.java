package dev.videocall.web.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AudioJitterBufferTest {
  private final AudioJitterBuffer buffer = new AudioJitterBuffer();

  @Test
  void framesKeepTheirTimestampSpacingAfterTheTargetDelay() {
    double now = 10.0;
    assertEquals(now + AudioJitterBuffer.TARGET_DELAY_S, buffer.playAt(1_000_000, now), 1e-9);
    // arriving in a burst, later frames still play 20 ms apart
    assertEquals(now + 0.08, buffer.playAt(1_020_000, now + 0.001), 1e-9);
    assertEquals(now + 0.10, buffer.playAt(1_040_000, now + 0.002), 1e-9);
    assertEquals(0, buffer.reanchors());
  }

  @Test
  void aLateFrameReanchorsInsteadOfPlayingInThePast() {
    buffer.playAt(0, 0.0);
    double late = buffer.playAt(20_000, 0.5); // should have played at 0.08
    assertEquals(0.5 + AudioJitterBuffer.TARGET_DELAY_S, late, 1e-9);
    assertEquals(1, buffer.reanchors());
    assertEquals(0.5 + 0.08, buffer.playAt(40_000, 0.5), 1e-9);
  }

  @Test
  void aTimestampJumpFarAheadReanchors() {
    buffer.playAt(0, 0.0);
    double when = buffer.playAt(5_000_000, 0.02); // 5 s ahead: sender restarted its clock
    assertEquals(0.02 + AudioJitterBuffer.TARGET_DELAY_S, when, 1e-9);
    assertEquals(1, buffer.reanchors());
  }
}
