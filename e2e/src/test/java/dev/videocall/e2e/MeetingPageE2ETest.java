package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The meeting page as people use it ("The meeting page" issue): the home page, the pre-join screen,
 * the meeting's layout at desktop and phone sizes with 1, 3 and 9 people, and everything one does
 * in a meeting. Screenshots of every state land in e2e/target/e2e-artifacts.
 */
class MeetingPageE2ETest {
  private static ServerProcess server;
  private static Chromium chromium;
  private final List<Person> people = new ArrayList<>();
  private String scenario;

  /** A person in a context of their own, with a viewport size. */
  static final class Person {
    final String name;
    final BrowserContext context;
    final Page page;

    Person(String name, int width, int height) {
      this.name = name;
      this.context =
          chromium.browser.newContext(
              new Browser.NewContextOptions()
                  .setViewportSize(width, height)
                  .setPermissions(
                      List.of("camera", "microphone", "clipboard-read", "clipboard-write")));
      this.page = context.newPage();
      page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
      page.onPageError(e -> console.add("pageerror: " + e));
    }

    final List<String> console = java.util.Collections.synchronizedList(new ArrayList<>());

    String attr(String selector, String name) {
      return page.locator(selector).first().getAttribute(name);
    }

    Object js(String script) {
      return page.evaluate(script);
    }

    void key(String key) {
      page.keyboard().press(key);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start("meeting-page");
    // two fake cameras and microphones, to switch between them; microphones that talk
    java.nio.file.Path talk =
        TestAudio.talkAndPause(java.nio.file.Path.of("target/talk-and-pause.wav"), 2500, 1500);
    chromium =
        Chromium.launch(
            List.of(
                "--use-fake-device-for-media-stream=device-count=2",
                "--use-file-for-fake-audio-capture=" + talk.toAbsolutePath()));
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

  @AfterEach
  void close(TestInfo info) throws java.io.IOException {
    java.nio.file.Files.createDirectories(Artifacts.DIR);
    for (Person p : people) {
      synchronized (p.console) {
        java.nio.file.Files.write(
            Artifacts.DIR.resolve("page-" + scenario + "-" + p.name + "-console.txt"), p.console);
      }
    }
    people.forEach(p -> p.context.close());
  }

  private Person person(String name, int width, int height) {
    Person p = new Person(name, width, height);
    people.add(p);
    return p;
  }

  private String base() {
    return "http://localhost:" + server.httpPort;
  }

  private void shot(Person p, String state) {
    try {
      java.nio.file.Files.createDirectories(Artifacts.DIR);
      p.page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(
                  Artifacts.DIR.resolve("page-" + scenario + "-" + state + "-" + p.name + ".png")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Home page → name → meeting → pre-join → Join, as a person would. */
  private Person joinFromHome(
      String name, String meeting, int width, int height, boolean cameraOff) {
    Person p = person(name, width, height);
    p.page.navigate(base() + "/");
    p.page.waitForSelector("html[data-state=ready]");
    p.page.fill("#home-name", name);
    p.page.fill("#home-meeting", meeting);
    p.page.click("#home-join");
    p.page.waitForURL("**/meeting/" + meeting);
    p.page.waitForSelector("html[data-state=ready]");
    if (cameraOff) {
      p.page.click("#join-toggle-camera");
      p.page.click("#join-toggle-mic");
    }
    p.page.click("#connect");
    p.page.waitForSelector("html[data-state=connected]");
    return p;
  }

  private static long tiles(Person p, String selector) {
    return p.page.locator(selector).count();
  }

  /** Every visible control and tile lies inside the viewport. */
  private static void assertEverythingFits(Person p) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> outside =
        (List<Map<String, Object>>)
            p.js(
                "(() => { const W = innerWidth, H = innerHeight, out = [];"
                    + " for (const e of document.querySelectorAll('#controls button, #tiles > div')) {"
                    + "  if (e.offsetParent === null) continue; const r = e.getBoundingClientRect();"
                    + "  if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1"
                    + "      || r.width < 1) out.push({id: e.id || e.dataset.peerId || 'tile',"
                    + "   l: r.left, t: r.top, r: r.right, b: r.bottom}); }"
                    + " const c = document.querySelectorAll('#controls button');"
                    + " for (const b of c) { if (b.offsetParent === null) continue;"
                    + "  const r = b.getBoundingClientRect();"
                    + "  if (r.width < 44 || r.height < 44) out.push({small: b.id, w: r.width}); }"
                    + " return out; })()");
    assertTrue(outside.isEmpty(), "outside the viewport or too small: " + outside);
  }

  @Test
  void theHomePageLeadsToAMeetingAndRemembersTheName() {
    scenario = "home";
    Person ana = person("ana", 1280, 800);
    ana.page.navigate(base() + "/");
    ana.page.waitForSelector("html[data-state=ready]");
    shot(ana, "empty");
    ana.page.click("#home-join");
    assertTrue(ana.page.isVisible("#home-name-error"), "a name is required");
    shot(ana, "name-required");
    ana.page.fill("#home-name", "Ana María 山田");
    ana.page.click("#home-new");
    ana.page.waitForURL("**/meeting/*");
    String meeting = ana.page.url().substring(ana.page.url().lastIndexOf('/') + 1);
    assertTrue(meeting.matches("[a-z0-9]{3}-[a-z0-9]{4}-[a-z0-9]{3}"), "unguessable: " + meeting);
    ana.page.waitForSelector("html[data-state=ready]");
    assertEquals("Ana María 山田", ana.page.inputValue("#join-name"), "the name came along");
    // remembered: the home page knows it next time
    ana.page.navigate(base() + "/");
    ana.page.waitForSelector("html[data-state=ready]");
    assertEquals("Ana María 山田", ana.page.inputValue("#home-name"));
    // a pasted link works as a meeting name
    ana.page.fill("#home-meeting", base() + "/meeting/" + meeting);
    ana.page.click("#home-join");
    ana.page.waitForURL("**/meeting/" + meeting);
  }

  @Test
  void twoPeopleWithTheSameNameAreTwoParticipantsAndTheInviteLinkIsCopied() {
    scenario = "same-name";
    Person first = joinFromHome("Sam", "twins", 1280, 800, false);
    Person second = joinFromHome("Sam", "twins", 1280, 800, false);
    waitUntil(
        "each sees the other",
        Duration.ofSeconds(10),
        () -> tiles(first, "[data-peer-id]") == 1 && tiles(second, "[data-peer-id]") == 1);
    assertNotEquals(
        first.attr("[data-peer-id]", "data-peer-id"),
        second.attr("[data-peer-id]", "data-peer-id"),
        "two server-assigned ids");
    assertEquals("Sam", first.page.locator("[data-peer-id] [data-role=name]").innerText());
    assertEquals("connected", second.js("document.documentElement.dataset.state"));
    first.page.click("#copy-link");
    waitUntil(
        "the invite was copied",
        Duration.ofSeconds(5),
        () -> first.page.locator("[data-toast]").count() > 0);
    assertEquals(base() + "/meeting/twins", first.js("navigator.clipboard.readText()"));
    shot(first, "two-sams");
  }

  @Test
  void thePreJoinScreenShowsTheCameraTheMicrophoneAndTheDevicesAndRemembersChoices() {
    scenario = "prejoin";
    Person p = person("pia", 1280, 800);
    p.page.navigate(base() + "/meeting/prejoin");
    p.page.waitForSelector("html[data-state=ready]");
    p.page.fill("#join-name", "Pia");
    waitUntil(
        "the preview plays",
        Duration.ofSeconds(10),
        () -> (Boolean) p.js("document.getElementById('preview').videoWidth > 0"));
    waitUntil(
        "the microphone meter moves",
        Duration.ofSeconds(10),
        () ->
            !"0%".equals(p.js("document.getElementById('mic-level').style.width"))
                && p.js("document.getElementById('mic-level').style.width") != null
                && !"".equals(p.js("document.getElementById('mic-level').style.width")));
    assertTrue(p.page.locator("#select-camera option").count() >= 2, "two cameras to choose from");
    assertTrue(p.page.locator("#select-mic option").count() >= 1);
    shot(p, "ready");
    // the second camera: the preview's track comes from it
    String second = p.page.locator("#select-camera option").nth(1).getAttribute("value");
    p.page.selectOption("#select-camera", second);
    waitUntil(
        "the preview uses the second camera",
        Duration.ofSeconds(10),
        () ->
            second.equals(
                p.js(
                    "(() => { const t = document.getElementById('preview').srcObject; return t ? t.getVideoTracks()[0].getSettings().deviceId : null; })()")));
    // join with the camera off: remembered on the next visit
    p.page.click("#join-toggle-camera");
    assertEquals("true", p.attr("#join-toggle-camera", "data-off"));
    shot(p, "camera-off");
    p.page.reload();
    p.page.waitForSelector("html[data-state=ready]");
    assertEquals("true", p.attr("#join-toggle-camera", "data-off"), "camera-off remembered");
    assertEquals(second, p.page.inputValue("#select-camera"), "the camera choice remembered");
    p.page.click("#connect");
    assertTrue(p.page.isVisible("#join-name-error"), "a name is needed (kept once one joins)");
    p.page.fill("#join-name", "Pia");
    p.page.click("#connect");
    p.page.waitForSelector("html[data-state=connected]");
    assertEquals("true", p.attr("#self-tile", "data-camera-off"));
    assertEquals(
        0L,
        ((Number)
                p.js(
                    "document.querySelectorAll('video').length === 0 ? 0 : [...document.querySelectorAll('video')].filter(v => v.srcObject && v.srcObject.getVideoTracks().some(t => t.readyState === 'live')).length"))
            .longValue(),
        "no live camera track");
  }

  @Test
  void layoutFitsDesktopAndPhoneWithOneThreeAndNinePeople() {
    scenario = "layout";
    // {width, height, most people}: 1, 3 and 9 at the two sizes people use most; the smallest
    // phone and a 4K screen with 1 and 3. One meeting: the watcher's window takes each size in
    // turn, as a turned phone or a resized window does (the others' sizes change nothing in what
    // the watcher sees; a meeting per size cost 15 joins more)
    int[][] sizes = {{1280, 800, 9}, {390, 844, 9}, {360, 640, 3}, {3840, 2160, 3}};
    String meeting = "fit";
    Person watcher = joinFromHome("Host", meeting, 1280, 800, true);
    for (int n = 1; n <= 9; n++) {
      if (n > 1) {
        joinFromHome("Guest " + n, meeting, 1280, 800, true);
      }
      if (n == 1 || n == 3 || n == 9) {
        int people = n;
        if (n > 1) {
          waitUntil(
              n + " tiles", Duration.ofSeconds(15), () -> tiles(watcher, "#tiles > div") == people);
        }
        for (int[] size : sizes) {
          if (n <= size[2]) {
            watcher.page.setViewportSize(size[0], size[1]);
            watcher.page.waitForTimeout(400); // the tiles slide into place
            assertEverythingFits(watcher);
            shot(watcher, size[0] + "x" + size[1] + "-" + n);
          }
        }
        watcher.page.setViewportSize(1280, 800);
      }
    }
  }

  @Test
  void inTheMeetingEverythingIsThereAndReachableByKeyboard() {
    scenario = "meeting";
    Person ann = joinFromHome("Ann", "everything", 1280, 800, false);
    assertTrue(ann.page.isVisible("#alone"), "alone: the invitation card");
    assertFalse(ann.page.isVisible("#connection-status"), "connected: no status pill");
    Person ben = joinFromHome("Ben", "everything", 1280, 800, false);
    waitUntil(
        "ann sees ben's video",
        Duration.ofSeconds(15),
        () -> Long.parseLong(ann.attr("[data-peer-id]", "data-frames-decoded")) > 10);
    // colours as they were: ben's camera background, at ben and at ann (a decoder assuming
    // BT.709 for a BT.601 camera turned this green from 135 to 77)
    String sent =
        (String)
            ben.js(
                "(() => { const v = document.querySelector('#self-tile video');"
                    + " const c = new OffscreenCanvas(v.videoWidth, v.videoHeight);"
                    + " const x = c.getContext('2d'); x.drawImage(v, 0, 0);"
                    + " return Array.from(x.getImageData(Math.floor(c.width * 0.05),"
                    + "  Math.floor(c.height * 0.05), 1, 1).data.slice(0, 3)).join(','); })()");
    String received =
        (String)
            ann.js(
                "(() => { const c = document.querySelector('[data-peer-id] canvas');"
                    + " return Array.from(c.getContext('2d').getImageData(Math.floor(c.width * 0.05),"
                    + "  Math.floor(c.height * 0.05), 1, 1).data.slice(0, 3)).join(','); })()");
    String[] a = sent.split(",");
    String[] b = received.split(",");
    for (int i = 0; i < 3; i++) {
      assertTrue(
          Math.abs(Integer.parseInt(a[i]) - Integer.parseInt(b[i])) <= 8,
          "colour sent " + sent + ", received " + received);
    }
    // toasts and timer
    assertTrue(
        ann.page.locator("[data-toast]").allInnerTexts().stream()
            .anyMatch(t -> t.contains("Ben joined")));
    String t0 = ann.page.innerText("#call-timer");
    // a once-a-second tick: on a loaded machine it may come late, so wait for it, not 1.1 s
    waitUntil(
        "the call timer runs",
        Duration.ofSeconds(4),
        () -> !t0.equals(ann.page.innerText("#call-timer")));
    // every control has an accessible name and a tooltip
    @SuppressWarnings("unchecked")
    List<String> unnamed =
        (List<String>)
            ann.js(
                "[...document.querySelectorAll('button')].filter(b => b.offsetParent !== null && (!b.getAttribute('aria-label') && !b.textContent.trim() || !b.title && !b.textContent.trim())).map(b => b.id)");
    assertTrue(unnamed.isEmpty(), "buttons without a name or tooltip: " + unnamed);
    // the speaking ring (the fake microphones beep) and quality icons
    waitUntil(
        "ben is shown speaking",
        Duration.ofSeconds(10),
        () -> "true".equals(ann.attr("[data-peer-id]", "data-speaking")));
    waitUntil(
        "a quality icon",
        Duration.ofSeconds(5),
        () -> ann.attr("[data-peer-id]", "data-quality") != null);
    // mute by keyboard: ann's own tile and ben's view of ann both say so
    ann.key("m");
    assertEquals("true", ann.attr("#self-tile", "data-mic-muted"));
    waitUntil(
        "ben sees ann muted",
        Duration.ofSeconds(5),
        () -> "true".equals(ben.attr("[data-peer-id]", "data-mic-muted")));
    // camera off releases the camera; on takes it again
    ann.key("v");
    assertEquals("true", ann.attr("#self-tile", "data-camera-off"));
    assertEquals(
        "ended",
        ann.js(
            "document.querySelector('#self-tile video').srcObject.getVideoTracks()[0].readyState"));
    waitUntil(
        "ben sees ann's camera off",
        Duration.ofSeconds(5),
        () -> "true".equals(ben.attr("[data-peer-id]", "data-camera-off")));
    shot(ann, "muted-camera-off");
    ann.key("v");
    waitUntil(
        "ann's camera is back",
        Duration.ofSeconds(10),
        () ->
            "live"
                .equals(
                    ann.js(
                        "document.querySelector('#self-tile video').srcObject.getVideoTracks()[0].readyState")));
    long before = Long.parseLong(ben.attr("[data-peer-id]", "data-frames-decoded"));
    waitUntil(
        "ben sees ann's video again",
        Duration.ofSeconds(10),
        () -> Long.parseLong(ben.attr("[data-peer-id]", "data-frames-decoded")) > before + 10);
    // switching camera during the call, without rejoining
    ann.key("m");
    // raise hand, react, chat
    ann.key("h");
    waitUntil(
        "ben sees ann's hand",
        Duration.ofSeconds(5),
        () -> "true".equals(ben.attr("[data-peer-id]", "data-hand-raised")));
    assertTrue(
        ben.page.locator("[data-toast]").allInnerTexts().stream()
            .anyMatch(t -> t.contains("Ann raised a hand")));
    ann.page.click("#toggle-reactions");
    ann.page.click("[data-reaction='🎉']");
    waitUntil(
        "ben sees the reaction",
        Duration.ofSeconds(5),
        () -> ben.page.locator("[data-reaction-shown='🎉']").count() > 0);
    shot(ben, "hand-and-reaction");
    assertFalse(ann.page.isVisible("#alone"), "not alone any more");
    ann.key("c");
    ann.page.fill("#chat-input", "<img src=x onerror=alert(1)> hello");
    ann.page.press("#chat-input", "Enter");
    // while typing, letters are letters; Escape gives the keys back to the shortcuts
    ann.page.focus("#chat-input");
    ann.key("p");
    assertEquals("p", ann.page.inputValue("#chat-input"));
    assertFalse(ann.page.isVisible("#people-panel"), "p in the chat box is a letter");
    ann.page.fill("#chat-input", "");
    ann.key("Escape");
    ann.key("c");
    assertFalse(ann.page.isVisible("#side-panel"), "after Escape, c closes the chat");
    waitUntil(
        "ben has an unread message",
        Duration.ofSeconds(5),
        () -> ben.page.isVisible("[data-role=unread]"));
    assertEquals("1", ben.page.innerText("[data-role=unread]"));
    ben.key("c");
    assertFalse(ben.page.isVisible("[data-role=unread]"), "read once the chat is open");
    ben.key("Escape"); // out of the chat box
    assertEquals(0, ben.page.locator("#chat-messages img").count(), "shown as text, not markup");
    assertTrue(ben.page.innerText("#chat-messages").contains("<img src=x onerror=alert(1)> hello"));
    shot(ben, "chat");
    // the people panel lists both, raised hand first
    ben.key("p");
    assertEquals(2, ben.page.locator("[data-participant]").count());
    assertTrue(ben.page.locator("[data-participant]").first().innerText().contains("Ann"));
    shot(ben, "people");
    // pin and speaker view
    ben.page
        .locator("[data-peer-id] [data-role=pin]")
        .click(new com.microsoft.playwright.Locator.ClickOptions().setForce(true));
    assertEquals("true", ben.attr("[data-peer-id]", "data-pinned"));
    // pinned: shown large at once, as in Meet and Jitsi
    assertEquals("speaker", ben.js("document.getElementById('tiles').dataset.layout"));
    shot(ben, "speaker-pinned");
    // the layout button says "Grid view" now, and going back to the grid unpins
    assertEquals("Grid view", ben.page.getAttribute("#toggle-layout", "aria-label"));
    ben.key("l");
    assertEquals("grid", ben.js("document.getElementById('tiles').dataset.layout"));
    assertEquals("false", ben.attr("[data-peer-id]", "data-pinned"));
    ben.key("l");
    assertEquals("speaker", ben.js("document.getElementById('tiles').dataset.layout"));
    // connection details: per peer, the picture received (its size; its layer when several)
    ben.key("d");
    assertTrue(ben.page.isVisible("#diagnostics"));
    waitUntil(
        "the details list ann with her picture's size",
        Duration.ofSeconds(5),
        () -> {
          String row = ben.page.innerText("#diagnostics-rows");
          return row.contains("Ann") && row.contains("640×360");
        });
    assertTrue(
        ben.page.getAttribute("[data-peer-id] [data-role=quality]", "title").contains("640×360"),
        "the quality icon's title says the picture too");
    shot(ben, "diagnostics");
    ben.key("d");
    // help
    ben.key("?");
    assertTrue(ben.page.isVisible("#help"));
    assertTrue(ben.page.innerText("#help-keys").contains("Mute or unmute"));
    ben.key("Escape");
    assertFalse(ben.page.isVisible("#help"), "Escape closes the help");
    assertTrue(ben.page.isVisible("#side-panel"));
    ben.key("Escape");
    assertFalse(ben.page.isVisible("#side-panel"), "then the panel");
    // leave: a "you left" screen, the camera stays off, rejoin works
    ann.key("X");
    ann.page.waitForSelector("html[data-state=left]");
    assertTrue(ann.page.isVisible("text=You left the meeting"));
    ann.page.waitForTimeout(1000);
    assertEquals(
        0L,
        ((Number)
                ann.js(
                    "[...document.querySelectorAll('video')].filter(v => v.srcObject && v.srcObject.getTracks().some(t => t.readyState === 'live')).length"))
            .longValue(),
        "nothing captures after leaving");
    shot(ann, "left");
    waitUntil("ben sees ann leave", Duration.ofSeconds(5), () -> tiles(ben, "[data-peer-id]") == 0);
    ann.page.click("#rejoin");
    ann.page.waitForSelector("html[data-state=connected]");
    waitUntil(
        "ben sees ann again", Duration.ofSeconds(10), () -> tiles(ben, "[data-peer-id]") == 1);
  }

  @Test
  void theCameraCanBeSwitchedDuringTheCall() {
    scenario = "switch";
    Person cy = joinFromHome("Cy", "switching", 1280, 800, false);
    Person dee = joinFromHome("Dee", "switching", 1280, 800, false);
    waitUntil(
        "dee sees cy",
        Duration.ofSeconds(15),
        () -> Long.parseLong(dee.attr("[data-peer-id]", "data-frames-decoded")) > 5);
    String before =
        (String)
            cy.js("document.querySelector('#self-tile video').srcObject.getVideoTracks()[0].label");
    cy.page.click("#open-settings");
    String other = cy.page.locator("#settings-camera option").nth(1).getAttribute("value");
    if (other.equals(cy.page.inputValue("#settings-camera"))) {
      other = cy.page.locator("#settings-camera option").nth(0).getAttribute("value");
    }
    cy.page.selectOption("#settings-camera", other);
    waitUntil(
        "cy's own tile shows the other camera",
        Duration.ofSeconds(10),
        () ->
            !before.equals(
                cy.js(
                    "document.querySelector('#self-tile video').srcObject.getVideoTracks()[0].label")));
    long frames = Long.parseLong(dee.attr("[data-peer-id]", "data-frames-decoded"));
    waitUntil(
        "dee keeps seeing cy",
        Duration.ofSeconds(10),
        () -> Long.parseLong(dee.attr("[data-peer-id]", "data-frames-decoded")) > frames + 10);
    assertEquals("connected", cy.js("document.documentElement.dataset.state"), "no rejoin");
  }

  /**
   * A participant whose page freezes (a laptop lid closed, a dead network) stops sending
   * heartbeats: the others see "Reconnecting…" on their tile within seconds, and the tile goes when
   * the server gives up on the session (its heartbeat timeout), with a notice.
   */
  @Test
  void aParticipantWhoGoesSilentIsShownReconnectingThenLeaves() {
    scenario = "silent";
    Person eve = joinFromHome("Eve", "silence", 1280, 800, false);
    Person fay = joinFromHome("Fay", "silence", 1280, 800, false);
    waitUntil(
        "eve sees fay",
        Duration.ofSeconds(15),
        () -> Long.parseLong(eve.attr("[data-peer-id]", "data-frames-decoded")) > 5);
    assertEquals("false", eve.attr("[data-peer-id]", "data-stale"));
    // freeze fay's page: no script runs, so no heartbeat and no media leave it
    com.microsoft.playwright.CDPSession cdp = fay.context.newCDPSession(fay.page);
    cdp.send("Debugger.enable");
    cdp.send("Debugger.pause");
    waitUntil(
        "eve sees fay reconnecting",
        Duration.ofSeconds(8),
        () -> "true".equals(eve.attr("[data-peer-id]", "data-stale")));
    assertTrue(eve.page.isVisible("[data-peer-id] [data-role=stale]"));
    shot(eve, "reconnecting");
    waitUntil(
        "the server gives up on fay and eve's tile goes",
        Duration.ofSeconds(20),
        () -> tiles(eve, "[data-peer-id]") == 0);
    assertTrue(
        eve.page.locator("[data-toast]").allInnerTexts().stream()
            .anyMatch(t -> t.contains("Fay left")));
    cdp.send("Debugger.resume");
    waitUntil(
        "fay's page comes back by itself",
        Duration.ofSeconds(20),
        () ->
            tiles(eve, "[data-peer-id]") == 1
                && "false".equals(eve.attr("[data-peer-id]", "data-stale")));
  }
}
