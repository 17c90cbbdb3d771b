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
}
