package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.testkit.NatsProcess;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One meeting across two server instances joined by a real nats-server. */
class NatsMeetingE2ETest {
  @Test
  void participantsOnTwoInstancesSeeAndHearEachOther() throws Exception {
    try (NatsProcess nats = new NatsProcess();
        ServerProcess one = ServerProcess.start("nats-one", "--nats-url", nats.url());
        ServerProcess two = ServerProcess.start("nats-two", "--nats-url", nats.url());
        Chromium chromium = Chromium.launch()) {
      List<Participant> participants = new ArrayList<>();
      try {
        seeEachOther(chromium, participants, one, two);
      } finally {
        Artifacts.save("nats-two-instances", participants);
        participants.forEach(Participant::close);
      }
    }
  }

  private static void seeEachOther(
      Chromium chromium, List<Participant> participants, ServerProcess one, ServerProcess two)
      throws Exception {
    Participant alice = new Participant(chromium.browser, "alice");
    participants.add(alice);
    Participant bob = new Participant(chromium.browser, "bob");
    participants.add(bob);
    alice.open(one.meetingUrl("alice", "spanning")).connect();
    bob.open(two.meetingUrl("bob", "spanning")).connect();
    for (Participant[] pair : new Participant[][] {{alice, bob}, {bob, alice}}) {
      Participant viewer = pair[0];
      String peer = pair[1].user;
      waitUntil(
          viewer.user + " decodes " + peer + " from the other instance",
          Duration.ofSeconds(15),
          () -> viewer.framesDecoded(peer) >= 5);
      assertTrue(viewer.canvasStats(peer).looksLikeAPicture(), viewer.user + " sees " + peer);
      waitUntil(
          viewer.user + " hears " + peer,
          Duration.ofSeconds(10),
          () -> viewer.audioFramesDecoded(peer) >= 10);
    }
    assertTrue(one.health().contains("\"ok\""), one.health());
  }
}
