package dev.videocall.server;

import static dev.videocall.server.Peer.isMedia;
import static dev.videocall.server.Peer.media;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.Packets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Java client over WebTransport against the real server, in meetings with WebSocket peers. */
class WebTransportIntegrationTest {
  private VideocallServer server;
  private final List<Peer> peers = new ArrayList<>();

  @AfterEach
  void stop() {
    peers.forEach(Peer::close);
    if (server != null) {
      server.close();
    }
  }

  private Peer join(String user, String meeting, String transport) {
    Peer p =
        Peer.join(
            VideocallClient.to(TestServer.url(server))
                .user(user)
                .meeting(meeting)
                .transport(transport));
    peers.add(p);
    return p;
  }

  private static PacketWrapper video(String label) {
    return Packets.media(
        Packets.videoFrame(label.getBytes(StandardCharsets.UTF_8), true, 1, 0, VideoCodec.VP8));
  }

  private static PacketWrapper audio(String label) {
    return Packets.media(
        MediaPacket.newBuilder()
            .setMediaType(MediaType.AUDIO)
            .setData(ByteString.copyFromUtf8(label))
            .build());
  }

  @Test
  void webTransportAndWebSocketParticipantsExchangeEveryKindOfPacket() {
    server = TestServer.start();
    Peer alice = join("alice", "m1", "webtransport");
    Peer bob = join("bob", "m1", "websocket");
    Peer carol = join("carol", "m2", "webtransport");
    assertEquals("webtransport", alice.client.transportName());
    // control stream, server -> WebTransport client
    alice.awaitMeeting(MeetingEventType.PARTICIPANT_JOINED, "bob");

    alice.client.send(video("video-from-alice")); // client stream -> server -> WebSocket
    PacketWrapper v = bob.await("alice's video", w -> isMedia(w, MediaType.VIDEO));
    assertEquals("alice", v.getUserId());
    assertEquals("video-from-alice", media(v).getData().toStringUtf8());

    alice.client.send(audio("audio-from-alice")); // datagram -> server -> WebSocket
    PacketWrapper a = bob.await("alice's audio", w -> isMedia(w, MediaType.AUDIO));
    assertEquals("audio-from-alice", media(a).getData().toStringUtf8());

    bob.client.send(video("video-from-bob")); // WebSocket -> server -> a stream of its own
    assertEquals(
        "video-from-bob",
        media(alice.await("bob's video", w -> isMedia(w, MediaType.VIDEO)))
            .getData()
            .toStringUtf8());
    bob.client.send(audio("audio-from-bob")); // WebSocket -> server -> datagram
    assertEquals(
        "audio-from-bob",
        media(alice.await("bob's audio", w -> isMedia(w, MediaType.AUDIO)))
            .getData()
            .toStringUtf8());

    carol.expectNone(
        "media of another meeting",
        w -> isMedia(w, MediaType.VIDEO) || isMedia(w, MediaType.AUDIO),
        Duration.ofMillis(300));

    alice.close();
    bob.awaitMeeting(MeetingEventType.PARTICIPANT_LEFT, "alice");
  }

  /**
   * Video goes out on a stream per group of pictures, batched: a fast stream of frames must all
   * arrive, in order within each group (a stream must not end before its queued frames are out).
   */
  @Test
  void aFastVideoStreamArrivesWholeAndInOrderWithinEachGroup() throws Exception {
    server = TestServer.start();
    int frames = 3000;
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(32);
    java.util.concurrent.ConcurrentLinkedQueue<Long> sequences =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    try (VideocallClient receiver =
        VideocallClient.to(TestServer.url(server))
            .user("rx")
            .meeting("burst")
            .transport("webtransport")
            .onPacket(
                w -> {
                  if (isMedia(w, MediaType.VIDEO)) {
                    sequences.add(media(w).getVideoMetadata().getSequence());
                    window.release();
                  }
                })
            .connect()
            .get(10, TimeUnit.SECONDS)) {
      Peer sender = join("tx", "burst", "websocket");
      byte[] payload = new byte[10 * 1024];
      for (int seq = 0; seq < frames; seq++) {
        assertTrue(window.tryAcquire(10, TimeUnit.SECONDS), "stalled after " + sequences.size());
        sender.client.send(
            Packets.media(Packets.videoFrame(payload, seq % 30 == 0, seq, seq, VideoCodec.VP8)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sequences.size() < frames && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(frames, sequences.size(), "frames received");
      long[] lastInGroup = new long[frames / 30];
      java.util.Arrays.fill(lastInGroup, -1);
      for (long seq : sequences) {
        int group = (int) (seq / 30);
        assertTrue(seq > lastInGroup[group], "frame " + seq + " out of order in its group");
        lastInGroup[group] = seq;
      }
    }
  }

  @Test
  void heartbeatsOverWebTransportKeepTheSessionAndSilenceEndsIt() {
    server = TestServer.start(1 << 20, Duration.ofMillis(600));
    Peer talker = join("talker", "m1", "webtransport");
    Peer silent =
        Peer.join(
            VideocallClient.to(TestServer.url(server))
                .user("silent")
                .meeting("m1")
                .transport("webtransport")
                .heartbeats(null));
    peers.add(silent);
    VideocallClient.Closed closed = silent.client.closed().orTimeout(5, TimeUnit.SECONDS).join();
    assertEquals(CloseCodes.HEARTBEAT_TIMEOUT, closed.code());
    assertEquals("no packet received for 600 ms", closed.reason());
    talker.awaitMeeting(MeetingEventType.PARTICIPANT_LEFT, "silent");
    assertTrue(!talker.client.closed().isDone(), "heartbeats kept the WebTransport session");
  }

  @Test
  void anOversizedPacketClosesOnlyTheWebTransportOffender() {
    server = TestServer.start(64 * 1024, Duration.ofSeconds(10));
    Peer big = join("big", "m1", "webtransport");
    Peer bob = join("bob", "m1", "websocket");
    big.client.send(video("x".repeat(100 * 1024)));
    VideocallClient.Closed closed = big.client.closed().orTimeout(5, TimeUnit.SECONDS).join();
    assertEquals(CloseCodes.TOO_BIG, closed.code());
    assertTrue(closed.reason().contains("exceeds the limit"), closed.reason());
    bob.awaitMeeting(MeetingEventType.PARTICIPANT_LEFT, "big");
    assertTrue(!bob.client.closed().isDone());
  }

  /**
   * "Every frame intact" issue: a Java client never hands an out-of-order delta frame to its
   * decoder. The sender here behaves like the old page: every video frame on a stream of its own (a
   * wrapper that claims audio, so the mapping gives each large frame its own stream), and some
   * neighbours swapped on top, so frames reach the receiver out of order. The receiver's decoder
   * must still see only valid chains: each delta frame right after the frame decoded before it.
   */
  @Test
  void outOfOrderDeltaFramesNeverReachTheDecoder() throws Exception {
    server = TestServer.start();
    int frames = 600;
    int group = 30;
    java.util.List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    long[] lastDecoded = {-1};
    java.util.concurrent.atomic.AtomicInteger arrivedOutOfOrder =
        new java.util.concurrent.atomic.AtomicInteger();
    long[] lastArrived = {-1};
    java.util.concurrent.atomic.AtomicInteger arrived =
        new java.util.concurrent.atomic.AtomicInteger();
    dev.videocall.client.VideoStreams[] streams = new dev.videocall.client.VideoStreams[1];
    Peer sender = join("sender", "order", "webtransport");
    try (VideocallClient receiver =
        VideocallClient.to(TestServer.url(server))
            .user("receiver")
            .meeting("order")
            .transport("webtransport")
            .onPacket(
                w -> {
                  if (isMedia(w, MediaType.VIDEO)) {
                    long seq = media(w).getVideoMetadata().getSequence();
                    synchronized (lastArrived) {
                      if (seq < lastArrived[0]) {
                        arrivedOutOfOrder.incrementAndGet();
                      }
                      lastArrived[0] = Math.max(lastArrived[0], seq);
                    }
                    arrived.incrementAndGet();
                    streams[0].onPacket(w);
                  }
                })
            .connect()
            .get(10, TimeUnit.SECONDS)) {
      streams[0] =
          dev.videocall.client.VideoStreams.of(
              receiver,
              (senderSession, frame) -> {
                long seq = frame.getVideoMetadata().getSequence();
                boolean key = Packets.isKeyframe(frame);
                if (!key && seq != lastDecoded[0] + 1) {
                  violations.add("delta " + seq + " after " + lastDecoded[0]);
                }
                lastDecoded[0] = seq;
              });
      sender.awaitMeeting(MeetingEventType.PARTICIPANT_JOINED, "receiver");
      java.util.List<Integer> order = new ArrayList<>();
      for (int i = 0; i < frames; i++) {
        order.add(i);
      }
      for (int i = 3; i + 1 < frames; i += 7) {
        java.util.Collections.swap(order, i, i + 1);
      }
      byte[] payload = new byte[1500];
      // at most 32 streams in flight: the server lets a client hold 100 open at once
      java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
      java.util.concurrent.atomic.AtomicInteger failedSends =
          new java.util.concurrent.atomic.AtomicInteger();
      String[] firstFailure = {""};
      for (int i : order) {
        inFlight.acquire();
        PacketWrapper frame =
            Packets.media(
                    Packets.videoFrame(payload, i % group == 0, i, i * 33_333L, VideoCodec.VP8))
                .toBuilder()
                .setMediaKind(PacketWrapper.MediaKind.AUDIO) // large "audio": a stream per frame
                .build();
        sender
            .client
            .send(frame)
            .whenComplete(
                (ok, error) -> {
                  if (error != null && failedSends.incrementAndGet() == 1) {
                    firstFailure[0] = String.valueOf(error);
                  }
                  inFlight.release();
                });
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (arrived.get() < frames && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      dev.videocall.client.VideoStreams v = streams[0];
      String report =
          String.format(
              "%d of %d frames arrived, %d out of order; decoded %d, stale %d, gaps %d, keyframe"
                  + " requests %d%n",
              arrived.get(),
              frames,
              arrivedOutOfOrder.get(),
              v.decoded(),
              v.stale(),
              v.gaps(),
              v.keyframeRequests());
      report +=
          "failed sends "
              + failedSends.get()
              + " ("
              + firstFailure[0]
              + "); server: "
              + server.relay().counters().snapshot()
              + "\n";
      System.out.print(report);
      assertTrue(violations.isEmpty(), violations + "\n" + report);
      assertTrue(arrivedOutOfOrder.get() > 0, "the test must really reorder: " + report);
      assertTrue(v.decoded() >= frames / group, "at least every keyframe decodes: " + report);
      assertTrue(v.keyframeRequests() > 0, report);
      sender.await(
          "a keyframe request addressed to the sender",
          w ->
              isMedia(w, MediaType.KEYFRAME_REQUEST)
                  && w.getTargetSessionId() == sender.client.sessionId());
    }
  }
}
