package dev.videocall.server.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC address-validation tokens (Retry) that only this process can make: expiry, an HMAC-SHA256
 * over the expiry, the client's address and the original destination connection id, then that id.
 * Netty's {@code InsecureQuicTokenHandler} writes the address in clear with a fixed prefix, so
 * anyone can forge a token for any address and skip the address check.
 */
final class SignedQuicTokenHandler implements QuicTokenHandler {
  private static final int EXPIRY_BYTES = 8;
  private static final int MAC_BYTES = 16;
  private static final int HEADER = EXPIRY_BYTES + MAC_BYTES;
  private static final int MAX_CID = 20;
  static final Duration LIFETIME = Duration.ofSeconds(30);

  private final byte[] key = new byte[32];

  SignedQuicTokenHandler() {
    new SecureRandom().nextBytes(key);
  }

  @Override
  public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
    byte[] cid = new byte[dcid.readableBytes()];
    dcid.getBytes(dcid.readerIndex(), cid);
    long expiry = System.currentTimeMillis() + LIFETIME.toMillis();
    out.writeLong(expiry);
    out.writeBytes(mac(expiry, address, cid));
    out.writeBytes(cid);
    return true;
  }

  @Override
  public int validateToken(ByteBuf token, InetSocketAddress address) {
    int length = token.readableBytes();
    if (length <= HEADER || length > HEADER + MAX_CID) {
      return -1;
    }
    int at = token.readerIndex();
    long expiry = token.getLong(at);
    long now = System.currentTimeMillis();
    if (expiry < now || expiry > now + LIFETIME.toMillis()) {
      return -1;
    }
    byte[] given = new byte[MAC_BYTES];
    token.getBytes(at + EXPIRY_BYTES, given);
    byte[] cid = new byte[length - HEADER];
    token.getBytes(at + HEADER, cid);
    return MessageDigest.isEqual(given, mac(expiry, address, cid)) ? HEADER : -1;
  }

  @Override
  public int maxTokenLength() {
    return HEADER + MAX_CID;
  }

  private byte[] mac(long expiry, InetSocketAddress address, byte[] cid) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (int i = 7; i >= 0; i--) {
        mac.update((byte) (expiry >>> (8 * i)));
      }
      mac.update(address.getAddress().getAddress());
      mac.update(cid);
      byte[] full = mac.doFinal();
      byte[] out = new byte[MAC_BYTES];
      System.arraycopy(full, 0, out, 0, MAC_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
