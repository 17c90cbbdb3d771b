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
}
