package dev.videocall.types.webtransport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.videocall.types.wire.PacketDeframer;
import dev.videocall.types.wire.WireFormatException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebTransportFramingTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void varintsMatchTheExamplesOfRfc9000() {
    // RFC 9000, appendix A.1
    assertEquals(151288809941952652L, QuicVarint.read(hex("c2197c5eff14e88c"), 0, 8));
    assertEquals(494878333L, QuicVarint.read(hex("9d7f3e7d"), 0, 4));
    assertEquals(15293, QuicVarint.read(hex("7bbd"), 0, 2));
    assertEquals(37, QuicVarint.read(hex("25"), 0, 1));
    assertEquals(37, QuicVarint.read(hex("4025"), 0, 2), "non-minimal encodings decode too");
    assertArrayEquals(hex("c2197c5eff14e88c"), QuicVarint.encode(151288809941952652L));
    assertArrayEquals(hex("9d7f3e7d"), QuicVarint.encode(494878333L));
    assertArrayEquals(hex("7bbd"), QuicVarint.encode(15293));
    assertArrayEquals(hex("25"), QuicVarint.encode(37));
  }

  @Test
  void varintBoundariesAndIncompleteInput() {
    long[] values = {0, 63, 64, 16383, 16384, (1L << 30) - 1, 1L << 30, QuicVarint.MAX};
    int[] sizes = {1, 1, 2, 2, 4, 4, 8, 8};
    for (int i = 0; i < values.length; i++) {
      byte[] b = QuicVarint.encode(values[i]);
      assertEquals(sizes[i], b.length, "size of " + values[i]);
      assertEquals(values[i], QuicVarint.read(b, 0, b.length));
      assertEquals(-1, QuicVarint.read(b, 0, b.length - 1), "incomplete " + values[i]);
    }
    assertThrows(IllegalArgumentException.class, () -> QuicVarint.encode(QuicVarint.MAX + 1));
    assertThrows(IllegalArgumentException.class, () -> QuicVarint.encode(-1));
  }

  @Test
  void streamHeadersAndDatagramPrefixes() {
    // 0x54 and 0x41 are above 63, so as varints they take two bytes: 40 54, 40 41
    assertArrayEquals(hex("405400"), WebTransportProtocol.uniStreamHeader(0));
    assertArrayEquals(hex("405404"), WebTransportProtocol.uniStreamHeader(4));
    assertArrayEquals(hex("4041" + "08"), WebTransportProtocol.bidiStreamHeader(8));
    assertArrayEquals(hex("00"), WebTransportProtocol.datagramPrefix(0));
    assertArrayEquals(hex("01"), WebTransportProtocol.datagramPrefix(4));
    assertEquals(400, WebTransportProtocol.sessionOfDatagram(100));
    assertThrows(IllegalArgumentException.class, () -> WebTransportProtocol.datagramPrefix(3));
  }

  @Test
  void closeCapsuleRoundTripsThroughAReaderFedByteByByte() {
    Capsule close = Capsule.closeSession(4000, "no packet received for 10000 ms");
    byte[] wire = close.encode();
    assertArrayEquals(hex("6843"), java.util.Arrays.copyOf(wire, 2), "type 0x2843 as a varint");
    Capsule.Reader reader = new Capsule.Reader(2048);
    Capsule got = null;
    for (byte b : wire) {
      assertNull(got, "no capsule before its last byte");
      reader.feed(new byte[] {b}, 0, 1);
      got = reader.next();
    }
    assertEquals(4000, got.closeErrorCode());
    assertEquals("no packet received for 10000 ms", got.closeReason());
    assertNull(reader.next());
    String longReason = "x".repeat(2000);
    assertEquals(1024, Capsule.closeSession(1, longReason).closeReason().length());
  }

  @Test
  void capsuleReaderRefusesOversizedCapsules() {
    Capsule.Reader reader = new Capsule.Reader(100);
    // type (2 bytes) and length (2 bytes) are enough to refuse it; the payload never arrives
    reader.feed(new Capsule(0x2843, new byte[101]).encode(), 0, 4);
    assertThrows(IllegalStateException.class, reader::next);
  }

  @Test
  void deframerSplitsPacketsWhateverTheChunking() {
    Random random = new Random(7);
    List<byte[]> packets = new ArrayList<>();
    java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 200; i++) {
      byte[] p = new byte[random.nextInt(3) == 0 ? random.nextInt(70) : random.nextInt(40_000)];
      random.nextBytes(p);
      packets.add(p);
      stream.writeBytes(PacketDeframer.frame(p));
    }
    byte[] all = stream.toByteArray();
    PacketDeframer deframer = new PacketDeframer(1 << 20);
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < all.length; ) {
      int n = Math.min(all.length - at, 1 + random.nextInt(5000));
      deframer.feed(all, at, n);
      at += n;
      for (byte[] p = deframer.next(); p != null; p = deframer.next()) {
        out.add(p);
      }
    }
    assertEquals(packets.size(), out.size());
    for (int i = 0; i < packets.size(); i++) {
      assertArrayEquals(packets.get(i), out.get(i), "packet " + i);
    }
    assertEquals(0, deframer.buffered());
  }

  @Test
  void deframerRefusesAnOversizedDeclarationBeforeBufferingIt() {
    PacketDeframer deframer = new PacketDeframer(1000);
    deframer.feed(QuicVarint.encode(1001), 0, 2);
    WireFormatException e = assertThrows(WireFormatException.class, deframer::next);
    assertEquals("packet of 1001 bytes exceeds the limit of 1000", e.getMessage());
  }

  @Test
  void uniStreamReaderTakesTheSessionIdThenPacketsAcrossAnyChunking() {
    byte[] header = QuicVarint.encode(16384); // a session id that needs 4 bytes
    byte[] a = PacketDeframer.frame(new byte[] {1, 2, 3});
    byte[] b = PacketDeframer.frame(new byte[300]);
    byte[] stream = new byte[header.length + a.length + b.length];
    System.arraycopy(header, 0, stream, 0, header.length);
    System.arraycopy(a, 0, stream, header.length, a.length);
    System.arraycopy(b, 0, stream, header.length + a.length, b.length);
    UniStreamReader reader = new UniStreamReader(1000);
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < stream.length; i++) {
      packets.addAll(reader.feed(stream, i, 1));
      if (i < 3) {
        assertEquals(-1, reader.sessionId());
      }
    }
    assertEquals(16384, reader.sessionId());
    assertEquals(2, packets.size());
    assertArrayEquals(new byte[] {1, 2, 3}, packets.get(0));
    assertEquals(300, packets.get(1).length);
  }
}
