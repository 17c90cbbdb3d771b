package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Packet.Stream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private static final long SENDER_A = 11;
  private static final long SENDER_B = 22;
  private static final int BUDGET = 10_000;

  private final FakeLink link = new FakeLink();
  private final Counters counters = new Counters();
  private final List<String> keyframeRequests = new ArrayList<>();
  private int overflows;
  private final Outbox outbox =
      new Outbox(
          link,
          BUDGET,
          counters,
          new Outbox.Listener() {
            @Override
            public void keyframeNeeded(long sender, Stream stream) {
              keyframeRequests.add(sender + "/" + stream);
            }

            @Override
            public void overflowed() {
              overflows++;
            }
          });

  private byte tag;

  /** A packet whose first byte identifies it in {@link FakeLink#written}. */
  private Packet packet(long sender, Priority priority, int size) {
    byte[] bytes = new byte[size];
    bytes[0] = ++tag;
    Stream stream =
        priority == Priority.VIDEO_KEY || priority == Priority.VIDEO_DELTA
            ? Stream.CAMERA
            : Stream.NONE;
    return new Packet("m", "u" + sender, sender, 0, priority, stream, bytes);
  }

  private List<Byte> writtenTags() {
    List<Byte> tags = new ArrayList<>();
    for (byte[] b : link.written) {
      tags.add(b[0]);
    }
    return tags;
  }

  /** A camera keyframe request to a sender, for {@code requestLayer} (0: every layer). */
  private Packet keyframeRequest(int requestLayer) {
    return new Packet(
        "m",
        "u",
        1,
        SENDER_A,
        Priority.CONTROL,
        Stream.CAMERA,
        new byte[] {++tag},
        Packet.Layer.requested(requestLayer));
  }

  /**
   * A link whose writes complete when its own buffers take them (QUIC, up to its congestion window)
   * gets only its bytes in flight; the rest waits in the outbox, where the drop policy still acts
   * on it. (Without the bound, 32 writes of a 600 kbit/s layer held 2 s of a 300 kbit/s link.)
   */
  @Test
  void aLinkGetsNoMoreThanItsBytesInFlightButAlwaysOneWrite() {
    FakeLink quic = new FakeLink();
    quic.maxWrites = 32;
    quic.maxBytes = 10_000;
    quic.stalled = true;
    Outbox o =
        new Outbox(
            quic,
            100_000,
            counters,
            new Outbox.Listener() {
              @Override
              public void keyframeNeeded(long sender, Stream stream) {}

              @Override
              public void overflowed() {}
            });
    for (int i = 0; i < 6; i++) {
      o.offer(packet(SENDER_A, Priority.AUDIO, 4_000));
    }
    assertEquals(2, quic.written.size(), "8,000 bytes in flight; a third would make 12,000");
    quic.completeOne();
    assertEquals(3, quic.written.size(), "one done, one more");
    quic.completeOne();
    quic.completeOne();
    quic.completeOne();
    quic.completeOne();
    assertEquals(6, quic.written.size());
    quic.completeOne();
    o.offer(packet(SENDER_A, Priority.AUDIO, 30_000));
    assertEquals(7, quic.written.size(), "a packet larger than the bound goes alone");
  }

  /**
   * Keyframe requests to one sender are coalesced per layer: a receiver switching to the largest
   * layer must not lose its request to another receiver's request for the smallest just before
   * (attack review finding (c): coalescing ignored the layer).
   */
  @Test
  void keyframeRequestsAreCoalescedPerLayer() {
    outbox.offer(keyframeRequest(1));
    outbox.offer(keyframeRequest(3));
    outbox.offer(keyframeRequest(1)); // the same as the first, just after: one is enough
    outbox.offer(keyframeRequest(0));
    outbox.offer(keyframeRequest(2)); // every layer was just asked for: this one too
    assertEquals(List.of((byte) 1, (byte) 2, (byte) 4), writtenTags());
    assertEquals(2, counters.get(Name.DROPPED_KEYFRAME_REQUEST_COALESCED));
  }

  @Test
  void aHeldOutboxQueuesInOrderAndWritesNothingUntilReleased() {
    outbox.hold();
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10));
    outbox.offer(packet(SENDER_B, Priority.VIDEO_KEY, 10));
    assertTrue(link.written.isEmpty(), "written while held");
    outbox.release();
    assertEquals(List.of((byte) 1, (byte) 2), writtenTags());
  }

  @Test
  void fastLinkGetsEverythingInOrder() {
    Packet a = packet(SENDER_A, Priority.CONTROL, 10);
    Packet b = packet(SENDER_A, Priority.VIDEO_KEY, 3000);
    Packet c = packet(SENDER_A, Priority.AUDIO, 100);
    outbox.offer(a);
    outbox.offer(b);
    outbox.offer(c);
    assertEquals(3, link.written.size());
    assertArrayEquals(a.bytes(), link.written.get(0));
    assertArrayEquals(b.bytes(), link.written.get(1));
    assertArrayEquals(c.bytes(), link.written.get(2));
    assertEquals(0, outbox.queuedBytes());
    assertEquals(0, outbox.dropped());
  }

  @Test
  void synchronousCompletionsDoNotRecurse() {
    for (int i = 0; i < 100_000; i++) {
      outbox.offer(packet(SENDER_A, Priority.AUDIO, 8));
    }
    assertEquals(100_000, link.written.size());
    assertEquals(100_000, counters.get(Name.PACKETS_DELIVERED));
  }

  @Test
  void fullQueueDropsNewDeltaAndThenTheRestOfThatChainUntilAKeyframe() {
    link.stalled = true;
    outbox.offer(packet(SENDER_A, Priority.VIDEO_KEY, 1000)); // in flight, not queued
    for (int i = 0; i < 5; i++) {
      outbox.offer(packet(SENDER_A, Priority.VIDEO_DELTA, 2000)); // fills the budget exactly
    }
    assertEquals(BUDGET, outbox.queuedBytes());
    outbox.offer(packet(SENDER_A, Priority.VIDEO_DELTA, 2000)); // does not fit: dropped
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_DELTA));

    link.release(); // everything queued drains
    assertEquals(0, outbox.queuedBytes());
    // the chain is broken, so later deltas are useless until a keyframe arrives
    outbox.offer(packet(SENDER_A, Priority.VIDEO_DELTA, 100));
    assertEquals(2, counters.get(Name.DROPPED_VIDEO_DELTA));
    Packet key = packet(SENDER_A, Priority.VIDEO_KEY, 100);
    Packet after = packet(SENDER_A, Priority.VIDEO_DELTA, 100);
    outbox.offer(key);
    outbox.offer(after);
    List<byte[]> w = link.written;
    assertArrayEquals(after.bytes(), w.get(w.size() - 1));
    assertArrayEquals(key.bytes(), w.get(w.size() - 2));
  }

  /** A camera delta frame of temporal layer {@code t}. */
  private Packet delta(long sender, int t, int size) {
    byte[] bytes = new byte[size];
    bytes[0] = ++tag;
    return new Packet(
        "m",
        "u" + sender,
        sender,
        0,
        Priority.VIDEO_DELTA,
        Stream.CAMERA,
        bytes,
        Packet.Layer.NONE.withTemporal(t));
  }

  /**
   * A base-layer frame that does not fit makes room by evicting upper temporal layers, the top one
   * first: the receiver's picture goes on at a lower frame rate. The layers that lost a frame wait
   * for a keyframe; the ones below them flow on.
   */
  @Test
  void upperTemporalLayersMakeRoomForLowerOnesAndWaitForAKeyframe() {
    link.stalled = true;
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10)); // in flight
    Packet t0 = delta(SENDER_A, 0, 2500);
    Packet t2 = delta(SENDER_A, 2, 2500);
    Packet t1 = delta(SENDER_A, 1, 2500);
    Packet t2b = delta(SENDER_A, 2, 2500);
    for (Packet p : List.of(t0, t2, t1, t2b)) {
      outbox.offer(p); // the budget, exactly
    }
    Packet next = delta(SENDER_A, 0, 2500);
    outbox.offer(next); // evicts t2b, the newest of the top layer
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_DELTA));
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_UPPER_TEMPORAL));
    Packet t1b = delta(SENDER_A, 1, 2500);
    outbox.offer(t1b); // evicts t2: layer 2 goes before layer 1
    assertEquals(2, counters.get(Name.DROPPED_VIDEO_UPPER_TEMPORAL));
    Packet notNow = delta(SENDER_A, 1, 2500);
    outbox.offer(notNow); // no frame of a layer above 1 left: dropped itself, layer 1 now waits
    assertEquals(3, counters.get(Name.DROPPED_VIDEO_UPPER_TEMPORAL));

    link.release();
    assertEquals(
        List.of((byte) 1, t0.bytes()[0], t1.bytes()[0], next.bytes()[0], t1b.bytes()[0]),
        writtenTags());
    assertTrue(
        keyframeRequests.isEmpty(), "upper layers wait for the sender's next regular keyframe");
    link.written.clear();
    Packet base = delta(SENDER_A, 0, 100);
    outbox.offer(delta(SENDER_A, 2, 100)); // waits for the keyframe
    outbox.offer(delta(SENDER_A, 1, 100)); // so does layer 1 now
    outbox.offer(base);
    Packet key = packet(SENDER_A, Priority.VIDEO_KEY, 100);
    Packet top = delta(SENDER_A, 2, 100);
    outbox.offer(key);
    outbox.offer(top);
    assertEquals(List.of(base.bytes()[0], key.bytes()[0], top.bytes()[0]), writtenTags());
  }

  /**
   * A delta evicts upper-layer frames only when that lets it in (attack review: a stream without
   * temporal layers, all layer 0, broke every other stream's upper layers and was dropped anyway).
   */
  @Test
  void aDeltaThatWouldNotFitAnywayEvictsNothing() {
    link.stalled = true;
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10)); // in flight
    Packet top = delta(SENDER_B, 2, 2000);
    outbox.offer(packet(SENDER_A, Priority.AUDIO, 7000));
    outbox.offer(top);
    outbox.offer(delta(SENDER_A, 0, 4000)); // 7000 + 4000 > 10000 even without B's frame
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_DELTA), "only the delta itself");
    assertEquals(0, counters.get(Name.DROPPED_VIDEO_UPPER_TEMPORAL));
    outbox.offer(delta(SENDER_B, 2, 100));
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_DELTA), "B's top layer flows on");
  }

  @Test
  void keyframeAudioAndControlEvictQueuedDeltasNewestFirst() {
    link.stalled = true;
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10)); // in flight
    Packet d1 = packet(SENDER_A, Priority.VIDEO_DELTA, 3000);
    Packet d2 = packet(SENDER_B, Priority.VIDEO_DELTA, 3000);
    Packet d3 = packet(SENDER_A, Priority.VIDEO_DELTA, 3000);
    outbox.offer(d1);
    outbox.offer(d2);
    outbox.offer(d3);
    Packet key = packet(SENDER_B, Priority.VIDEO_KEY, 4000);
    outbox.offer(key); // needs 3000 more: evicts d3 (newest)
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_DELTA));
    Packet audio = packet(SENDER_A, Priority.AUDIO, 3000);
    outbox.offer(audio); // evicts d2 (newest delta left); key stays
    assertEquals(2, counters.get(Name.DROPPED_VIDEO_DELTA));
    assertEquals(0, counters.get(Name.DROPPED_VIDEO_KEY));
    assertEquals(0, counters.get(Name.DROPPED_AUDIO));

    link.release();
    List<Byte> expected =
        List.of((byte) 1, d1.bytes()[0], key.bytes()[0], audio.bytes()[0]); // d2, d3 gone
    assertEquals(expected, writtenTags());
  }

  @Test
  void keyframeIsDroppedOnlyWhenNoDeltaCanMakeRoom() {
    link.stalled = true;
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10)); // in flight
    outbox.offer(packet(SENDER_A, Priority.AUDIO, 9000));
    outbox.offer(packet(SENDER_B, Priority.VIDEO_KEY, 2000)); // no delta to evict
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_KEY));
    link.release();
    // B's stream now waits for a keyframe: its deltas are dropped, and one is requested
    assertEquals(List.of(SENDER_B + "/CAMERA"), keyframeRequests);
    outbox.offer(packet(SENDER_B, Priority.VIDEO_DELTA, 10));
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_DELTA));
  }

  @Test
  void keyframeIsRequestedOnceTheQueueDrainsBelowHalfNotBefore() {
    link.stalled = true;
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10)); // in flight
    for (int i = 0; i < 10; i++) {
      outbox.offer(packet(SENDER_B, Priority.AUDIO, 1000));
    }
    outbox.offer(packet(SENDER_A, Priority.VIDEO_DELTA, 500)); // dropped, A now waits
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_DELTA));
    assertTrue(keyframeRequests.isEmpty(), "no request while the receiver is still backed up");

    // complete writes one at a time; the request comes when at most half the budget is queued
    link.stalled = true;
    int writesUntilRequest = 0;
    while (keyframeRequests.isEmpty()) {
      Runnable r = link.pending.poll();
      r.run();
      writesUntilRequest++;
      assertTrue(writesUntilRequest < 20);
    }
    assertTrue(outbox.queuedBytes() <= BUDGET / 2);
    assertTrue(outbox.queuedBytes() > BUDGET / 2 - 1000, "requested as soon as it drained");
    assertEquals(List.of(SENDER_A + "/CAMERA"), keyframeRequests);
    while (!link.pending.isEmpty()) {
      link.pending.poll().run();
    }
    assertEquals(1, keyframeRequests.size(), "not repeated within a second");
    assertEquals(1, counters.get(Name.KEYFRAME_REQUESTS));
  }

  @Test
  void controlPacketsHaveASecondBudgetThenTheReceiverIsGivenUp() {
    link.stalled = true;
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10)); // in flight
    for (int i = 0; i < 19; i++) {
      outbox.offer(packet(SENDER_A, Priority.CONTROL, 1000));
    }
    assertEquals(0, overflows);
    assertEquals(19_000, outbox.queuedBytes());
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 1000)); // exactly twice the budget
    assertEquals(0, overflows);
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 1));
    assertEquals(1, overflows);
  }

  @Test
  void forgettingASenderStopsItsKeyframeRequests() {
    link.stalled = true;
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10));
    outbox.offer(packet(SENDER_A, Priority.AUDIO, BUDGET));
    outbox.offer(packet(SENDER_B, Priority.VIDEO_DELTA, 10)); // dropped; B waits
    outbox.forget(SENDER_B);
    link.release();
    assertTrue(keyframeRequests.isEmpty());
    outbox.offer(packet(SENDER_B, Priority.VIDEO_DELTA, 10));
    assertEquals(1, counters.get(Name.DROPPED_VIDEO_DELTA), "B's new deltas flow again");
  }

  @Test
  void closedOutboxWritesNothing() {
    outbox.close();
    outbox.offer(packet(SENDER_A, Priority.CONTROL, 10));
    assertTrue(link.written.isEmpty());
    assertFalse(outbox.queuedBytes() > 0);
  }
}
