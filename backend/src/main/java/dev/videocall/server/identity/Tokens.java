package dev.videocall.server.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.videocall.types.DisplayNames;
import dev.videocall.types.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * Signed identities (HS256 JWTs, nimbus-jose-jwt): an <em>identity token</em> says who a browser or
 * CLI is (a server-made subject and a display name; long-lived, kept by the client) and a <em>room
 * token</em> lets that subject into one meeting, with its role (short-lived, checked when a media
 * connection opens). One key signs both; instances sharing meetings share the key.
 */
public final class Tokens {
  /** The key's length: HS256 wants 256 bits at least. */
  static final int KEY_BYTES = 32;

  private static final String ISSUER = "videocall";
  private static final String TYPE = "typ";
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  /** Who someone is. */
  public record Identity(String subject, String name) {}

  /** Someone let into a meeting. */
  public record Room(String subject, String name, String meetingId, boolean host) {}

  /** A token that does not admit: HTTP 401 when it expired or is missing, else 403. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    Invalid(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }
  }

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Duration identityTtl;
  private final Duration roomTtl;
  private final Clock clock;

  public Tokens(byte[] key, Duration identityTtl, Duration roomTtl, Clock clock) {
    if (key.length < KEY_BYTES) {
      throw new IllegalArgumentException(
          "the token key must have at least " + KEY_BYTES + " bytes, has " + key.length);
    }
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable token key: " + e.getMessage(), e);
    }
    this.identityTtl = identityTtl;
    this.roomTtl = roomTtl;
    this.clock = clock;
  }

  public Duration roomTtl() {
    return roomTtl;
  }

  /** A new guest: a subject nobody else has, with the name they gave. */
  public static String newGuestSubject() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "g-" + java.util.HexFormat.of().formatHex(b);
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  public String identity(Identity who) {
    return sign(base(who.subject(), who.name(), identityTtl).claim(TYPE, "identity").build());
  }

  public String room(Room r) {
    return sign(
        base(r.subject(), r.name(), roomTtl)
            .claim(TYPE, "room")
            .claim("mtg", r.meetingId())
            .claim("host", r.host())
            .build());
  }

  public Identity verifyIdentity(String token) throws Invalid {
    JWTClaimsSet c = verify(token, "identity");
    return new Identity(c.getSubject(), name(c));
  }

  public Room verifyRoom(String token) throws Invalid {
    JWTClaimsSet c = verify(token, "room");
    Object meeting = c.getClaim("mtg");
    Object host = c.getClaim("host");
    if (!(meeting instanceof String m) || !Ids.isValid(m) || !(host instanceof Boolean h)) {
      throw new Invalid(403, "TOKEN_INVALID", "the token names no meeting");
    }
    return new Room(c.getSubject(), name(c), m, h);
  }

  private JWTClaimsSet.Builder base(String subject, String name, Duration ttl) {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(Ids.require("subject", subject))
        .claim("name", DisplayNames.require(name))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString());
  }

  private String sign(JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  private JWTClaimsSet verify(String token, String type) throws Invalid {
    if (token == null || token.isBlank()) {
      throw new Invalid(401, "TOKEN_MISSING", "a token is needed");
    }
    if (token.length() > 4096) {
      throw new Invalid(403, "TOKEN_INVALID", "the token is too long");
    }
    JWTClaimsSet c;
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        throw new Invalid(403, "TOKEN_INVALID", "the token's signature is not this server's");
      }
      c = jwt.getJWTClaimsSet();
    } catch (ParseException | JOSEException | IllegalStateException e) {
      throw new Invalid(403, "TOKEN_INVALID", "the token is not a token of this server");
    }
    if (!ISSUER.equals(c.getIssuer()) || !type.equals(c.getClaim(TYPE))) {
      throw new Invalid(403, "TOKEN_INVALID", "this is not " + article(type) + " token");
    }
    if (!Ids.isValid(c.getSubject())) {
      throw new Invalid(403, "TOKEN_INVALID", "the token names no valid subject");
    }
    Date exp = c.getExpirationTime();
    if (exp == null || exp.toInstant().plus(CLOCK_SKEW).isBefore(clock.instant())) {
      throw new Invalid(401, "TOKEN_EXPIRED", "the token has expired");
    }
    return c;
  }

  private static String article(String type) {
    return ("identity".equals(type) ? "an " : "a ") + type;
  }

  private static String name(JWTClaimsSet c) throws Invalid {
    Object n = c.getClaim("name");
    if (!(n instanceof String s) || !DisplayNames.isValid(s)) {
      throw new Invalid(403, "TOKEN_INVALID", "the token's name is not valid");
    }
    return s;
  }

  /**
   * The signing key: {@code base64Key} when given, else the file (created with a new random key,
   * readable by its owner only, when it does not exist yet).
   */
  public static byte[] loadKey(String base64Key, Path file) {
    if (base64Key != null) {
      byte[] key;
      try {
        key = Base64.getDecoder().decode(base64Key.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--jwt-key is not base64: " + e.getMessage(), e);
      }
      if (key.length < KEY_BYTES) {
        throw new IllegalArgumentException(
            "--jwt-key must be at least " + KEY_BYTES + " bytes (base64 of 32 random bytes)");
      }
      return key;
    }
    try {
      if (Files.exists(file)) {
        byte[] key = Base64.getDecoder().decode(Files.readString(file).trim());
        if (key.length < KEY_BYTES) {
          throw new IllegalArgumentException(
              file + " holds a key of " + key.length + " bytes; at least " + KEY_BYTES);
        }
        return key;
      }
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      byte[] key = new byte[KEY_BYTES];
      RANDOM.nextBytes(key);
      Path tmp = Files.createTempFile(dir, "jwt", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's permissions have to do
      }
      Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n");
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return key;
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot read or create the token key " + file + ": " + e.getMessage(), e);
    }
  }
}
