package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The meeting page in real Chromium (fake camera and microphone) against the server jar. */
class MeetingE2ETest {
  private static ServerProcess server;
  private static Chromium chromium;
  private final List<Participant> participants = new ArrayList<>();
  private String scenario;

  @BeforeAll
  static void startServerAndBrowser() throws Exception {
    server = ServerProcess.start("meeting-e2e");
    chromium = Chromium.launch();
  }

  @AfterAll
  static void stopServerAndBrowser() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void saveArtifacts(TestInfo info) {
    Artifacts.save(scenario == null ? info.getDisplayName() : scenario, participants);
    participants.forEach(Participant::close);
  }

  private Participant join(String user, String meeting) {
    return join(user, meeting, "");
  }

  private Participant join(String user, String meeting, String query) {
    Participant p = new Participant(chromium.browser, user);
    participants.add(p);
    return p.open(server.meetingUrl(user, meeting) + query).connect();
  }

  /** The peer's canvas shows a real, changing picture and its counters grow. */
  private static void assertSeesLiveVideo(Participant viewer, String peer) {
    waitUntil(
        viewer.user + " decodes video from " + peer,
        Duration.ofSeconds(10),
        () -> viewer.framesDecoded(peer) >= 5);
    Participant.CanvasStats first = viewer.canvasStats(peer);
    long framesBefore = viewer.framesDecoded(peer);
    assertTrue(
        first.looksLikeAPicture(), viewer.user + " sees a blank canvas of " + peer + ": " + first);
    waitUntil(
        viewer.user + "'s picture of " + peer + " changes",
        Duration.ofSeconds(5),
        () -> !viewer.canvasStats(peer).signature().equals(first.signature()));
    assertTrue(viewer.canvasStats(peer).looksLikeAPicture());
    waitUntil(
        viewer.user + "'s decoded frame count of " + peer + " grows",
        Duration.ofSeconds(5),
        () -> viewer.framesDecoded(peer) > framesBefore + 10);
  }

  private static void assertHearsAudio(Participant listener, String peer) {
    waitUntil(
        listener.user + " decodes audio from " + peer,
        Duration.ofSeconds(10),
        () -> listener.audioFramesDecoded(peer) >= 10);
    long before = listener.audioFramesDecoded(peer);
    waitUntil(
        listener.user + "'s decoded audio count of " + peer + " grows",
        Duration.ofSeconds(5),
        () -> listener.audioFramesDecoded(peer) > before + 20);
  }

  @Test
  void a_twoParticipantsSeeAndHearEachOther() {
    scenario = "a-two-participants";
    Participant alice = join("alice", "a-demo");
    Participant bob = new Participant(chromium.browser, "bob");
    participants.add(bob);
    bob.open(server.meetingUrl("bob", "a-demo"));
    long clicked = System.nanoTime();
    bob.connect();
    waitUntil(
        "bob's first frame of alice",
        Duration.ofSeconds(10),
        () -> bob.framesDecoded("alice") >= 1);
    long connectToFirstFrameMs = (System.nanoTime() - clicked) / 1_000_000;
    String inPage =
        bob.console.stream()
            .filter(l -> l.contains("first frame from alice decoded"))
            .findFirst()
            .orElse("?");
    Artifacts.appendReport(
        "connect-to-first-remote-frame (websocket): test clock "
            + connectToFirstFrameMs
            + " ms (includes 50 ms polling); page: "
            + inPage);

    assertSeesLiveVideo(alice, "bob");
    assertSeesLiveVideo(bob, "alice");
    assertHearsAudio(alice, "bob");
    assertHearsAudio(bob, "alice");
    assertEquals("websocket", alice.page.locator("html").getAttribute("data-transport"));

    alice.click("Diagnostics");
    waitUntil(
        "alice's diagnostics panel reports bob's frame rate",
        Duration.ofSeconds(3),
        () -> {
          var cells = alice.page.locator("[data-diagnostics-peer=bob] td");
          return cells.count() == 4 && Integer.parseInt(cells.nth(1).innerText()) > 0;
        });
  }

  @Test
  void b_whenOneOfThreeLeavesItsTileDisappearsWithinThreeSeconds() {
    scenario = "b-three-one-leaves";
    Participant alice = join("alice", "b-demo");
    Participant bob = join("bob", "b-demo");
    Participant carol = join("carol", "b-demo");
    for (Participant p : List.of(alice, bob, carol)) {
      for (String other : List.of("alice", "bob", "carol")) {
        if (!other.equals(p.user)) {
          waitUntil(
              p.user + " sees " + other, Duration.ofSeconds(10), () -> p.framesDecoded(other) >= 3);
        }
      }
    }
    carol.click("Leave");
    long left = System.nanoTime();
    for (Participant p : List.of(alice, bob)) {
      waitUntil(
          p.user + " no longer shows carol",
          Duration.ofSeconds(3),
          () -> p.tile("carol").count() == 0);
    }
    Artifacts.appendReport(
        "tile-removed-after-leave-ms: " + (System.nanoTime() - left) / 1_000_000);
    assertTrue(alice.tile("bob").count() == 1 && bob.tile("alice").count() == 1);
  }

  @Test
  void c_cameraOffAndMuteShowOnTheRemoteTileAndVideoComesBack() {
    scenario = "c-camera-and-mic-state";
    Participant alice = join("alice", "c-demo");
    Participant bob = join("bob", "c-demo");
    waitUntil("bob sees alice", Duration.ofSeconds(10), () -> bob.framesDecoded("alice") >= 5);

    alice.click("Stop video");
    alice.click("Mute");
    waitUntil(
        "bob's tile of alice says camera off and muted",
        Duration.ofSeconds(2),
        () ->
            "true".equals(bob.tileAttribute("alice", "data-camera-off"))
                && "true".equals(bob.tileAttribute("alice", "data-mic-muted")));
    assertTrue(bob.tile("alice").locator("[data-role=placeholder]").isVisible());
    long framesWhileOff = bob.framesDecoded("alice");
    sleep(1000);
    assertTrue(
        bob.framesDecoded("alice") <= framesWhileOff + 2, "no video while the camera is off");

    alice.click("Start video");
    alice.click("Unmute");
    waitUntil(
        "bob's tile of alice shows video again",
        Duration.ofSeconds(5),
        () ->
            "false".equals(bob.tileAttribute("alice", "data-camera-off"))
                && bob.framesDecoded("alice") > framesWhileOff + 10);
    assertEquals("false", bob.tileAttribute("alice", "data-mic-muted"));
    assertTrue(bob.canvasStats("alice").looksLikeAPicture());
  }

  @Test
  void d_twoMeetingsOnOneServerNeverSeeEachOther() {
    scenario = "d-two-meetings";
    Participant alice = join("alice", "d-one");
    Participant bob = join("bob", "d-one");
    // the second meeting runs VP9, so this also proves the codec choice end to end
    Participant carol = join("carol", "d-two", "?codec=vp9");
    Participant dave = join("dave", "d-two", "?codec=vp9");
    waitUntil("alice sees bob", Duration.ofSeconds(10), () -> alice.framesDecoded("bob") >= 5);
    waitUntil("carol sees dave", Duration.ofSeconds(10), () -> carol.framesDecoded("dave") >= 5);
    assertTrue(carol.canvasStats("dave").looksLikeAPicture(), "VP9 decodes to a real picture");
    sleep(1000);
    for (Participant p : List.of(alice, bob)) {
      assertEquals(0, p.page.locator("[data-peer-id=carol], [data-peer-id=dave]").count(), p.user);
    }
    for (Participant p : List.of(carol, dave)) {
      assertEquals(0, p.page.locator("[data-peer-id=alice], [data-peer-id=bob]").count(), p.user);
    }
    assertEquals(1, alice.page.locator("[data-peer-id]").count());
  }

  @Test
  void e_aLateJoinerSeesVideoWithinTwoSeconds() {
    scenario = "e-late-joiner";
    Participant alice = join("alice", "e-demo");
    Participant bob = join("bob", "e-demo");
    waitUntil("bob sees alice", Duration.ofSeconds(10), () -> bob.framesDecoded("alice") >= 5);
    sleep(1500); // alice is now mid keyframe interval: bob's stream alone would not help a newcomer
    Participant carol = new Participant(chromium.browser, "carol");
    participants.add(carol);
    carol.open(server.meetingUrl("carol", "e-demo"));
    carol.connect();
    long connected = System.nanoTime();
    waitUntil(
        "carol decodes alice and bob",
        Duration.ofSeconds(2),
        () -> carol.framesDecoded("alice") >= 1 && carol.framesDecoded("bob") >= 1);
    Artifacts.appendReport(
        "late-joiner-first-frame-ms: " + (System.nanoTime() - connected) / 1_000_000);
    assertTrue(carol.canvasStats("alice").looksLikeAPicture());
    assertNotEquals(0, carol.framesDecoded("bob"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
