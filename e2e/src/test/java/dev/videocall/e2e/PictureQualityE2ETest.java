package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.testkit.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Every frame intact": three participants whose cameras play the known test video watch each other
 * for 30 s; every sampled remote picture must be the frame its barcode says, at 30 dB or better,
 * and the frames a viewer sees of a peer never go backwards. Over WebSocket and over WebTransport
 * (where frames used to arrive out of order and paint garbage). Every camera is sent in three
 * temporal layers (L1T3), the page's default.
 */
class PictureQualityE2ETest {
  private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("picture.seconds", 30));
  private static ServerProcess server;
  private static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    Path video = Path.of("target", "test-video.y4m");
    TestVideo.write(video);
    TestVideo.warm(video);
    server = ServerProcess.start("picture-quality");
    chromium = Chromium.withCamera(video);
  }

  @AfterAll
  static void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "webtransport"})
  void everySampledRemotePictureIsIntact(String transport) throws Exception {
    List<Participant> people = new ArrayList<>();
    String meeting = "quality-" + transport;
    try {
      for (String user : List.of("ana", "ben", "cai")) {
        Participant p = new Participant(chromium.browser, user);
        people.add(p);
        p.open(server.meetingUrl(user, meeting) + "?transport=" + transport).connect();
        assertEquals(transport, p.page.evaluate("document.documentElement.dataset.transport"));
      }
      Map<Participant, List<String>> watching = new LinkedHashMap<>();
      for (Participant viewer : people) {
        List<String> peers = new ArrayList<>();
        for (Participant other : people) {
          if (other != viewer) {
            peers.add(other.user);
            waitUntil(
                viewer.user + " decodes " + other.user,
                Duration.ofSeconds(15),
                () -> viewer.framesDecoded(other.user) >= 10);
          }
        }
        watching.put(viewer, peers);
      }
      for (Participant p : people) {
        assertEquals("3", p.js("document.documentElement.dataset.cameraTemporalLayers"), p.user);
        for (String peer : watching.get(p)) {
          // so every picture measured below went through FrameOrder's temporal-layer rule
          assertEquals(
              "3", p.tileAttribute(peer, "data-temporal-layers"), p.user + " gets " + peer);
        }
      }
      PictureQuality.Report r = PictureQuality.measure(watching, MEASURE);
      String report =
          transport
              + ": "
              + r.summary()
              + "\n"
              + PictureQuality.histogram(r)
              + "\nworst samples:"
              + r.worst(5)
              + "\n";
      System.out.print(report);
      Files.createDirectories(Artifacts.DIR);
      Files.writeString(Path.of("target", "picture-quality-" + transport + ".txt"), report);
      assertTrue(r.samples().size() >= 45, "too few samples: " + report);
      assertEquals(0, r.corrupted(), report);
      assertEquals(0, r.backwards(), report);
    } finally {
      Artifacts.save("picture-quality-" + transport, people);
      people.forEach(Participant::close);
    }
  }
}
