package dev.videocall.types.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.types.webtransport.Capsule;
import dev.videocall.types.webtransport.QuicVarint;
import dev.videocall.types.webtransport.UniStreamReader;
import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.types.wire.PacketDeframer;
import dev.videocall.types.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the parsers that read bytes a peer controls (hardening issue): whatever arrives, in
 * whatever pieces, nothing but the declared exception escapes and nothing is held beyond the
 * limits. 10,000 cases each in the build; {@code -Djqwik.tries.default=1000000} for the long run.
 */
class StreamParsersFuzzTest {
  private static final int MAX_PACKET = 4096;

  /** Arbitrary bytes, with a bias to the varint prefixes the parsers look at. */
  @Provide
  Arbitrary<byte[]> streams() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(20_000);
    Arbitrary<byte[]> framed =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(3000)
            .list()
            .ofMaxSize(8)
            .map(
                packets -> {
                  List<byte[]> parts = new ArrayList<>();
                  for (byte[] p : packets) {
                    parts.add(PacketDeframer.frame(p));
                  }
                  return concat(parts);
                });
    Arbitrary<byte[]> hugeLength =
        Arbitraries.longs()
            .between(0, QuicVarint.MAX)
            .map(
                n -> {
                  byte[] out = new byte[QuicVarint.size(n) + 10];
                  QuicVarint.write(n, out, 0);
                  return out;
                });
    return Arbitraries.oneOf(random, framed, hugeLength);
  }

  @Property
  void deframerThrowsOnlyWireFormatErrorsAndHoldsABoundedAmount(
      @ForAll("streams") byte[] stream, @ForAll @IntRange(min = 1, max = 5000) int chunk) {
    PacketDeframer d = new PacketDeframer(MAX_PACKET);
    try {
      for (int at = 0; at < stream.length; at += chunk) {
        int n = Math.min(chunk, stream.length - at);
        d.feed(stream, at, n);
        for (byte[] p = d.next(); p != null; p = d.next()) {
          assertTrue(p.length <= MAX_PACKET);
        }
        assertTrue(d.retained() <= 2 * (MAX_PACKET + 8 + chunk) + 1024, "retained " + d.retained());
      }
    } catch (WireFormatException expected) {
      // the declared refusal
    }
  }

  @Property
  void packetsSurviveAnySplitIntact(
      @ForAll @Size(max = 6) List<@Size(max = 3000) byte[]> packets,
      @ForAll @IntRange(min = 1, max = 4000) int chunk) {
    byte[] stream =
        concat(
            packets.stream()
                .map(PacketDeframer::frame)
                .collect(java.util.stream.Collectors.toList()));
    PacketDeframer d = new PacketDeframer(MAX_PACKET);
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < stream.length; at += chunk) {
      d.feed(stream, at, Math.min(chunk, stream.length - at));
      for (byte[] p = d.next(); p != null; p = d.next()) {
        out.add(p);
      }
    }
    assertEquals(packets.size(), out.size());
    for (int i = 0; i < out.size(); i++) {
      assertArrayEquals(packets.get(i), out.get(i));
    }
  }

  @Property
  void uniStreamReaderThrowsOnlyWireFormatErrors(
      @ForAll("streams") byte[] body,
      @ForAll @IntRange(min = 0, max = 1 << 20) int sessionId,
      @ForAll @IntRange(min = 1, max = 5000) int chunk) {
    byte[] stream = concat(List.of(QuicVarintBytes.of(sessionId), body));
    UniStreamReader r = new UniStreamReader(MAX_PACKET);
    try {
      for (int at = 0; at < stream.length; at += chunk) {
        for (byte[] p : r.feed(stream, at, Math.min(chunk, stream.length - at))) {
          assertTrue(p.length <= MAX_PACKET);
        }
        assertTrue(r.retained() <= 4 * (MAX_PACKET + 8 + chunk) + 2048);
      }
      if (stream.length > 8) {
        assertEquals(sessionId, r.sessionId());
      }
    } catch (WireFormatException expected) {
      // the declared refusal
    }
  }

  @Property
  void capsuleReaderThrowsOnlyItsLimitError(
      @ForAll("streams") byte[] stream, @ForAll @IntRange(min = 1, max = 5000) int chunk) {
    Capsule.Reader r = new Capsule.Reader(4096);
    try {
      for (int at = 0; at < stream.length; at += chunk) {
        r.feed(stream, at, Math.min(chunk, stream.length - at));
        for (Capsule c = r.next(); c != null; c = r.next()) {
          assertTrue(c.payload().length <= 4096);
          if (c.type() == WebTransportProtocol.CAPSULE_CLOSE_SESSION && c.payload().length >= 4) {
            c.closeErrorCode();
            c.closeReason();
          }
        }
      }
    } catch (IllegalStateException expected) {
      // a capsule over the limit
    }
  }

  private static byte[] concat(List<byte[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static final class QuicVarintBytes {
    static byte[] of(long n) {
      byte[] out = new byte[QuicVarint.size(n)];
      QuicVarint.write(n, out, 0);
      return out;
    }
  }
}
