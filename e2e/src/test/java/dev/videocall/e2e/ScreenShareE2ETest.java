package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.videocall.testkit.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Screen sharing, with content the test knows: Sam shares a browser tab that plays the test video
 * (with its numbered frames), Vic sees it large with the cameras in a strip, and the
 * picture-quality harness reads Vic's screen tile: every sampled picture must be the frame its
 * barcode says, intact. Closing the shared tab (what the browser's own "Stop sharing" does to the
 * track) ends the share for everyone.
 */
class ScreenShareE2ETest {
  private static final String SHARED_TITLE = "VC-SHARED-CONTENT";
  private static final Duration MEASURE =
      Duration.ofSeconds(Long.getLong("screen.picture.seconds", 10));

  @Test
  void theSharedTabArrivesIntactAndStopsWhenTheTabCloses() throws Exception {
    Path video = Path.of("target", "test-video.y4m");
    TestVideo.write(video);
    TestVideo.warm(video);
    List<Participant> people = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start("screen-share");
        Chromium chromium = Chromium.sharingTab(SHARED_TITLE, video)) {
      Participant sam = new Participant(chromium.browser, "sam");
      Participant vic = new Participant(chromium.browser, "vic");
      people.add(sam);
      people.add(vic);
      sam.open(server.meetingUrl("sam", "screens")).connect();
      vic.open(server.meetingUrl("vic", "screens")).connect();
      waitUntil("vic sees sam", Duration.ofSeconds(15), () -> vic.framesDecoded("sam") >= 5);

      // the tab to share: the test video, 1:1, repainting 30 times a second
      Page content = sam.context.newPage();
      content.setViewportSize(TestVideo.WIDTH, TestVideo.HEIGHT);
      content.navigate("http://localhost:" + server.httpPort + "/assets/app.css");
      content.setContent(
          "<!doctype html><html><head><title>"
              + SHARED_TITLE
              + "</title><style>html,body{margin:0;background:#000;overflow:hidden}"
              + "video{display:block;width:"
              + TestVideo.WIDTH
              + "px;height:"
              + TestVideo.HEIGHT
              + "px}</style></head><body><video autoplay muted playsinline></video><script>"
              + "navigator.mediaDevices.getUserMedia({video: {width: 640, height: 360}})"
              + ".then(s => document.querySelector('video').srcObject = s);</script></body></html>");
      waitUntil(
          "the content tab plays",
          Duration.ofSeconds(10),
          () -> (Boolean) content.evaluate("document.querySelector('video').videoWidth > 0"));

      sam.page.bringToFront();
      sam.page.click("#toggle-screen");
      waitUntil(
          "sam shares",
          Duration.ofSeconds(10),
          () -> "true".equals(sam.page.getAttribute("#toggle-screen", "aria-pressed")));
      assertEquals(
          "browser",
          sam.page.evaluate(
              "document.querySelector('[data-screen-share][data-self] video').srcObject"
                  + ".getVideoTracks()[0].getSettings().displaySurface"),
          "the tab was shared, not a fake screen");
      String screen = "[data-screen-share=true][data-screen-of=sam]";
      waitUntil(
          "vic decodes sam's screen",
          Duration.ofSeconds(15),
          () -> {
            String n = vic.page.getAttribute(screen, "data-frames-decoded");
            return n != null && Long.parseLong(n) >= 10;
          });
      assertEquals(
          "3",
          vic.page.getAttribute(screen, "data-temporal-layers"),
          "the screen comes in three temporal layers (L1T3)");
      assertEquals(
          "speaker",
          vic.page.evaluate("document.getElementById('tiles').dataset.layout"),
          "a shared screen is shown large, the cameras in a strip");
      @SuppressWarnings("unchecked")
      Map<String, Object> sizes =
          (Map<String, Object>)
              vic.page.evaluate(
                  "(() => { const s = document.querySelector('"
                      + screen
                      + "').getBoundingClientRect();"
                      + " const c = document.querySelector('[data-peer-id=sam]:not([data-screen-share])')"
                      + ".getBoundingClientRect(); return {screen: s.width * s.height,"
                      + " camera: c.width * c.height}; })()");
      assertTrue(
          ((Number) sizes.get("screen")).doubleValue()
              > 4 * ((Number) sizes.get("camera")).doubleValue(),
          "the screen is the large tile: " + sizes);
      vic.page
          .locator(screen + " [data-role=pin]")
          .click(new com.microsoft.playwright.Locator.ClickOptions().setForce(true));
      assertEquals("true", vic.page.getAttribute(screen, "data-pinned"), "a screen can be pinned");
      vic.page
          .locator(screen + " [data-role=pin]")
          .click(new com.microsoft.playwright.Locator.ClickOptions().setForce(true));
      assertEquals("false", vic.page.getAttribute(screen, "data-pinned"));
      Files.createDirectories(Artifacts.DIR);
      vic.page.screenshot(
          new Page.ScreenshotOptions().setPath(Artifacts.DIR.resolve("screen-share-vic.png")));

      PictureQuality.Report r =
          PictureQuality.measureCanvases(
              Map.of(vic, Map.of("sam's screen", screen + " canvas")), MEASURE);
      String report = "screen share: " + r.summary() + "\nworst samples:" + r.worst(5) + "\n";
      System.out.print(report);
      Files.writeString(Path.of("target", "picture-quality-screen.txt"), report);
      assertTrue(r.samples().size() >= 10, "too few samples: " + report);
      assertEquals(0, r.corrupted(), report);
      assertEquals(0, r.backwards(), report);

      // the shared tab goes away: the track ends, and with it the share, for everyone
      content.close();
      waitUntil(
          "sam's share ended",
          Duration.ofSeconds(10),
          () -> "false".equals(sam.page.getAttribute("#toggle-screen", "aria-pressed")));
      waitUntil(
          "vic's screen tile went",
          Duration.ofSeconds(10),
          () -> vic.page.locator(screen).count() == 0);
      assertEquals("grid", vic.page.evaluate("document.getElementById('tiles').dataset.layout"));
    } finally {
      Artifacts.save("screen-share", people);
      people.forEach(Participant::close);
    }
  }
}
