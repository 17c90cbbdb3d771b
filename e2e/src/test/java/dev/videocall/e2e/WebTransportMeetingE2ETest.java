package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Route;
import dev.videocall.testkit.Ports;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transport choice in the meeting page: mixed meetings and the fallback to WebSocket. */
class WebTransportMeetingE2ETest {
  private static ServerProcess server;
  private static Chromium chromium;
  private final List<Participant> participants = new ArrayList<>();
  private String scenario;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start("transport-e2e");
    chromium = Chromium.launch();
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
  void saveArtifacts() {
    Artifacts.save(scenario, participants);
    participants.forEach(Participant::close);
  }

  private Participant participant(String user) {
    Participant p = new Participant(chromium.browser, user);
    participants.add(p);
    return p;
  }

  private static String transport(Participant p) {
    return p.page.locator("html").getAttribute("data-transport");
  }

  @Test
  void aWebTransportAndAWebSocketParticipantShareAMeeting() {
    scenario = "wt-mixed";
    Participant alice = participant("alice").open(server.meetingUrl("alice", "mixed")).connect();
    Participant bob =
        participant("bob")
            .open(server.meetingUrl("bob", "mixed") + "?transport=websocket")
            .connect();
    assertEquals("webtransport", transport(alice));
    assertEquals("websocket", transport(bob));
    for (Participant[] pair : new Participant[][] {{alice, bob}, {bob, alice}}) {
      Participant viewer = pair[0];
      String peer = pair[1].user;
      waitUntil(
          viewer.user + " decodes " + peer,
          Duration.ofSeconds(10),
          () -> viewer.framesDecoded(peer) >= 5);
      assertTrue(viewer.canvasStats(peer).looksLikeAPicture(), viewer.user + " sees " + peer);
      waitUntil(
          viewer.user + " hears " + peer,
          Duration.ofSeconds(10),
          () -> viewer.audioFramesDecoded(peer) >= 10);
    }
  }

  @Test
  void withTheWebTransportPortUnreachableThePageFallsBackWithinThreeSeconds() throws Exception {
    scenario = "wt-fallback";
    int deadPort = Ports.free(); // nothing listens there on UDP
    Participant alice = participant("alice");
    alice.page.route(
        "**/api/webtransport",
        route -> {
          String body = route.fetch().text();
          route.fulfill(
              new Route.FulfillOptions()
                  .setStatus(200)
                  .setContentType("application/json")
                  .setBody(body.replaceAll("https://([^\\\"]+):[0-9]+", "https://$1:" + deadPort)));
        });
    alice.open(server.meetingUrl("alice", "fallback"));
    alice.watch("connected", "document.documentElement.getAttribute('data-state') === 'connected'");
    long clicked = alice.clickAt("Join now");
    waitUntil(
        "alice connects somehow",
        Duration.ofSeconds(10),
        () -> alice.observedAt("connected") != null);
    long ms = alice.observedAt("connected") - clicked;
    Artifacts.appendReport("fallback-to-websocket-connected-ms (page clock): " + ms);
    assertEquals("websocket", transport(alice));
    assertTrue(ms <= 3000, "fell back after " + ms + " ms");

    Participant bob = participant("bob").open(server.meetingUrl("bob", "fallback")).connect();
    assertEquals("webtransport", transport(bob));
    waitUntil("alice sees bob", Duration.ofSeconds(10), () -> alice.framesDecoded("bob") >= 5);
    waitUntil("bob sees alice", Duration.ofSeconds(10), () -> bob.framesDecoded("alice") >= 5);
  }
}
