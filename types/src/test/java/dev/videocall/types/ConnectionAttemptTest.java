package dev.videocall.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionAttemptTest {
  @Test
  void readsWhatAPageWrites() {
    ConnectionAttempt a = ConnectionAttempt.parse("k3J9x-12");
    assertEquals("k3J9x", a.page());
    assertEquals(12, a.number());
    assertEquals("k3J9x-12", a.toString());
    assertEquals(a, ConnectionAttempt.parse(a.toString()));
    assertNull(ConnectionAttempt.parse(null), "a client that does not say");
  }

  @Test
  void refusesAnythingElseWithAReason() {
    String longPage = "a".repeat(ConnectionAttempt.MAX_PAGE_CHARS + 1);
    for (String bad :
        new String[] {
          "",
          "-",
          "page",
          "page-",
          "-3",
          "pa ge-1",
          "pa.ge-1",
          "page-1x",
          "page--1",
          "page-+1",
          "page-" + "9".repeat(ConnectionAttempt.MAX_NUMBER_DIGITS + 1),
          longPage + "-1",
          "x".repeat(6000)
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ConnectionAttempt.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("attempt"), e.getMessage());
    }
    assertEquals(999_999_999_999_999L, ConnectionAttempt.parse("p-999999999999999").number());
  }

  @Test
  void onlyAnOlderAttemptOfTheSamePageIsStale() {
    ConnectionAttempt one = new ConnectionAttempt("page", 1);
    ConnectionAttempt two = new ConnectionAttempt("page", 2);
    assertTrue(ConnectionAttempt.stale(one, two));
    assertFalse(ConnectionAttempt.stale(two, one), "a reconnect replaces");
    assertFalse(ConnectionAttempt.stale(two, two));
    assertFalse(ConnectionAttempt.stale(new ConnectionAttempt("tab", 0), two), "another tab");
    assertFalse(ConnectionAttempt.stale(null, two), "a client that does not say");
    assertFalse(ConnectionAttempt.stale(one, null));
  }

  @Test
  void aSessionRemembersTheNewestAttemptOfAFewPages() {
    java.util.List<ConnectionAttempt> earlier =
        java.util.List.of(
            new ConnectionAttempt("a", 2),
            new ConnectionAttempt("b", 1),
            new ConnectionAttempt("a", 5),
            new ConnectionAttempt("c", 1),
            new ConnectionAttempt("d", 1),
            new ConnectionAttempt("e", 1));
    java.util.List<ConnectionAttempt> known =
        ConnectionAttempt.remembered(new ConnectionAttempt("own", 1), earlier);
    assertEquals(ConnectionAttempt.REMEMBERED, known.size());
    assertEquals("own-1", known.get(0).toString());
    assertTrue(known.contains(new ConnectionAttempt("a", 5)), known.toString());
    assertTrue(ConnectionAttempt.staleAgainst(new ConnectionAttempt("a", 4), known));
    assertFalse(ConnectionAttempt.staleAgainst(new ConnectionAttempt("e", 0), known), "forgotten");
    assertEquals(earlier.subList(0, 2), ConnectionAttempt.remembered(null, earlier.subList(0, 2)));
  }
}
