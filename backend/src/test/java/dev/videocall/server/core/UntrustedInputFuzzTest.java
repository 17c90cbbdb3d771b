package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.types.Subjects;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of what the server decodes from clients and from other instances (hardening issue):
 * {@link Ingress} decides something for any bytes, without throwing; {@link PresenceMessage}
 * refuses malformed input only with IllegalArgumentException. Cases are random bytes and mutations
 * of valid messages, so the parsers are reached past their first byte.
 */
class UntrustedInputFuzzTest {
  private final Session alice =
      new Session(
          42,
          "alice",
          "m1",
          "Alice",
          new FakeLink(),
          s -> new Outbox(s.link(), 1 << 20, new Counters(), null));

  @Provide
  Arbitrary<byte[]> packets() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
    Arbitrary<byte[]> valid =
        Combinators.combine(
                Arbitraries.integers().between(0, 25),
                Arbitraries.integers().between(0, 8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.longs().between(0, 100),
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.of("key", "delta", "", "x"))
            .as(
                (type, mediaType, data, target, user, frameType) ->
                    PacketWrapper.newBuilder()
                        .setPacketTypeValue(type)
                        .setUserId(user)
                        .setTargetSessionId(target)
                        .setData(
                            type == 3
                                ? MediaPacket.newBuilder()
                                    .setMediaTypeValue(mediaType)
                                    .setFrameType(frameType)
                                    .setUserId(user)
                                    .setData(ByteString.copyFrom(data))
                                    .setRequestMediaTypeValue(mediaType)
                                    .build()
                                    .toByteString()
                                : ByteString.copyFrom(data))
                        .build()
                        .toByteArray());
    return Arbitraries.oneOf(random, valid, mutated(valid));
  }

  /** Valid bytes with a few flipped, dropped or truncated. */
  private static Arbitrary<byte[]> mutated(Arbitrary<byte[]> valid) {
    return Combinators.combine(
            valid, Arbitraries.integers().between(0, 1 << 16), Arbitraries.integers().between(0, 3))
        .as(
            (bytes, seed, kind) -> {
              if (bytes.length == 0) {
                return bytes;
              }
              java.util.Random r = new java.util.Random(seed);
              byte[] out = bytes.clone();
              switch (kind) {
                case 0 -> out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> out = java.util.Arrays.copyOf(out, r.nextInt(out.length));
                case 2 -> out[r.nextInt(out.length)] = (byte) r.nextInt(256);
                default -> {
                  for (int i = 0; i < 4; i++) {
                    out[r.nextInt(out.length)] = (byte) r.nextInt(256);
                  }
                }
              }
              return out;
            });
  }

  @Property
  void ingressDecidesSomethingForAnyBytes(@ForAll("packets") byte[] bytes) {
    Ingress.Decision d = Ingress.classify(alice, bytes, 0, bytes.length, Ingress.Limits.DEFAULT);
    assertNotNull(d);
    if (d instanceof Ingress.Relay r) {
      assertTrue(r.packet().senderSessionId() == 42 && r.packet().senderUserId().equals("alice"));
    }
  }

  @Property
  void busInputIsCheckedWithoutThrowing(@ForAll("packets") byte[] bytes) {
    Ingress.Decision d = Ingress.fromBus("m1", Subjects.publish("m1", "alice"), bytes);
    assertNotNull(d);
  }

  @Provide
  Arbitrary<byte[]> presence() {
    Arbitrary<byte[]> valid =
        Combinators.combine(
                Arbitraries.of(PresenceMessage.Kind.values()),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10),
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.integers().between(0, 5))
            .as(
                (kind, instance, reason, n) -> {
                  java.util.List<Member> members = new java.util.ArrayList<>();
                  for (int i = 0; i < n; i++) {
                    members.add(new Member("m" + i, i + 1, "u" + i, "User " + i));
                  }
                  return new PresenceMessage(kind, instance, reason, members).encode();
                });
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(2000), valid, mutated(valid));
  }

  @Property
  void presenceMessagesRefuseOnlyWithIllegalArgument(@ForAll("presence") byte[] bytes) {
    try {
      PresenceMessage m = PresenceMessage.decode(bytes);
      assertTrue(m.members().size() <= bytes.length / 12);
    } catch (IllegalArgumentException expected) {
      // the declared refusal
    }
  }

  @Property(tries = 200)
  void aRoundTripKeepsEveryField(@ForAll("presence") byte[] ignored) {
    PresenceMessage m =
        new PresenceMessage(
            PresenceMessage.Kind.ALIVE, "A", "", List.of(new Member("m", 1, "u", "Zoë 山田")));
    assertTrue(PresenceMessage.decode(m.encode()).equals(m));
  }
}
