package dev.videocall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.cli.media.TestPattern;
import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.testkit.ServerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** videocall-cli stream --test-pattern → the real server → a receiver that decodes it. */
class StreamIntegrationTest {
  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start("cli-stream");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @CsvSource({"vp8,webtransport", "vp9,websocket"})
  void theTestPatternArrivesDecodableWithItsColoursAndTone(String codec, String transport)
      throws Exception {
    String meeting = "cli-" + codec;
    ConcurrentLinkedQueue<PacketWrapper> received = new ConcurrentLinkedQueue<>();
    VideocallClient viewer =
        VideocallClient.to(server.url())
            .user("viewer")
            .meeting(meeting)
            .onPacket(received::add)
            .connect()
            .get(10, TimeUnit.SECONDS);
    int exit =
        Main.run(
            new String[] {
              "stream",
              "--user-id",
              "cam",
              "--meeting-id",
              meeting,
              "--test-pattern",
              "--resolution",
              "320x180",
              "--fps",
              "15",
              "--bitrate-kbps",
              "300",
              "--codec",
              codec,
              "--transport",
              transport,
              "--duration",
              "3s",
              "--server",
              server.url().toString()
            });
    viewer.close();
    assertEquals(0, exit, "stream ends cleanly after --duration");

    List<MediaPacket> video = new ArrayList<>();
    int audio = 0;
    for (PacketWrapper w : received) {
      if (w.getPacketType() != PacketWrapper.PacketType.MEDIA || !w.getUserId().equals("cam")) {
        continue;
      }
      MediaPacket m = MediaPacket.parseFrom(w.getData());
      if (m.getMediaType() == MediaType.VIDEO) {
        video.add(m);
      } else if (m.getMediaType() == MediaType.AUDIO) {
        assertEquals("opus", m.getAudioMetadata().getAudioFormat());
        audio++;
      }
    }
    assertTrue(video.size() >= 30, "frames received: " + video.size());
    assertTrue(audio >= 100, "20 ms Opus frames received: " + audio);
    assertEquals("key", video.get(0).getFrameType(), "the stream starts with a keyframe");
    VideoCodec expected =
        codec.equals("vp8") ? VideoCodec.VP8 : VideoCodec.VP9_PROFILE0_LEVEL10_8BIT;
    FrameDecoder.Picture last = null;
    int decoded = 0;
    try (FrameDecoder decoder = new FrameDecoder(expected)) {
      for (MediaPacket m : video) {
        assertEquals(expected, m.getVideoMetadata().getCodec());
        FrameDecoder.Picture p = decoder.decode(m.getData().toByteArray());
        if (p != null) {
          decoded++;
          last = p;
        }
      }
    }
    assertEquals(video.size(), decoded, "every frame decodes");
    assertNotNull(last);
    assertEquals(320, last.width());
    assertEquals(180, last.height());
    for (int bar = 0; bar < 4; bar++) {
      int[] want = TestPattern.BAR_RGB[bar];
      int[] got = last.pixel((bar + 0.5) / 4, 0.4);
      for (int c = 0; c < 3; c++) {
        assertTrue(
            Math.abs(want[c] - got[c]) <= 40,
            "bar "
                + bar
                + ": want "
                + java.util.Arrays.toString(want)
                + ", got "
                + java.util.Arrays.toString(got));
      }
    }
  }

  /**
   * {@code stream --layers 3}: the server forwards the largest layer to a viewer that sends no
   * reports and, to one whose tile for the stream is 90 pixels tall, the smallest, switching at a
   * keyframe of that layer (which the stream sends when asked); both decode their layer with the
   * pattern's colours.
   */
  @org.junit.jupiter.api.Test
  void aLayeredStreamReachesEachViewerAtTheSizeItShows() throws Exception {
    String meeting = "cli-layers";
    ConcurrentLinkedQueue<PacketWrapper> big = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<PacketWrapper> small = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicLong camSession =
        new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong smallBytes =
        new java.util.concurrent.atomic.AtomicLong();
    VideocallClient bigViewer =
        VideocallClient.to(server.url())
            .user("big")
            .meeting(meeting)
            .onPacket(big::add)
            .connect()
            .get(10, TimeUnit.SECONDS);
    VideocallClient smallViewer =
        VideocallClient.to(server.url())
            .user("small")
            .meeting(meeting)
            .onPacket(
                w -> {
                  smallBytes.addAndGet(w.getSerializedSize());
                  if (w.getUserId().equals("cam")) {
                    camSession.set(w.getSessionId());
                  }
                  small.add(w);
                })
            .connect()
            .get(10, TimeUnit.SECONDS);
    java.util.concurrent.ScheduledExecutorService reports =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    // as the page does: what arrived, and the height at which the stream is shown
    reports.scheduleAtFixedRate(
        () -> {
          dev.videocall.proto.ReceiverReport.Builder r =
              dev.videocall.proto.ReceiverReport.newBuilder().setBytesReceived(smallBytes.get());
          if (camSession.get() != 0) {
            r.addTiles(
                dev.videocall.proto.TileSize.newBuilder()
                    .setSessionId(camSession.get())
                    .setHeight(90));
          }
          smallViewer.send(
              PacketWrapper.newBuilder()
                  .setPacketType(PacketWrapper.PacketType.RECEIVER_REPORT)
                  .setData(r.build().toByteString())
                  .build());
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    int exit;
    try {
      exit =
          Main.run(
              new String[] {
                "stream",
                "--user-id",
                "cam",
                "--meeting-id",
                meeting,
                "--test-pattern",
                "--no-audio",
                "--resolution",
                "640x360",
                "--fps",
                "15",
                "--layers",
                "3",
                "--transport",
                "websocket",
                "--duration",
                "6s",
                "--server",
                server.url().toString()
              });
    } finally {
      reports.shutdownNow();
      bigViewer.close();
      smallViewer.close();
    }
    assertEquals(0, exit, "stream ends cleanly after --duration");
    FrameDecoder.Picture bigLast = lastOfLayer(big, 2, 3);
    assertEquals(640, bigLast.width(), "the viewer that does not report gets the largest");
    FrameDecoder.Picture smallLast = lastOfLayer(small, 0, 3);
    assertEquals(160, smallLast.width(), "the 90-pixel tile gets the smallest");
    assertEquals(90, smallLast.height());
    for (FrameDecoder.Picture p : new FrameDecoder.Picture[] {bigLast, smallLast}) {
      for (int bar = 0; bar < 4; bar++) {
        int[] want = TestPattern.BAR_RGB[bar];
        int[] got = p.pixel((bar + 0.5) / 4, 0.4);
        for (int c = 0; c < 3; c++) {
          assertTrue(
              Math.abs(want[c] - got[c]) <= 40,
              p.width() + " wide, bar " + bar + ": " + java.util.Arrays.toString(got));
        }
      }
    }
  }

  /**
   * The viewer's frames of {@code layer} from its last switch to it (a keyframe of that layer) on:
   * every one is that layer and decodes; the last picture.
   */
  private static FrameDecoder.Picture lastOfLayer(
      java.util.Collection<PacketWrapper> received, int layer, int layers) throws Exception {
    List<MediaPacket> video = new ArrayList<>();
    for (PacketWrapper w : received) {
      if (w.getPacketType() == PacketWrapper.PacketType.MEDIA && w.getUserId().equals("cam")) {
        MediaPacket m = MediaPacket.parseFrom(w.getData());
        if (m.getMediaType() == MediaType.VIDEO) {
          assertEquals(layers, m.getVideoMetadata().getSpatialLayers());
          video.add(m);
        }
      }
    }
    int start = -1;
    for (int i = 0; i < video.size(); i++) {
      MediaPacket m = video.get(i);
      if (m.getVideoMetadata().getSpatialLayer() != layer) {
        start = -1;
      } else if (start < 0 && "key".equals(m.getFrameType())) {
        start = i;
      }
    }
    assertTrue(start >= 0, "no run of layer " + layer + " from a keyframe in " + video.size());
    assertTrue(
        video.size() - start >= 15, "frames of layer " + layer + ": " + (video.size() - start));
    FrameDecoder.Picture last = null;
    try (FrameDecoder decoder = new FrameDecoder(VideoCodec.VP8)) {
      for (MediaPacket m : video.subList(start, video.size())) {
        FrameDecoder.Picture p = decoder.decode(m.getData().toByteArray());
        assertNotNull(p, "every frame of the run decodes");
        last = p;
      }
    }
    return last;
  }
}
