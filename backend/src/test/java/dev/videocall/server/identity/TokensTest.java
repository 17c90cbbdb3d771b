package dev.videocall.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private final Instant t0 = Instant.parse("2026-12-01T10:00:00Z");

  private Tokens at(Instant now, byte[] key) {
    return new Tokens(
        key, Duration.ofDays(30), Duration.ofSeconds(60), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void identitiesAndRoomTokensRoundTrip() throws Exception {
    Tokens t = at(t0, KEY);
    Tokens.Identity id = t.verifyIdentity(t.identity(new Tokens.Identity("g-1", "Zoë 山田")));
    assertEquals(new Tokens.Identity("g-1", "Zoë 山田"), id);
    Tokens.Room r = t.verifyRoom(t.room(new Tokens.Room("g-1", "Zoë", "team", true)));
    assertEquals(new Tokens.Room("g-1", "Zoë", "team", true), r);
  }

  @Test
  void anExpiredTokenIs401AndAForgedOne403() {
    String room = at(t0, KEY).room(new Tokens.Room("g-1", "A", "m", false));
    Tokens.Invalid expired =
        assertThrows(Tokens.Invalid.class, () -> at(t0.plusSeconds(66), KEY).verifyRoom(room));
    assertEquals(401, expired.status());
    assertEquals("TOKEN_EXPIRED", expired.code());

    byte[] other = "ffffffffffffffffffffffffffffffff".getBytes(StandardCharsets.UTF_8);
    Tokens.Invalid forged =
        assertThrows(Tokens.Invalid.class, () -> at(t0, other).verifyRoom(room));
    assertEquals(403, forged.status());

    // the payload changed (another meeting), the signature kept
    String[] parts = room.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"mtg\":\"m\"", "\"mtg\":\"x\"");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertEquals(
        403, assertThrows(Tokens.Invalid.class, () -> at(t0, KEY).verifyRoom(tampered)).status());

    // alg none
    String none =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[1]
            + ".";
    assertEquals(
        403, assertThrows(Tokens.Invalid.class, () -> at(t0, KEY).verifyRoom(none)).status());
    assertEquals(
        401, assertThrows(Tokens.Invalid.class, () -> at(t0, KEY).verifyRoom(null)).status());
    assertEquals(
        403,
        assertThrows(Tokens.Invalid.class, () -> at(t0, KEY).verifyRoom("x".repeat(6000)))
            .status());
  }

  @Test
  void anIdentityIsNoRoomTokenAndTheOtherWayRound() {
    Tokens t = at(t0, KEY);
    String identity = t.identity(new Tokens.Identity("g-1", "A"));
    String room = t.room(new Tokens.Room("g-1", "A", "m", true));
    assertEquals(403, assertThrows(Tokens.Invalid.class, () -> t.verifyRoom(identity)).status());
    assertEquals(403, assertThrows(Tokens.Invalid.class, () -> t.verifyIdentity(room)).status());
  }

  @Test
  void theKeyFileIsCreatedOnceReadableByItsOwnerOnlyAndKept(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/jwt.key");
    byte[] first = Tokens.loadKey(null, file);
    assertEquals(32, first.length);
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        Base64.getEncoder().encodeToString(first),
        Base64.getEncoder().encodeToString(Tokens.loadKey(null, file)));
    Files.writeString(file, "c2hvcnQ=");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tokens.loadKey(null, file));
    assertTrue(e.getMessage().contains("at least 32"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tokens.loadKey("not base64!", file));
  }
}
