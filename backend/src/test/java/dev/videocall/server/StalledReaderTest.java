package dev.videocall.server;

import static dev.videocall.server.Peer.isMedia;
import static dev.videocall.server.Peer.media;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.types.Packets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A receiver that stops reading must not delay anyone else. Measures a healthy receiver's
 * end-to-end latency before and while a stalled receiver sits in the same meeting, then checks that
 * the stalled one, once it reads again, gets a keyframe requested for it.
 */
class StalledReaderTest {
  private static final int FRAME_BYTES = 30 * 1024;
  private static final int FRAMES_MEASURED = 300;
  private static final long FRAME_INTERVAL_NANOS = 10_000_000; // 100 frames/s, 3 MB/s
  private static final int KEYFRAME_EVERY = 30;

  private long sequence;
  private VideocallServer server;

  @Test
  void stalledReaderDoesNotDelayOthersAndRecoversWithAKeyframe() throws Exception {
    try (VideocallServer started = TestServer.start();
        Peer sender = Peer.join(TestServer.url(started), "sender", "m1")) {
      server = started;
      ConcurrentLinkedQueue<Long> latenciesUs = new ConcurrentLinkedQueue<>();
      try (VideocallClient healthy =
          VideocallClient.to(TestServer.url(server))
              .user("healthy")
              .meeting("m1")
              .onPacket(
                  w -> {
                    if (isMedia(w, MediaType.VIDEO)) {
                      latenciesUs.add(Packets.nowMicros() - media(w).getSendTimeUs());
                    }
                  })
              .connect()
              .join()) {
        // warm-up (JIT), not measured: a cold client may fall behind here and have frames shed
        send(sender, FRAMES_MEASURED);
        int warmUpLost = FRAMES_MEASURED - drainWarmUp(latenciesUs, FRAMES_MEASURED);
        long droppedBefore = droppedVideo();
        send(sender, FRAMES_MEASURED);
        List<Long> baseline = collect(latenciesUs, FRAMES_MEASURED);

        try (StalledReader stalled = new StalledReader(server.httpPort(), "stalled", "m1")) {
          long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          int framesToSaturate = 0;
          while (droppedVideo() == droppedBefore) {
            assertTrue(System.nanoTime() < deadline, "the stalled receiver never backed up");
            send(sender, 10);
            framesToSaturate += 10;
          }
          collect(latenciesUs, framesToSaturate);
          send(sender, FRAMES_MEASURED);
          List<Long> underStall = collect(latenciesUs, FRAMES_MEASURED);
          long dropped = droppedVideo() - droppedBefore;

          String report =
              String.format(
                  Locale.ROOT,
                  "stalled-reader test: %d-byte frames at 100/s to 2 receivers%n"
                      + "  (after %d warm-up frames)%n"
                      + "  healthy receiver, no stalled peer:   %s%n"
                      + "  healthy receiver, stalled peer:      %s%n"
                      + "  frames sent until the stalled peer's queue overflowed: %d;"
                      + " frames dropped for it: %d; frames lost by the healthy one: 0%n"
                      + "  (healthy receiver's warm-up frames shed while its JVM was cold: %d)%n",
                  FRAME_BYTES,
                  FRAMES_MEASURED,
                  summary(baseline),
                  summary(underStall),
                  framesToSaturate,
                  dropped,
                  warmUpLost);
          System.out.print(report);
          Path out = Path.of("target", "stalled-reader.txt");
          Files.createDirectories(out.getParent());
          Files.writeString(out, report, StandardCharsets.UTF_8);

          assertTrue(dropped > 0);
          long p99 = percentile(underStall, 99);
          assertTrue(p99 < 250_000, "healthy p99 under a stalled peer was " + p99 + " us");

          // the stalled receiver reads again: the server asks the sender for a keyframe for it
          stalled.resume();
          long stalledSession = sessionOf(sender, "stalled");
          for (int i = 0; i < 200; i++) {
            send(sender, 1);
            if (hasKeyframeRequest(sender, stalledSession)) {
              break;
            }
          }
          PacketWrapper request =
              sender.await(
                  "a KEYFRAME_REQUEST on behalf of the stalled receiver",
                  w ->
                      isMedia(w, MediaType.KEYFRAME_REQUEST)
                          && w.getSessionId() == stalledSession
                          && w.getTargetSessionId() == sender.client.sessionId(),
                  Duration.ofSeconds(5));
          assertEquals("stalled", request.getUserId());
          assertEquals(MediaType.VIDEO, media(request).getRequestMediaType());
        }
      }
    }
  }

  private boolean hasKeyframeRequest(Peer sender, long from) {
    for (PacketWrapper w : sender.inbox) {
      if (isMedia(w, MediaType.KEYFRAME_REQUEST) && w.getSessionId() == from) {
        return true;
      }
    }
    return false;
  }

  private static long sessionOf(Peer peer, String user) {
    return peer.awaitMeeting(
            dev.videocall.proto.MeetingPacket.MeetingEventType.PARTICIPANT_JOINED, user)
        .getTargetSessionId();
  }

  private void send(Peer sender, int frames) throws InterruptedException {
    byte[] payload = new byte[FRAME_BYTES];
    long next = System.nanoTime();
    for (int i = 0; i < frames; i++) {
      long seq = sequence++;
      MediaPacket frame =
          Packets.videoFrame(payload, seq % KEYFRAME_EVERY == 0, seq, seq * 10_000, VideoCodec.VP8);
      sender.client.send(Packets.media(frame));
      next += FRAME_INTERVAL_NANOS;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
  }

  /**
   * Takes exactly {@code n} latencies, waiting up to 10 s for them: the healthy peer loses none.
   */
  private List<Long> collect(ConcurrentLinkedQueue<Long> q, int n) throws InterruptedException {
    List<Long> out = new ArrayList<>(n);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (out.size() < n) {
      Long v = q.poll();
      if (v == null) {
        assertTrue(
            System.nanoTime() < deadline,
            "healthy receiver got only "
                + out.size()
                + " of "
                + n
                + " frames; server counters: "
                + server.relay().counters().snapshot());
        Thread.sleep(5);
      } else {
        out.add(v);
      }
    }
    return out;
  }

  private long droppedVideo() {
    return server.relay().counters().get(Name.DROPPED_VIDEO_DELTA)
        + server.relay().counters().get(Name.DROPPED_VIDEO_KEY);
  }

  /** Takes up to {@code n} warm-up latencies, until none arrived for a second; returns how many. */
  private static int drainWarmUp(ConcurrentLinkedQueue<Long> q, int n) throws InterruptedException {
    int got = 0;
    long quietSince = System.nanoTime();
    while (got < n && System.nanoTime() - quietSince < Duration.ofSeconds(1).toNanos()) {
      if (q.poll() == null) {
        Thread.sleep(5);
      } else {
        got++;
        quietSince = System.nanoTime();
      }
    }
    return got;
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static String summary(List<Long> us) {
    return String.format(
        Locale.ROOT,
        "p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)",
        percentile(us, 50) / 1000.0,
        percentile(us, 99) / 1000.0,
        Collections.max(us) / 1000.0,
        us.size());
  }
}
