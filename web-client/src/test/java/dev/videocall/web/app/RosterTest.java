package dev.videocall.web.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RosterTest {
  private final List<String> events = new ArrayList<>();
  private final Roster roster =
      new Roster(
          new Roster.Listener() {
            @Override
            public void joined(Roster.Person p, boolean announced) {
              events.add((announced ? "joined " : "present ") + p.name);
            }

            @Override
            public void left(Roster.Person p, String why) {
              events.add("left " + p.name + (why.isEmpty() ? "" : " (" + why + ")"));
            }

            @Override
            public void changed(Roster.Person p) {
              events.add("changed " + p.name);
            }
          });

  @Test
  void twoPeopleWithTheSameNameAreTwoPeople() {
    roster.add("u1", 1, "Sam", 0, false);
    roster.add("u2", 2, "Sam", 0, true);
    assertEquals(2, roster.size());
    assertEquals(List.of("present Sam", "joined Sam"), events);
  }

  @Test
  void aNewSessionOfTheSameUserReplacesTheOldOne() {
    roster.add("u1", 1, "Ana", 0, false);
    roster.add("u1", 2, "Ana", 10, true);
    assertEquals(1, roster.size());
    assertEquals(2, roster.people().get(0).sessionId);
    assertEquals(List.of("present Ana", "left Ana (reconnected)", "joined Ana"), events);
  }

  @Test
  void mediaAfterALeaveDoesNotBringSomeoneBack() {
    roster.add("u1", 1, "Ana", 0, false);
    roster.remove(1, "bye");
    assertNull(roster.from("u1", 1, 50), "a straggler frame from the session that left");
    assertEquals(0, roster.size());
    assertTrue(roster.from("u1", 3, 60) != null, "a new session of the same user is welcome");
  }

  @Test
  void heartbeatsChangeStateOnlyWhenItDiffers() {
    Roster.Person p = roster.add("u1", 1, "Ana", 0, false);
    roster.state(p, "Ana", true, true, false, false);
    roster.state(p, "Ana", false, true, false, true);
    assertEquals(List.of("present Ana", "changed Ana"), events);
    assertTrue(p.handRaised && !p.cameraOn);
  }

  @Test
  void someoneUnheardForThreeHeartbeatsIsSilentUntilTheyAreHeardAgain() {
    Roster.Person p = roster.add("u1", 1, "Ana", 1000, false);
    assertFalse(p.silent(1000 + Roster.SILENT_MS), "just joined");
    assertTrue(p.silent(1001 + Roster.SILENT_MS), "nothing heard since joining");
    roster.from("u1", 1, 5000);
    assertFalse(p.silent(5000 + Roster.SILENT_MS), "a heartbeat arrived");
    assertTrue(p.silent(5001 + Roster.SILENT_MS));
  }
}
