package dev.videocall.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void acceptsTheDocumentedAlphabet() {
    assertTrue(Ids.isValid("alice"));
    assertTrue(Ids.isValid("A.b_c-9"));
    assertTrue(Ids.isValid("x".repeat(64)));
  }

  @Test
  void rejectsEverythingElse() {
    assertFalse(Ids.isValid(null));
    assertFalse(Ids.isValid(""));
    assertFalse(Ids.isValid("x".repeat(65)));
    assertFalse(Ids.isValid("a b"));
    assertFalse(Ids.isValid("a*"));
    assertFalse(Ids.isValid("a>"));
    assertFalse(Ids.isValid("é"));
    assertFalse(Ids.isValid("a/b"));
  }

  @Test
  void errorNamesWhatWasWrong() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ids.require("meeting id", "a b"));
    assertEquals(
        "meeting id must match [A-Za-z0-9._-]{1,64}, got 'a b' (3 characters)", e.getMessage());
  }

  @Test
  void subjectsFollowTheOriginalScheme() {
    assertEquals("room.m1.alice", Subjects.publish("m1", "alice"));
    assertEquals("room.m1.*", Subjects.meeting("m1"));
  }

  @Test
  void dotsInIdsCannotCrossMeetings() {
    // meeting "m" + user "1.alice" must not land under meeting "m.1"'s wildcard
    String published = Subjects.publish("m", "1.alice");
    assertEquals("room.m.1~alice", published);
    assertEquals("room.m~1.*", Subjects.meeting("m.1"));
  }
}
