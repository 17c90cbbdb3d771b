package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.videocall.testkit.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every state of the page, as a desktop and as a phone user meets it, with a screenshot of each
 * (target/e2e-artifacts/tour-*.png, for people to look at): home, pre-join, alone, three people,
 * chat, people, speaker view, settings, help or the phone's "More" menu, and "you left". In every
 * state each visible control is inside the window and big enough to touch, and nothing is reached
 * only by a keyboard: the phone does it all by tapping.
 */
class PageTourE2ETest {
  private static Page open(Chromium chromium, List<BrowserContext> contexts, int w, int h) {
    return Screens.open(chromium, contexts, w, h);
  }

  private static void assertFits(Page page, String selector) {
    Screens.assertFits(page, selector);
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"1280, 800", "390, 844"})
  void everyStateFitsAndIsReachable(int width, int height) throws Exception {
    String tag = width + "x" + height;
    boolean phone = width < 640;
    List<BrowserContext> contexts = new ArrayList<>();
    Path talk = TestAudio.talkAndPause(Path.of("target/talk-and-pause.wav"), 2500, 1500);
    try (ServerProcess server = ServerProcess.start("tour-" + tag);
        Chromium chromium =
            Chromium.launch(
                List.of("--use-file-for-fake-audio-capture=" + talk.toAbsolutePath()))) {
      String base = "http://localhost:" + server.httpPort;
      Page zoe = open(chromium, contexts, width, height);
      Screens.Shots shots = new Screens.Shots(zoe, "tour-" + tag);
      zoe.navigate(base + "/");
      zoe.waitForSelector("html[data-state=ready]");
      assertFits(zoe, "#home button, #home input, #home a");
      shots.take("1-home");
      zoe.fill("#home-name", "Zoë Ångström");
      zoe.fill("#home-meeting", "team-sync");
      zoe.click("#home-join");
      zoe.waitForSelector("html[data-state=ready]");
      waitUntil(
          "the preview plays",
          Duration.ofSeconds(10),
          () -> (Boolean) zoe.evaluate("document.getElementById('preview').videoWidth > 0"));
      assertFits(zoe, "#join button, #join select, #join input");
      shots.take("2-prejoin");
      zoe.click("#connect");
      zoe.waitForSelector("html[data-state=connected]");
      assertTrue(zoe.isVisible("#alone"), "the invitation card");
      assertFits(zoe, "#controls button, #alone button, header button");
      shots.take("3-alone");

      Page bob = open(chromium, contexts, width, height);
      bob.navigate(base + "/meeting/bob/team-sync");
      bob.waitForSelector("html[data-state=ready]");
      bob.click("#connect");
      Page carol = open(chromium, contexts, width, height);
      carol.navigate(base + "/meeting/carol/team-sync");
      carol.waitForSelector("html[data-state=ready]");
      carol.click("#connect");
      waitUntil(
          "zoe sees both",
          Duration.ofSeconds(15),
          () -> zoe.locator("[data-peer-id][data-frames-decoded]").count() == 2);
      waitUntil(
          "zoe sees both pictures",
          Duration.ofSeconds(15),
          () ->
              zoe.locator("[data-peer-id] canvas:not([hidden])").count() == 2
                  && !zoe.isVisible("#alone"));
      bob.click(phone ? "#toggle-more" : "#toggle-hand");
      if (phone) {
        bob.click("#more-menu >> text=Raise hand");
      }
      waitUntil(
          "zoe sees bob's hand",
          Duration.ofSeconds(5),
          () -> zoe.locator("[data-peer-id=bob][data-hand-raised=true]").count() == 1);
      zoe.waitForTimeout(500);
      assertFits(zoe, "#controls button, #tiles > div");
      shots.take("4-three");

      carol.click("#toggle-chat");
      carol.fill("#chat-input", "Hello <b>everyone</b> 👋");
      carol.press("#chat-input", "Enter");
      zoe.click("#toggle-chat");
      waitUntil(
          "zoe reads carol",
          Duration.ofSeconds(5),
          () -> zoe.locator("[data-chat-message]").count() == 1);
      assertFits(zoe, "#side-panel button, #chat-form input");
      shots.take("5-chat");

      zoe.click("#tab-people");
      assertEquals(3, zoe.locator("[data-participant]").count());
      assertTrue(
          zoe.locator("[data-participant]").first().innerText().contains("bob"),
          "the raised hand first");
      shots.take("6-people");
      zoe.click("#close-panel");
      assertFalse(zoe.isVisible("#side-panel"));

      if (phone) {
        zoe.click("#toggle-more");
        assertFits(zoe, "#more-menu button");
        shots.take("7-more-menu");
        zoe.click("#more-menu >> text=Speaker view");
      } else {
        zoe.click("#toggle-layout");
      }
      assertEquals("speaker", zoe.evaluate("document.getElementById('tiles').dataset.layout"));
      zoe.waitForTimeout(400);
      assertFits(zoe, "#controls button, #tiles > div:not([hidden])");
      shots.take("8-speaker");

      if (phone) {
        zoe.click("#toggle-more");
        zoe.click("#more-menu >> text=Settings");
      } else {
        zoe.click("#open-settings");
      }
      assertTrue(zoe.isVisible("#settings"));
      assertFits(zoe, "#settings select, #settings button");
      shots.take("9-settings");
      zoe.click("#close-settings");

      if (!phone) {
        zoe.keyboard().press("?");
        assertTrue(zoe.isVisible("#help"));
        assertFits(zoe, "#help button");
        shots.take("10-help");
        zoe.keyboard().press("Escape");
      }

      zoe.click("#leave");
      zoe.waitForSelector("html[data-state=left]");
      assertFits(zoe, "#left button, #left a");
      shots.take("11-left");
      waitUntil(
          "bob sees zoe leave",
          Duration.ofSeconds(5),
          () -> bob.locator("[data-peer-id]").count() == 1);
    } finally {
      for (BrowserContext c : contexts) {
        c.close();
      }
    }
  }
}
