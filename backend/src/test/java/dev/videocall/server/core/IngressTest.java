package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.protobuf.ByteString;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.VideoCodec;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Packet.Stream;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.Packets;
import org.junit.jupiter.api.Test;

class IngressTest {
  private final Session alice =
      new Session(
          42,
          "alice",
          "m1",
          "Alice",
          new FakeLink(),
          s -> new Outbox(s.link(), 1 << 20, new Counters(), null));

  private Ingress.Decision classify(PacketWrapper p) {
    byte[] b = p.toByteArray();
    return Ingress.classify(alice, b, 0, b.length);
  }

  private Packet relayed(PacketWrapper p) {
    return assertInstanceOf(Ingress.Relay.class, classify(p)).packet();
  }

  @Test
  void stampsTheSendersIdentityOverWhateverTheClientClaimed() throws Exception {
    PacketWrapper spoofed =
        Packets.media(Packets.videoFrame(new byte[] {1, 2, 3}, true, 1, 0, VideoCodec.VP8))
            .toBuilder()
            .setUserId("mallory")
            .setSessionId(7)
            .build();
    Packet p = relayed(spoofed);
    PacketWrapper out = PacketWrapper.parseFrom(p.bytes());
    assertEquals("alice", out.getUserId());
    assertEquals(42, out.getSessionId());
    assertEquals(spoofed.getData(), out.getData());
    assertEquals("alice", p.senderUserId());
    assertEquals(42, p.senderSessionId());
    assertEquals("m1", p.meetingId());
  }

  @Test
  void forwardsTheClientsOwnBytesWhenItIdentifiedItselfCorrectly() {
    PacketWrapper honest =
        Packets.heartbeat(true, false).toBuilder().setUserId("alice").setSessionId(42).build();
    assertArrayEquals(honest.toByteArray(), relayed(honest).bytes());
  }

  @Test
  void classifiesVideoByKeyframeFlagAndStream() {
    Packet key =
        relayed(Packets.media(Packets.videoFrame(new byte[10], true, 1, 0, VideoCodec.VP8)));
    assertEquals(Priority.VIDEO_KEY, key.priority());
    assertEquals(Stream.CAMERA, key.stream());
    Packet delta =
        relayed(Packets.media(Packets.videoFrame(new byte[10], false, 2, 0, VideoCodec.VP8)));
    assertEquals(Priority.VIDEO_DELTA, delta.priority());
    MediaPacket screen =
        MediaPacket.newBuilder().setMediaType(MediaType.SCREEN).setFrameType("delta").build();
    Packet s = relayed(Packets.media(screen));
    assertEquals(Priority.VIDEO_DELTA, s.priority());
    assertEquals(Stream.SCREEN, s.stream());
  }

  private static PacketWrapper layered(int layer, int layers, int height) {
    MediaPacket frame =
        MediaPacket.newBuilder()
            .setMediaType(MediaType.VIDEO)
            .setFrameType("key")
            .setData(ByteString.copyFrom(new byte[10]))
            .setVideoMetadata(
                dev.videocall.proto.VideoMetadata.newBuilder()
                    .setSequence(1)
                    .setHeight(height)
                    .setSpatialLayer(layer)
                    .setSpatialLayers(layers))
            .build();
    return Packets.media(frame);
  }

  @Test
  void aSimulcastFrameCarriesItsLayerAndAnImpossibleLayerIsDropped() {
    Packet p = relayed(layered(1, 3, 180));
    assertEquals(new Packet.Layer(1, 3, 180), p.layer());
    assertEquals(Packet.Layer.NONE, relayed(layered(0, 0, 360)).layer(), "no simulcast");
    for (PacketWrapper bad :
        new PacketWrapper[] {layered(3, 3, 90), layered(0, 4, 90), layered(0, -1, 90)}) {
      Ingress.Decision d = classify(bad);
      assertInstanceOf(Ingress.Drop.class, d, bad.toString());
      assertEquals(Name.DROPPED_BAD_LAYER, ((Ingress.Drop) d).counter());
    }
  }

  private static PacketWrapper temporal(MediaType type, int spatial, int t, int of) {
    MediaPacket frame =
        MediaPacket.newBuilder()
            .setMediaType(type)
            .setFrameType("delta")
            .setData(ByteString.copyFrom(new byte[10]))
            .setVideoMetadata(
                dev.videocall.proto.VideoMetadata.newBuilder()
                    .setSequence(5)
                    .setHeight(180)
                    .setSpatialLayer(spatial)
                    .setSpatialLayers(spatial == 0 ? 0 : 3)
                    .setTemporalLayer(t)
                    .setTemporalLayers(of)
                    .setSequenceT0(2)
                    .setSequenceT1(3))
            .build();
    return Packets.media(frame);
  }

  @Test
  void aFrameCarriesItsTemporalLayerAndAnImpossibleOneIsDropped() {
    assertEquals(
        new Packet.Layer(1, 3, 180, 2), relayed(temporal(MediaType.VIDEO, 1, 2, 3)).layer());
    assertEquals(
        Packet.Layer.NONE.withTemporal(1),
        relayed(temporal(MediaType.SCREEN, 0, 1, 3)).layer(),
        "a screen's temporal layer");
    assertEquals(
        Packet.Layer.NONE,
        relayed(temporal(MediaType.VIDEO, 0, 2, 1)).layer(),
        "one temporal layer: the field means nothing");
    for (PacketWrapper bad :
        new PacketWrapper[] {
          temporal(MediaType.VIDEO, 0, 3, 3),
          temporal(MediaType.VIDEO, 1, 0, 4),
          temporal(MediaType.SCREEN, 0, -1, 3),
          temporal(MediaType.VIDEO, 0, 0, -1)
        }) {
      Ingress.Decision d = classify(bad);
      assertInstanceOf(Ingress.Drop.class, d, bad.toString());
      assertEquals(Name.DROPPED_BAD_LAYER, ((Ingress.Drop) d).counter());
    }
  }

  @Test
  void receiverReportsAreConsumedAndLayerDemandsRefusedFromClients() {
    dev.videocall.proto.ReceiverReport.Builder r =
        dev.videocall.proto.ReceiverReport.newBuilder().setBytesReceived(12345);
    r.addTiles(dev.videocall.proto.TileSize.newBuilder().setSessionId(7).setHeight(-1));
    r.addTiles(dev.videocall.proto.TileSize.newBuilder().setSessionId(8).setHeight(360));
    Ingress.Decision d =
        classify(
            PacketWrapper.newBuilder()
                .setPacketType(PacketType.RECEIVER_REPORT)
                .setData(r.build().toByteString())
                .build());
    Ingress.Report report = assertInstanceOf(Ingress.Report.class, d);
    assertEquals(12345, report.bytesReceived());
    assertEquals(1 << 14, report.tileHeights().get(7L), "an unsigned height beyond any screen");
    assertEquals(360, report.tileHeights().get(8L));
    for (int i = 0; i <= dev.videocall.types.wire.ReceiverReport.MAX_TILES; i++) {
      r.addTiles(dev.videocall.proto.TileSize.newBuilder().setSessionId(100 + i).setHeight(90));
    }
    Ingress.Decision tooMany =
        classify(
            PacketWrapper.newBuilder()
                .setPacketType(PacketType.RECEIVER_REPORT)
                .setData(r.build().toByteString())
                .build());
    assertEquals(
        Name.DROPPED_REPORT_REFUSED, assertInstanceOf(Ingress.Drop.class, tooMany).counter());
    Ingress.Decision demand =
        classify(
            PacketWrapper.newBuilder()
                .setPacketType(PacketType.LAYER_DEMAND)
                .setTargetSessionId(7)
                .build());
    assertEquals(
        Name.DROPPED_SERVER_ONLY_TYPE, assertInstanceOf(Ingress.Drop.class, demand).counter());
  }

  @Test
  void audioHeartbeatsKeyframeRequestsAndKeysAreRelayed() {
    MediaPacket audio =
        MediaPacket.newBuilder()
            .setMediaType(MediaType.AUDIO)
            .setData(ByteString.copyFrom(new byte[50]))
            .build();
    assertEquals(Priority.AUDIO, relayed(Packets.media(audio)).priority());
    assertEquals(Priority.CONTROL, relayed(Packets.heartbeat(true, true)).priority());
    Packet kr = relayed(Packets.keyframeRequest(99, MediaType.VIDEO));
    assertEquals(Priority.CONTROL, kr.priority());
    assertEquals(99, kr.targetSessionId());
    assertEquals(Packet.Layer.requested(0), kr.layer(), "every layer");
    // the layer asked for travels with the request: coalescing is per layer
    assertEquals(
        Packet.Layer.requested(3),
        relayed(Packets.keyframeRequest(99, MediaType.VIDEO, 2)).layer(),
        "layer 2 (request_layer 3)");
    Ingress.Decision absurd = classify(Packets.keyframeRequest(99, MediaType.VIDEO, 3));
    assertEquals(Name.DROPPED_BAD_LAYER, assertInstanceOf(Ingress.Drop.class, absurd).counter());
    for (PacketType t :
        new PacketType[] {
          PacketType.RSA_PUB_KEY,
          PacketType.AES_KEY,
          PacketType.E2EE_PUBLIC_KEY,
          PacketType.E2EE_WRAPPED_KEY,
          PacketType.DIAGNOSTICS
        }) {
      assertEquals(
          Priority.CONTROL,
          relayed(PacketWrapper.newBuilder().setPacketType(t).build()).priority());
    }
  }

  @Test
  void rttProbesAreEchoedNotRelayed() {
    MediaPacket rtt = MediaPacket.newBuilder().setMediaType(MediaType.RTT).setTimestamp(5).build();
    assertInstanceOf(Ingress.Echo.class, classify(Packets.media(rtt)));
  }

  @Test
  void unknownAndServerOnlyTypesAreDroppedAndNamed() {
    assertEquals(
        Name.DROPPED_UNKNOWN_TYPE,
        assertInstanceOf(Ingress.Drop.class, classify(PacketWrapper.getDefaultInstance()))
            .counter());
    assertEquals(
        Name.DROPPED_UNKNOWN_TYPE,
        assertInstanceOf(
                Ingress.Drop.class,
                classify(PacketWrapper.newBuilder().setPacketTypeValue(77).build()))
            .counter());
    assertEquals(
        Name.DROPPED_SERVER_ONLY_TYPE,
        assertInstanceOf(
                Ingress.Drop.class,
                classify(PacketWrapper.newBuilder().setPacketType(PacketType.MEETING).build()))
            .counter());
    MediaPacket odd = MediaPacket.newBuilder().setMediaTypeValue(99).build();
    assertEquals(
        Name.DROPPED_UNKNOWN_TYPE,
        assertInstanceOf(Ingress.Drop.class, classify(Packets.media(odd))).counter());
  }

  @Test
  void healthIsConsumed() {
    assertEquals(
        Name.HEALTH_REPORTS,
        assertInstanceOf(
                Ingress.Consume.class,
                classify(PacketWrapper.newBuilder().setPacketType(PacketType.HEALTH).build()))
            .counter());
  }

  @Test
  void garbageIsRejected() {
    byte[] garbage = {
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff
    };
    Ingress.Reject r =
        assertInstanceOf(Ingress.Reject.class, Ingress.classify(alice, garbage, 0, garbage.length));
    assertEquals(CloseCodes.UNPARSEABLE, r.code());
    PacketWrapper badMedia =
        PacketWrapper.newBuilder()
            .setPacketType(PacketType.MEDIA)
            .setData(ByteString.copyFrom(garbage))
            .build();
    assertEquals(
        "MEDIA data is not a MediaPacket",
        assertInstanceOf(Ingress.Reject.class, classify(badMedia)).reason());
  }

  @Test
  void honoursOffsetAndLength() {
    byte[] packet = Packets.heartbeat(true, true).toByteArray();
    byte[] framed = new byte[packet.length + 10];
    System.arraycopy(packet, 0, framed, 5, packet.length);
    Ingress.Relay r =
        assertInstanceOf(Ingress.Relay.class, Ingress.classify(alice, framed, 5, packet.length));
    assertEquals(Priority.CONTROL, r.packet().priority());
  }

  /** Hardening issue, item 12: the media packet's own user id is the sender's too. */
  @Test
  void theInnerMediaUserIdIsStampedToo() throws Exception {
    PacketWrapper forged =
        Packets.media(
            MediaPacket.newBuilder()
                .setMediaType(MediaType.AUDIO)
                .setUserId("mallory")
                .setData(ByteString.copyFromUtf8("hello"))
                .build());
    Packet p = relayed(forged);
    MediaPacket inner = MediaPacket.parseFrom(PacketWrapper.parseFrom(p.bytes()).getData());
    assertEquals("alice", inner.getUserId());
    assertEquals("hello", inner.getData().toStringUtf8());
    PacketWrapper honest =
        Packets.media(
                MediaPacket.newBuilder().setMediaType(MediaType.AUDIO).setUserId("alice").build())
            .toBuilder()
            .setUserId("alice")
            .setSessionId(42)
            .build();
    assertArrayEquals(honest.toByteArray(), relayed(honest).bytes(), "untouched when honest");
  }

  @Test
  void aSealedChatMessageIsRelayedWithinItsBoundAndRefusedBeyondIt() {
    int maxChars = Ingress.Limits.DEFAULT.maxChatChars();
    PacketWrapper fits = sealedChat(new byte[Ingress.SEALED_OVERHEAD + 4 * maxChars]);
    relayed(fits);
    PacketWrapper tooLong = sealedChat(new byte[Ingress.SEALED_OVERHEAD + 4 * maxChars + 1]);
    assertEquals(
        Name.DROPPED_CHAT_REFUSED,
        assertInstanceOf(Ingress.Drop.class, classify(tooLong)).counter());
    // text and a sealed copy at once: not a sealed message, and the text is checked as such
    PacketWrapper both =
        PacketWrapper.newBuilder()
            .setPacketType(PacketType.CHAT)
            .setData(
                dev.videocall.proto.ChatPacket.newBuilder()
                    .setText(" ")
                    .setSealed(ByteString.copyFrom(new byte[40]))
                    .build()
                    .toByteString())
            .build();
    assertInstanceOf(Ingress.Drop.class, classify(both));
  }

  private static PacketWrapper sealedChat(byte[] sealed) {
    return PacketWrapper.newBuilder()
        .setPacketType(PacketType.CHAT)
        .setData(
            dev.videocall.proto.ChatPacket.newBuilder()
                .setSealed(ByteString.copyFrom(sealed))
                .build()
                .toByteString())
        .build();
  }
}
