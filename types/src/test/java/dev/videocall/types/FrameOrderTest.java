package dev.videocall.types;

import static dev.videocall.types.FrameOrder.Verdict.DECODE;
import static dev.videocall.types.FrameOrder.Verdict.GAP;
import static dev.videocall.types.FrameOrder.Verdict.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FrameOrderTest {
  @Test
  void aChainDecodesInOrderOnly() {
    FrameOrder o = new FrameOrder();
    assertEquals(GAP, o.next(false, 0), "no keyframe yet");
    assertEquals(DECODE, o.next(true, 1));
    assertEquals(DECODE, o.next(false, 2));
    assertEquals(GAP, o.next(false, 4), "3 is missing");
    assertEquals(GAP, o.next(false, 3), "3 came late: the chain is broken already");
    assertEquals(GAP, o.next(false, 5), "still waiting for a keyframe");
    assertEquals(DECODE, o.next(true, 6));
    assertEquals(STALE, o.next(false, 5), "the old group's tail after the new keyframe");
    assertEquals(DECODE, o.next(false, 7));
    assertEquals(STALE, o.next(true, 3), "an old keyframe never rewinds the picture");
  }

  @Test
  void simulcastSwitchesLayersOnlyAtAKeyframeOfTheNewLayer() {
    FrameOrder o = new FrameOrder();
    assertEquals(DECODE, o.next(true, 0, 100));
    assertEquals(DECODE, o.next(false, 0, 101));
    assertEquals(
        STALE, o.next(false, 2, 7), "a delta of another layer: nothing to decode it against");
    assertEquals(DECODE, o.next(false, 0, 102), "the current layer was not disturbed");
    assertEquals(DECODE, o.next(true, 2, 8), "the top layer's keyframe: a switch");
    assertEquals(2, o.layer());
    assertEquals(DECODE, o.next(false, 2, 9), "its own numbers, though lower than the old layer's");
    assertEquals(STALE, o.next(false, 0, 103), "the tail of the layer left behind");
    assertEquals(DECODE, o.next(false, 2, 10));
    assertEquals(GAP, o.next(false, 2, 12), "a gap within the new layer is still a gap");
  }

  /**
   * Whatever order frames arrive in, what is decoded is a valid chain: every delta follows the
   * frame decoded just before it.
   */
  @Property
  void onlyValidChainsAreDecoded(
      @ForAll @IntRange(min = 1, max = 200) int frames,
      @ForAll @IntRange(min = 2, max = 30) int groupLength,
      @ForAll long seed) {
    List<Long> arrival = new ArrayList<>();
    for (long i = 0; i < frames; i++) {
      arrival.add(i);
    }
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < frames / 5; i++) {
      Collections.swap(arrival, r.nextInt(frames), r.nextInt(frames));
    }
    FrameOrder o = new FrameOrder();
    long lastDecoded = -1;
    for (long seq : arrival) {
      boolean key = seq % groupLength == 0;
      if (o.next(key, seq) == DECODE) {
        assertTrue(key || seq == lastDecoded + 1, "delta " + seq + " after " + lastDecoded);
        assertTrue(seq > lastDecoded);
        lastDecoded = seq;
      }
    }
  }
}
