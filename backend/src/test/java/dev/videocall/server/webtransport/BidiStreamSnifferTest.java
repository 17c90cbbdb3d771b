package dev.videocall.server.webtransport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.videocall.types.webtransport.WebTransportProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The sniffer ahead of HTTP/3 on client bidirectional streams, with Netty's EmbeddedChannel: a
 * WebTransport stream (signal 0x41) goes to the packet reader without its signal; anything else
 * reaches the HTTP/3 codec byte for byte, however it is split. Fuzzed (hardening issue).
 */
class BidiStreamSnifferTest {
  /** Collects what reaches a handler. */
  static final class Sink extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      byte[] copy = new byte[b.readableBytes()];
      b.readBytes(copy);
      b.release();
      bytes.writeBytes(copy);
    }
  }

  private static byte[] feed(byte[] stream, int chunk, Sink http3, Sink packets) {
    EmbeddedChannel ch = new EmbeddedChannel(new BidiStreamSniffer(() -> packets), http3);
    for (int at = 0; at < stream.length; at += chunk) {
      int n = Math.min(chunk, stream.length - at);
      ch.writeInbound(Unpooled.copiedBuffer(stream, at, n));
    }
    ch.finishAndReleaseAll();
    return stream;
  }

  @Test
  void aWebTransportStreamGoesToThePacketReaderWithoutItsSignal() {
    byte[] header = WebTransportProtocol.bidiStreamHeader(4);
    byte[] stream = new byte[header.length + 3];
    System.arraycopy(header, 0, stream, 0, header.length);
    stream[header.length] = 7;
    Sink http3 = new Sink();
    Sink packets = new Sink();
    feed(stream, 1, http3, packets);
    assertEquals(0, http3.bytes.size());
    // the signal 0x41 is a two-byte varint; the session id and the rest follow
    byte[] expected = java.util.Arrays.copyOfRange(stream, 2, stream.length);
    assertArrayEquals(expected, packets.bytes.toByteArray());
  }

  @Property
  void anythingElseReachesTheCodecUntouchedAndNothingThrows(
      @ForAll @Size(max = 2000) byte[] stream, @ForAll @IntRange(min = 1, max = 100) int chunk) {
    Sink http3 = new Sink();
    Sink packets = new Sink();
    feed(stream, chunk, http3, packets);
    boolean webTransport =
        stream.length > 0
            && dev.videocall.types.webtransport.QuicVarint.read(stream, 0, stream.length)
                == WebTransportProtocol.BIDI_STREAM_SIGNAL;
    if (!webTransport) {
      // an incomplete first varint is held (at most 8 bytes); everything else is replayed
      byte[] got = http3.bytes.toByteArray();
      assertArrayEquals(java.util.Arrays.copyOf(stream, got.length), got);
      assertEquals(0, packets.bytes.size());
    } else {
      assertEquals(0, http3.bytes.size());
    }
  }
}
