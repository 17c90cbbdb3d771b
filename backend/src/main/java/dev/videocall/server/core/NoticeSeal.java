package dev.videocall.server.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals server notices for the bus: HMAC-SHA256 under a key derived from the instances' shared
 * token key, then the notice. A NATS client that is not a server (any client the NATS server lets
 * publish) cannot make a notice that removes people or ends meetings.
 */
public final class NoticeSeal {
  private static final int MAC_BYTES = 32;
  private final SecretKeySpec key;

  /** {@code sharedKey}: the key that signs tokens, shared by every instance. */
  public NoticeSeal(byte[] sharedKey) {
    // a key of its own (domain separation): a notice MAC is never a valid token signature
    this.key =
        new SecretKeySpec(mac(new SecretKeySpec(sharedKey, "HmacSHA256"), LABEL), "HmacSHA256");
  }

  private static final byte[] LABEL =
      "videocall server notices v1".getBytes(StandardCharsets.UTF_8);

  public byte[] seal(byte[] notice) {
    byte[] tag = mac(key, notice);
    byte[] out = Arrays.copyOf(tag, MAC_BYTES + notice.length);
    System.arraycopy(notice, 0, out, MAC_BYTES, notice.length);
    return out;
  }

  /** The notice, or null when the seal does not match. */
  public byte[] open(byte[] sealed) {
    if (sealed == null || sealed.length < MAC_BYTES) {
      return null;
    }
    byte[] notice = Arrays.copyOfRange(sealed, MAC_BYTES, sealed.length);
    byte[] expected = mac(key, notice);
    return MessageDigest.isEqual(expected, Arrays.copyOf(sealed, MAC_BYTES)) ? notice : null;
  }

  private static byte[] mac(SecretKeySpec key, byte[] data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
