package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Meetings with hosts in the browser, with identity on (the server's default): the creator hosts; a
 * guest waits until the host lets them in (the host sees the knock within a second, the guest is in
 * within a second of Admit); a denied guest is told; two guests with one name are two people; a
 * stranger with someone's id in the link evicts nobody; the host asks to mute and removes (the
 * removed cannot come back); a locked meeting refuses newcomers; "End meeting for everyone" ends
 * every page. Screenshots of each state at 1280x800 and the guest's and host's at 390x844.
 */
class HostsE2ETest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void hostsLetPeopleInModerateAndEndTheMeeting() throws Exception {
    List<BrowserContext> contexts = new ArrayList<>();
    try (ServerProcess server =
            ServerProcess.start("hosts", "--auth", "guest", "--api-requests-per-second", "500");
        Chromium chromium = Chromium.launch()) {
      String base = "http://localhost:" + server.httpPort;

      // the host starts a meeting from the home page
      Page hana = Screens.open(chromium, contexts, 1280, 800);
      Screens.Shots hanaShots = new Screens.Shots(hana, "hosts-host");
      hana.navigate(base + "/");
      hana.waitForSelector("html[data-state=ready]");
      hana.fill("#home-name", "Hana");
      hana.click("#home-new");
      hana.waitForURL(u -> u.contains("/meeting/"));
      String meeting = hana.url().substring(hana.url().lastIndexOf('/') + 1);
      join(hana);
      hana.waitForSelector("html[data-state=connected][data-host=true]");

      // a guest asks; the host sees it within a second
      Page sam = Screens.open(chromium, contexts, 1280, 800);
      Screens.Shots samShots = new Screens.Shots(sam, "hosts-guest");
      sam.navigate(base + "/meeting/" + meeting);
      sam.waitForSelector("html[data-state=ready]");
      sam.fill("#join-name", "Sam");
      // both pages share one browser and one clock: time from the click to what the other sees
      sam.evaluate(CLICKED_AT, "#connect");
      hana.evaluate(SHOWN_AT, "#waiting-card");
      sam.click("#connect");
      hana.waitForSelector("#waiting-card [data-waiting]");
      long seenMs = elapsed(sam, hana);
      sam.waitForSelector("html[data-state=waiting]");
      assertTrue(sam.isVisible("#waiting"), "Asking to join…");
      assertTrue(hana.textContent("#waiting-card").contains("Sam wants to join"));
      assertTrue(seenMs < 1000, "the host saw the knock after " + seenMs + " ms");
      samShots.take("1-waiting");
      hanaShots.take("1-someone-waits");
      phone(sam, samShots, "1-waiting");
      phone(hana, hanaShots, "1-someone-waits");
      Screens.assertFits(sam, "#join button");
      Screens.assertFits(hana, "#waiting-card button");

      hana.evaluate(CLICKED_AT, "#waiting-card button[aria-label='Admit Sam']");
      sam.evaluate(
          "() => new MutationObserver((m, o) => {"
              + " if (document.documentElement.dataset.state === 'connected') {"
              + " window.vcShownAt = Date.now(); o.disconnect(); } })"
              + ".observe(document.documentElement, {attributes: true})");
      hana.click("#waiting-card button[aria-label='Admit Sam']");
      sam.waitForSelector("html[data-state=connected]");
      long inMs = elapsed(hana, sam);
      assertTrue(inMs < 1000, "the guest was in " + inMs + " ms after Admit");
      String samId = sam.getAttribute("html", "data-user");
      hana.waitForSelector("[data-peer-id='" + samId + "']");
      waitUntil("the card goes", SECOND.multipliedBy(3), () -> !hana.isVisible("#waiting-card"));
      System.out.printf(
          "knock seen by the host after %d ms; guest in %d ms after Admit%n", seenMs, inMs);

      // denied
      Page rex = guest(chromium, contexts, base, meeting, "Rex");
      hana.waitForSelector("#waiting-card button[aria-label='Deny Rex']").click();
      rex.waitForSelector("html[data-state=rejected]");
      assertTrue(rex.textContent("#left").contains("was declined"));
      assertTrue(rex.isHidden("#rejoin"));
      new Screens.Shots(rex, "hosts-denied").take("1");
      rex.context().close(); // done: fewer pages for the 2 cores (a renderer crashed once)

      // two people named Sam; a stranger whose link carries Sam's id evicts nobody
      Page sam2 = guest(chromium, contexts, base, meeting, "Sam");
      Page stranger = Screens.open(chromium, contexts, 1280, 800);
      stranger.navigate(base + "/meeting/" + samId + "/" + meeting);
      stranger.waitForSelector("html[data-state=ready]");
      assertEquals("", stranger.inputValue("#join-name"), "an id is not offered as a name");
      stranger.fill("#join-name", "Mallory");
      stranger.click("#connect");
      stranger.waitForSelector("html[data-state=waiting]");
      hana.waitForSelector("#waiting-card[data-waiting-count='2']");
      hanaShots.take("2-two-wait");
      hana.click("#admit-all");
      sam2.waitForSelector("html[data-state=connected]");
      stranger.waitForSelector("html[data-state=connected]");
      String sam2Id = sam2.getAttribute("html", "data-user");
      String strangerId = stranger.getAttribute("html", "data-user");
      assertNotEquals(samId, sam2Id);
      assertNotEquals(samId, strangerId, "a link cannot choose someone's id");
      hana.waitForSelector("[data-peer-id='" + sam2Id + "']");
      hana.waitForSelector("[data-peer-id='" + strangerId + "']");
      Thread.sleep(500);
      assertEquals("connected", sam.getAttribute("html", "data-state"), "Sam is still in");
      assertEquals(1, sam.locator("[data-peer-id='" + sam2Id + "']").count(), "sees the other Sam");

      // the host asks Sam to mute, from the people list
      hana.click("#header-people");
      hana.click("[data-actions-for='" + samId + "']");
      hanaShots.take("3-people-actions");
      phone(hana, hanaShots, "3-people-actions");
      hana.click("[data-actions-menu='" + samId + "'] [data-action=mute]");
      sam.waitForSelector("#toggle-mic[data-off=true]");
      waitUntil(
          "Sam is told who muted them",
          SECOND.multipliedBy(3),
          () -> sam.textContent("#toasts").contains("Hana muted you"));
      samShots.take("2-muted");

      // the host removes the other Sam: gone, and cannot come back
      hana.click("[data-actions-for='" + sam2Id + "']");
      hana.click("[data-actions-menu='" + sam2Id + "'] [data-action=remove-ask]");
      hana.click("[data-actions-menu='" + sam2Id + "'] [data-action=remove]");
      sam2.waitForSelector("html[data-state=removed]");
      new Screens.Shots(sam2, "hosts-removed").take("1");
      waitUntil(
          "the host no longer sees them",
          SECOND.multipliedBy(3),
          () -> hana.locator("[data-peer-id='" + sam2Id + "']").count() == 0);
      sam2.reload();
      sam2.waitForSelector("html[data-state=ready]");
      sam2.click("#connect");
      sam2.waitForSelector("html[data-state=removed]");
      assertEquals(0, hana.locator("[data-peer-id='" + sam2Id + "']").count());
      sam2.context().close();

      // locked: nobody new
      hana.click("label:has(#host-lock)");
      Page late = Screens.open(chromium, contexts, 1280, 800);
      late.navigate(base + "/meeting/" + meeting);
      late.waitForSelector("html[data-state=ready]");
      late.fill("#join-name", "Late");
      late.click("#connect");
      late.waitForSelector("html[data-state=locked]");
      new Screens.Shots(late, "hosts-locked").take("1");
      late.context().close();

      // the host leaves by ending the meeting for everyone
      hana.click("#leave");
      hana.waitForSelector("#leave-dialog:not([hidden])");
      hanaShots.take("4-leave-or-end");
      hana.click("#leave-end");
      for (Page p : List.of(hana, sam, stranger)) {
        p.waitForSelector("html[data-state=ended]");
      }
      assertTrue(sam.textContent("#left").contains("ended"));
      samShots.take("3-ended");
      sam.reload();
      sam.waitForSelector("html[data-state=ready]");
      sam.click("#connect");
      sam.waitForSelector("html[data-state=ended]");
      assertTrue(server.metric("videocall_api_not_host_total") == 0, "the page asked only as host");
    } finally {
      for (BrowserContext c : contexts) {
        try {
          c.close();
        } catch (com.microsoft.playwright.PlaywrightException e) {
          // closed already, when its part was done
        }
      }
    }
  }

  /** Notes when the element is clicked (capture phase: before the page's own handler). */
  private static final String CLICKED_AT =
      "sel => document.querySelector(sel).addEventListener('click',"
          + " () => { window.vcClickedAt = Date.now(); }, {capture: true})";

  /** Notes when the element stops being hidden. */
  private static final String SHOWN_AT =
      "sel => { const e = document.querySelector(sel);"
          + " new MutationObserver((m, o) => { if (!e.hidden) {"
          + " window.vcShownAt = Date.now(); o.disconnect(); } })"
          + ".observe(e, {attributes: true}); }";

  /** From a click in one page to what the other page showed, in ms. */
  private static long elapsed(Page clicked, Page shown) {
    return ((Number) shown.evaluate("window.vcShownAt")).longValue()
        - ((Number) clicked.evaluate("window.vcClickedAt")).longValue();
  }

  private static void join(Page p) {
    p.waitForSelector("html[data-state=ready]");
    p.click("#connect");
  }

  /** A guest who asks to join under {@code name} (waiting). */
  private static Page guest(
      Chromium chromium, List<BrowserContext> contexts, String base, String meeting, String name) {
    Page p = Screens.open(chromium, contexts, 1280, 800);
    p.navigate(base + "/meeting/" + meeting);
    p.waitForSelector("html[data-state=ready]");
    p.fill("#join-name", name);
    p.click("#connect");
    p.waitForSelector("html[data-state=waiting]");
    return p;
  }

  /** The same state at a phone's size, then back. */
  private static void phone(Page p, Screens.Shots shots, String state) throws Exception {
    p.setViewportSize(390, 844);
    Thread.sleep(300);
    new Screens.Shots(p, shots.prefix() + "-390x844").take(state);
    p.setViewportSize(1280, 800);
    Thread.sleep(200);
  }
}
