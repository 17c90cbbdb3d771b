package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.server.core.LayerSelector.Verdict;
import org.junit.jupiter.api.Test;

/** The stream allocator against simulated links: 1:1 calls on a good, a weak, a changing link. */
class LayerSelectorTest {
  private static final int[] HEIGHTS = {90, 180, 360};
  private static final long[] RATES = {100_000, 300_000, 900_000};
  private static final long MS = 1_000_000L;

  private final LayerSelector s = new LayerSelector();
  private long now = 0;

  LayerSelectorTest() {
    s.layers(3, HEIGHTS, RATES);
  }

  /**
   * One second of frames at 30 fps on every layer, temporal pattern 0 2 1 2, keyframes as asked.
   */
  private int[] second(boolean keyframesNow) {
    int[] forwarded = new int[3];
    for (int f = 0; f < 30; f++) {
      now += 33 * MS;
      int temporal = new int[] {0, 2, 1, 2}[f % 4];
      for (int layer = 0; layer < 3; layer++) {
        boolean key = keyframesNow && f == 0;
        if (s.onFrame(layer, temporal, key) != Verdict.DROP) { // FORWARD or SWITCH
          forwarded[layer]++;
        }
      }
    }
    return forwarded;
  }

  /**
   * A pending switch holds probes back, but not for good (attack review: a sender that never
   * answers with the new layer's keyframe stopped every receiver's probes).
   */
  @Test
  void aPendingSwitchHoldsProbesBackForAWhileOnly() {
    s.update(5_000_000, 360, false, now);
    second(true);
    for (int i = 0; i < 3; i++) {
      s.update(5_000_000, 360, false, now);
      second(false);
    }
    assertEquals(2, s.target());
    assertTrue(s.switchPending(now), "waits for the top layer's keyframe");
    assertTrue(s.switchPending(now + 1_000 * MS));
    assertFalse(s.switchPending(now + 1_600 * MS), "no keyframe came: probes go on");
  }

  @Test
  void aGoodLinkGetsTheTopLayerAfterTheHoldTimeAndAKeyframe() {
    s.update(5_000_000, 360, false, now);
    second(true);
    assertEquals(0, s.current(), "starts low: no measurement has lasted yet");
    for (int i = 0; i < 3; i++) {
      s.update(5_000_000, 360, false, now);
      second(false);
    }
    assertEquals(2, s.target());
    assertTrue(s.keyframeRequest(now), "the switch asks for a keyframe of the top layer");
    assertFalse(s.keyframeRequest(now + 100 * MS), "not again at once");
    int[] f = second(true);
    assertEquals(2, s.current());
    assertEquals(1, f[0] + f[1], "only the old layer's frame before the first keyframe went");
    assertEquals(30, f[2]);
  }

  @Test
  void aWeakLinkGetsTheLayerThatFitsAndDropsTemporalLayersUnderShortCongestion() {
    s.update(300_000, 360, false, now); // 300 kbit/s: 0.85 x 300k fits layer 0 (100k) only
    second(true);
    for (int i = 0; i < 5; i++) {
      s.update(300_000, 360, false, now);
      second(i % 2 == 0);
    }
    assertEquals(0, s.target());
    assertEquals(0, s.current());
    s.update(300_000, 360, true, now); // the queue builds: temporal layer 2 goes
    s.maxTemporal(1); // what the congested link takes (Downlink.maxTemporal)
    int[] f = second(false);
    assertEquals(15, f[0], "temporal layers 0 and 1: half the frames");
    s.maxTemporal(0);
    assertEquals(8, second(false)[0], "layer 0: a quarter");
    s.update(300_000, 360, false, now);
    s.maxTemporal(2); // the queue drained
    assertEquals(
        8, second(false)[0], "but layers 1 and 2 only from a keyframe: their chains broke");
    assertEquals(15, second(true)[0], "from a keyframe on, one layer more");
    assertEquals(30, second(true)[0], "from the next, every frame");
  }

  @Test
  void whenTheLimitIsLiftedTheReceiverClimbsBackAndWhenItFallsItGoesDownAtOnce() {
    for (int i = 0; i < 4; i++) {
      s.update(5_000_000, 360, false, now);
      second(true);
    }
    assertEquals(2, s.current());
    s.update(300_000, 360, false, now);
    assertEquals(0, s.target(), "down at once");
    second(true);
    assertEquals(0, s.current());
    long lifted = now;
    while (s.current() != 2) {
      s.update(5_000_000, 360, false, now);
      second(true);
    }
    assertTrue(now - lifted <= 4_000 * MS, "back on top within 4 s: " + (now - lifted) / MS);
  }

  /**
   * The browser test in the full build: a 300 kbit/s link, the middle layer measured at 183 kbit/s,
   * cat's share 218 kbit/s. 85 % of it "fits" 183, cat went up, and the link filled (the layer's
   * rate moves by a quarter between windows). Going up needs more room than staying.
   */
  @Test
  void goingUpNeedsMoreRoomThanStaying() {
    s.layers(3, HEIGHTS, new long[] {50_000, 183_000, 600_000});
    for (int i = 0; i < 5; i++) {
      s.update(218_000, 360, false, now);
      second(true);
    }
    assertEquals(0, s.target(), "218 kbit/s is not room enough to go up to 183 kbit/s");
    for (int i = 0; i < 3; i++) {
      s.update(270_000, 360, false, now);
      second(true);
    }
    assertEquals(1, s.target(), "270 kbit/s is");
    s.update(218_000, 360, false, now);
    second(true);
    assertEquals(1, s.target(), "and once there, 218 kbit/s is enough to stay");
  }

  @Test
  void aSmallTileGetsASmallLayerWhateverTheLink() {
    for (int i = 0; i < 4; i++) {
      s.update(5_000_000, 120, false, now);
      second(true);
    }
    assertEquals(1, s.current(), "180p for a 120 px tile");
    for (int i = 0; i < 4; i++) {
      s.update(5_000_000, 60, false, now);
      second(true);
    }
    assertEquals(0, s.current());
  }

  @Test
  void nothingIsForwardedUntilTheFirstKeyframeOfTheTargetLayer() {
    s.update(0, 0, false, now);
    int[] f = second(false);
    assertEquals(0, f[0] + f[1] + f[2], "a decoder cannot start on a delta frame");
    assertTrue(s.keyframeRequest(now));
  }

  /**
   * A receiver that never reports (the Java client, the CLI) is on the largest of three layers; the
   * sender's camera gets smaller and it publishes two. The target must follow: it stayed on a layer
   * that no longer came, and every frame was dropped (found by the attack review).
   */
  @Test
  void whenTheSenderPublishesFewerLayersTheTargetFollows() {
    assertEquals(Verdict.SWITCH, s.onFrame(2, 0, true));
    assertEquals(2, s.current());
    s.layers(2, new int[] {90, 180}, new long[] {100_000, 300_000});
    assertEquals(1, s.target());
    assertEquals(Verdict.SWITCH, s.onFrame(1, 0, true), "its new largest, from a keyframe");
    assertEquals(Verdict.FORWARD, s.onFrame(1, 0, false));
  }
}
