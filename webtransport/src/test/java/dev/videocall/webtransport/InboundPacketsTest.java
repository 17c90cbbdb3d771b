package dev.videocall.webtransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.types.webtransport.QuicVarint;
import dev.videocall.types.wire.PacketDeframer;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading client streams and datagrams with Netty's EmbeddedChannel. */
class InboundPacketsTest {
  /** Records what the reader hands on, and holds a byte budget like a connection does. */
  static final class Recorder implements InboundPackets.Listener {
    final List<String> packets = new ArrayList<>();
    long held;
    long maxHeld;
    long budget = Long.MAX_VALUE;
    long acceptedSession = 4;
    String oversized;

    @Override
    public boolean accepts(long sessionId) {
      return sessionId == acceptedSession;
    }

    @Override
    public boolean onPacket(long sessionId, byte[] packet) {
      packets.add(sessionId + ":" + new String(packet, java.nio.charset.StandardCharsets.UTF_8));
      return true;
    }

    @Override
    public void onOversized(long sessionId, String reason) {
      oversized = reason;
    }

    @Override
    public boolean holding(long delta) {
      held += delta;
      maxHeld = Math.max(maxHeld, held);
      return held <= budget;
    }
  }

  private static byte[] stream(long session, String... packets) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(QuicVarint.encode(session));
    for (String p : packets) {
      out.writeBytes(PacketDeframer.frame(p.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return out.toByteArray();
  }

  @Test
  void twoStreamsArrivingInterleavedEachKeepTheirOrder() {
    Recorder r = new Recorder();
    EmbeddedChannel a = new EmbeddedChannel(new InboundPackets(1 << 20, r));
    EmbeddedChannel b = new EmbeddedChannel(new InboundPackets(1 << 20, r));
    byte[] sa = stream(4, "a1", "a2", "a3");
    byte[] sb = stream(4, "b1", "b2");
    int chunk = 3;
    for (int i = 0; i < Math.max(sa.length, sb.length); i += chunk) {
      if (i < sa.length) {
        a.writeInbound(Unpooled.copiedBuffer(sa, i, Math.min(chunk, sa.length - i)));
      }
      if (i < sb.length) {
        b.writeInbound(Unpooled.copiedBuffer(sb, i, Math.min(chunk, sb.length - i)));
      }
    }
    List<String> fromA = r.packets.stream().filter(p -> p.contains(":a")).toList();
    List<String> fromB = r.packets.stream().filter(p -> p.contains(":b")).toList();
    assertEquals(List.of("4:a1", "4:a2", "4:a3"), fromA);
    assertEquals(List.of("4:b1", "4:b2"), fromB);
    a.close();
    b.close();
    assertEquals(0, r.held, "everything held is given back when the streams end");
  }

  @Test
  void aStreamForAnotherSessionIsClosedBeforeAnyPacketIsKept() {
    Recorder r = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new InboundPackets(1 << 20, r));
    byte[] s = stream(8, "x".repeat(100));
    ch.writeInbound(Unpooled.copiedBuffer(s, 0, 20));
    assertFalse(ch.isOpen(), "closed at its header");
    assertEquals(List.of(), r.packets);
    assertEquals(0, r.held);
  }

  @Test
  void unfinishedPacketsAreAccountedAndTheBudgetClosesTheStream() {
    Recorder r = new Recorder();
    r.budget = 64 * 1024;
    EmbeddedChannel ch = new EmbeddedChannel(new InboundPackets(1 << 20, r));
    byte[] header = QuicVarint.encode(4);
    byte[] length = QuicVarint.encode(1 << 20);
    ch.writeInbound(Unpooled.wrappedBuffer(header, length));
    for (int i = 0; i < 100 && ch.isOpen(); i++) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[4096]));
    }
    assertFalse(ch.isOpen(), "over its budget");
    assertTrue(r.maxHeld > 64 * 1024 && r.maxHeld < 256 * 1024, "held " + r.maxHeld);
    assertEquals(0, r.held);
  }

  @Test
  void aPacketDeclaringMoreThanTheLimitIsRefusedBeforeItIsBuffered() {
    Recorder r = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(new InboundPackets(1000, r));
    ch.writeInbound(Unpooled.wrappedBuffer(QuicVarint.encode(4), QuicVarint.encode(5000)));
    assertFalse(ch.isOpen());
    assertTrue(r.oversized.contains("exceeds the limit of 1000"), r.oversized);
  }

  @Test
  void datagramsCarryTheirSessionAndOnePacket() {
    List<String> got = new ArrayList<>();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new DatagramReader() {
              @Override
              protected void onDatagram(long sessionId, byte[] packet, int offset, int length) {
                got.add(
                    sessionId
                        + ":"
                        + new String(
                            packet, offset, length, java.nio.charset.StandardCharsets.UTF_8));
              }
            });
    ch.writeInbound(
        Unpooled.wrappedBuffer(
            dev.videocall.types.webtransport.WebTransportProtocol.datagramPrefix(8),
            "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x40})); // an incomplete varint
    assertEquals(List.of("8:hello"), got);
  }
}
