package dev.videocall.types;

import static dev.videocall.types.FrameOrder.Verdict.DECODE;
import static dev.videocall.types.FrameOrder.Verdict.GAP;
import static dev.videocall.types.FrameOrder.Verdict.SKIP;
import static dev.videocall.types.FrameOrder.Verdict.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /** One L1T3 stream as WebCodecs makes it: layers 0 2 1 2, a keyframe every {@code group}. */
  private static final class L1T3 {
    final int group;
    long sequence;
    long t0;
    long t1;

    L1T3(int group) {
      this.group = group;
    }

    /** The next frame: {key (1/0), temporal layer, sequence, t0, t1}. */
    long[] next() {
      long i = sequence % group;
      int layer = i == 0 ? 0 : new int[] {0, 2, 1, 2}[(int) (i % 4)];
      sequence++;
      t0 += layer == 0 ? 1 : 0;
      t1 += layer <= 1 ? 1 : 0;
      return new long[] {i == 0 ? 1 : 0, layer, sequence, t0, t1};
    }
  }

  private static FrameOrder.Verdict offer(FrameOrder o, long[] f) {
    return o.next(f[0] == 1, 0, f[2], 3, (int) f[1], f[3], f[4]);
  }

  @Test
  void withoutTheTopTemporalLayerTheOthersStillDecode() {
    FrameOrder o = new FrameOrder();
    L1T3 s = new L1T3(1000);
    assertEquals(DECODE, offer(o, s.next()), "keyframe");
    assertEquals(DECODE, offer(o, s.next()), "layer 2");
    assertEquals(3, o.intactLevels());
    s.next(); // a layer-1 frame is lost
    assertEquals(SKIP, offer(o, s.next()), "layer 2 may refer to the lost layer-1 frame");
    assertEquals(1, o.intactLevels());
    assertEquals(DECODE, offer(o, s.next()), "layer 0 refers to none of them");
    assertEquals(SKIP, offer(o, s.next()), "layer 2");
    assertEquals(SKIP, offer(o, s.next()), "layer 1: waits for a keyframe");
    assertEquals(SKIP, offer(o, s.next()));
    assertEquals(DECODE, offer(o, s.next()), "layer 0");
    assertTrue(o.decoding());
  }

  @Test
  void aLostBaseFrameIsAGapEvenWhenAnUpperLayerFrameTellsOfIt() {
    FrameOrder o = new FrameOrder();
    L1T3 s = new L1T3(1000);
    for (int i = 0; i < 4; i++) {
      assertEquals(DECODE, offer(o, s.next()));
    }
    s.next(); // layer 0, lost
    assertEquals(GAP, offer(o, s.next()), "a layer-2 frame after the lost base frame");
    assertFalse(o.decoding());
    assertEquals(GAP, offer(o, s.next()), "layer 1");
    assertEquals(GAP, offer(o, s.next()), "layer 2");
    assertEquals(GAP, offer(o, s.next()), "layer 0: its predecessor is lost");
  }

  @Test
  void aKeyframeRestoresEveryLayer() {
    FrameOrder o = new FrameOrder();
    L1T3 s = new L1T3(8);
    assertEquals(DECODE, offer(o, s.next()));
    s.next(); // layer 2, lost
    for (int i = 2; i < 8; i++) {
      long[] f = s.next();
      assertEquals(f[1] == 2 ? SKIP : DECODE, offer(o, f), "frame " + i + ", layer " + f[1]);
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(DECODE, offer(o, s.next()), "after the keyframe, frame " + i);
    }
  }

  /**
   * Whatever frames of an L1T3 stream are lost or come late, every delta decoded had every frame of
   * its layer and below since the keyframe decoded before it (the most any of them may refer to);
   * and with only upper-layer frames lost, every base-layer frame decodes.
   */
  @Property
  void temporalLayersDecodeOnlyWhatTheirReferencesAllow(
      @ForAll @IntRange(min = 1, max = 200) int frames,
      @ForAll @IntRange(min = 4, max = 40) int group,
      @ForAll @IntRange(min = 0, max = 2) int lossFromLayer,
      @ForAll long seed) {
    java.util.Random r = new java.util.Random(seed);
    L1T3 s = new L1T3(group);
    List<long[]> all = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      all.add(s.next());
    }
    List<long[]> arrival = new ArrayList<>();
    for (long[] f : all) {
      if (f[0] == 1 || f[1] < lossFromLayer || r.nextInt(4) != 0) {
        arrival.add(f);
      }
    }
    boolean reordered = lossFromLayer == 0 && r.nextBoolean();
    for (int i = 0; reordered && i < arrival.size() / 8; i++) {
      Collections.swap(arrival, r.nextInt(arrival.size()), r.nextInt(arrival.size()));
    }
    FrameOrder o = new FrameOrder();
    java.util.Set<Long> decoded = new java.util.HashSet<>();
    long lastKey = -1;
    long lastDecoded = -1;
    for (long[] f : arrival) {
      if (offer(o, f) != DECODE) {
        assertTrue(
            lossFromLayer == 0 || f[1] != 0, "a base frame was refused with only upper ones lost");
        continue;
      }
      assertTrue(f[2] > lastDecoded, "never back: " + f[2] + " after " + lastDecoded);
      lastDecoded = f[2];
      if (f[0] == 1) {
        lastKey = f[2];
      } else {
        for (long[] earlier : all) {
          if (earlier[2] > lastKey && earlier[2] < f[2] && earlier[1] <= f[1]) {
            assertTrue(
                decoded.contains(earlier[2]),
                "frame " + f[2] + " (layer " + f[1] + ") without " + earlier[2]);
          }
        }
      }
      decoded.add(f[2]);
    }
  }
}
