package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.VideoCodec;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.Packets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Batched writes to a slow receiver must keep its stream intact: every frame whole and in order,
 * its pings answered, and a close that the server decides while the receiver is backed up arrives
 * as a proper close frame after the data. (Loopback send buffers are large, so this does not force
 * the Jetty flusher race that {@code JettyLink} avoids by construction; it guards the batching.)
 */
class SlowReaderStreamTest {
  private static final int FRAME_BYTES = 8 * 1024; // small enough for the server to batch
  private static final int FRAMES = 800; // 6.4 MB: far more than the socket buffers hold

  @Test
  void batchedWritesPingsAndACloseToASlowReaderKeepTheStreamWellFormed() throws Exception {
    try (VideocallServer server = TestServer.start();
        Peer sender = Peer.join(TestServer.url(server), "sender", "m1");
        StalledReader slow = new StalledReader(server.httpPort(), "slow", "m1")) {
      sender.awaitMeeting(
          dev.videocall.proto.MeetingPacket.MeetingEventType.PARTICIPANT_JOINED, "slow");
      // about 4 MB/s: the server's writes to it keep going pending, and its backlog is batched
      StalledReader.Received got = slow.resumeParsing(2);
      byte[] payload = new byte[FRAME_BYTES];
      Peer again = null;
      for (int seq = 0; seq < FRAMES; seq++) {
        MediaPacket frame =
            Packets.videoFrame(payload, seq % 30 == 0, seq, seq * 33_000L, VideoCodec.VP8);
        sender.client.send(Packets.media(frame));
        if (seq % 100 == 50) {
          slow.ping(); // answered while the server's writes to this socket are pending
        }
        if (seq % 50 == 0) {
          Thread.sleep(5);
        }
        if (again == null && got.binary.size() >= 40) {
          // the same user joins again: the server closes the slow session while backed up
          again = Peer.join(TestServer.url(server), "slow", "m1");
        }
      }
      try (Peer replacement = again) {
        assertTrue(replacement != null, "the slow reader got only " + got.binary.size());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!got.ended && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertTrue(got.ended, "the stream never ended; frames read: " + got.binary.size());
        assertNull(got.malformed, got.malformed);
        assertEquals(CloseCodes.REPLACED, got.closeCode, "close code after " + got.binary.size());
        assertTrue(got.closeReason.startsWith("replaced"), got.closeReason);
        assertTrue(got.pongs.get() >= 1, "no pong");

        long last = -1;
        int video = 0;
        for (byte[] message : got.binary) {
          PacketWrapper w = PacketWrapper.parseFrom(message);
          MediaPacket m =
              w.getPacketType() == PacketType.MEDIA ? MediaPacket.parseFrom(w.getData()) : null;
          if (m != null && m.getMediaType() == MediaPacket.MediaType.VIDEO) {
            assertTrue(m.getVideoMetadata().getSequence() > last, "out of order");
            assertEquals(FRAME_BYTES, m.getData().size());
            last = m.getVideoMetadata().getSequence();
            video++;
          }
        }
        System.out.printf(
            "slow reader: %d of %d frames arrived whole and in order, %d shed by the server,"
                + " %d pongs%n",
            video,
            FRAMES,
            server.relay().counters().get(Name.DROPPED_VIDEO_DELTA),
            got.pongs.get());
      }
    }
  }
}
