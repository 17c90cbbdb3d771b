package dev.videocall.server.webtransport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Hardening issue, item 12: retry tokens used to be Netty's insecure ones (a fixed prefix and the
 * address in clear: anyone could write one for any address). Ours carry an HMAC.
 */
class SignedQuicTokenHandlerTest {
  private final SignedQuicTokenHandler tokens = new SignedQuicTokenHandler();
  private final InetSocketAddress client = new InetSocketAddress("192.0.2.7", 5000);
  private final ByteBuf dcid = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

  private ByteBuf token(InetSocketAddress address) {
    ByteBuf out = Unpooled.buffer();
    tokens.writeToken(out, dcid, address);
    return out;
  }

  @Test
  void aTokenValidatesForItsAddressOnlyAndPointsAtTheOriginalConnectionId() {
    ByteBuf t = token(client);
    int offset = tokens.validateToken(t, client);
    assertEquals(t.readableBytes() - 8, offset);
    assertEquals(1, t.getByte(offset));
    assertEquals(-1, tokens.validateToken(token(client), new InetSocketAddress("192.0.2.8", 5000)));
  }

  @Test
  void forgedAndTamperedTokensAreRefused() {
    ByteBuf t = token(client);
    t.setByte(12, t.getByte(12) ^ 1); // a bit of the MAC
    assertEquals(-1, tokens.validateToken(t, client));
    ByteBuf netty = Unpooled.buffer();
    netty.writeBytes("netty".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    netty.writeBytes(client.getAddress().getAddress());
    netty.writeBytes(dcid.duplicate());
    assertEquals(-1, tokens.validateToken(netty, client), "Netty's insecure format");
    assertEquals(
        -1, new SignedQuicTokenHandler().validateToken(token(client), client), "another key");
    assertEquals(-1, tokens.validateToken(Unpooled.buffer(), client));
  }
}
