package dev.videocall.types.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.videocall.proto.AudioMetadata;
import dev.videocall.proto.HeartbeatMetadata;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper.MediaKind;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.Participant;
import dev.videocall.proto.VideoCodec;
import dev.videocall.proto.VideoMetadata;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The TeaVM-safe codec and protobuf-java agree byte for byte on every message the browser speaks,
 * both directions: wire(decode(java bytes)) re-encodes to the same bytes, and protobuf-java parses
 * what the codec writes into an equal message.
 */
class WireGoldenTest {
  private static final int RANDOM_CASES = 300;
  private final Random random = new Random(20261124);

  private static void roundTrip(
      Message java, Function<byte[], byte[]> wireReencode, Message parsedBack) {
    byte[] golden = java.toByteArray();
    byte[] ours = wireReencode.apply(golden);
    assertArrayEquals(golden, ours, java.getClass().getSimpleName() + ": " + java);
    assertEquals(java, parsedBack);
  }

  private void check(dev.videocall.proto.PacketWrapper m) throws Exception {
    byte[] ours = PacketWrapper.decode(m.toByteArray()).encode();
    roundTrip(
        m,
        b -> PacketWrapper.decode(b).encode(),
        dev.videocall.proto.PacketWrapper.parseFrom(ours));
  }

  private void check(dev.videocall.proto.MediaPacket m) throws Exception {
    byte[] ours = MediaPacket.decode(m.toByteArray()).encode();
    roundTrip(
        m, b -> MediaPacket.decode(b).encode(), dev.videocall.proto.MediaPacket.parseFrom(ours));
  }

  private void check(dev.videocall.proto.MeetingPacket m) throws Exception {
    byte[] ours = MeetingPacket.decode(m.toByteArray()).encode();
    roundTrip(
        m,
        b -> MeetingPacket.decode(b).encode(),
        dev.videocall.proto.MeetingPacket.parseFrom(ours));
  }

  private void check(dev.videocall.proto.SessionAssignedPacket m) throws Exception {
    byte[] ours = SessionAssignedPacket.decode(m.toByteArray()).encode();
    roundTrip(
        m,
        b -> SessionAssignedPacket.decode(b).encode(),
        dev.videocall.proto.SessionAssignedPacket.parseFrom(ours));
  }

  @Test
  void packetWrapperWrittenByTheCodecEqualsProtobufJava() throws Exception {
    PacketWrapper w = new PacketWrapper();
    w.packetType = PacketWrapper.MEDIA;
    w.userId = "alice";
    w.data = new byte[] {1, 2, 3};
    w.sessionId = Long.MAX_VALUE;
    w.mediaKind = PacketWrapper.KIND_SCREEN;
    w.targetSessionId = 1L << 40;
    dev.videocall.proto.PacketWrapper java =
        dev.videocall.proto.PacketWrapper.newBuilder()
            .setPacketType(PacketType.MEDIA)
            .setUserId("alice")
            .setData(ByteString.copyFrom(new byte[] {1, 2, 3}))
            .setSessionId(Long.MAX_VALUE)
            .setMediaKind(MediaKind.SCREEN)
            .setTargetSessionId(1L << 40)
            .build();
    assertArrayEquals(java.toByteArray(), w.encode());
    assertEquals(java, dev.videocall.proto.PacketWrapper.parseFrom(w.encode()));
    check(java);
    check(dev.videocall.proto.PacketWrapper.getDefaultInstance());
  }

  @Test
  void mediaPacketWithEveryFieldAndEmptyNestedMessages() throws Exception {
    check(
        dev.videocall.proto.MediaPacket.newBuilder()
            .setMediaType(MediaType.AUDIO)
            .setUserId("bé ✓")
            .setData(ByteString.copyFrom(new byte[300]))
            .setFrameType("key")
            .setTimestamp(1234567.891)
            .setDuration(-0.0)
            .setAudioMetadata(
                AudioMetadata.newBuilder()
                    .setAudioFormat("f32")
                    .setAudioNumberOfChannels(1)
                    .setAudioNumberOfFrames(960)
                    .setAudioSampleRate(48000f)
                    .setSequence(-1L))
            .setVideoMetadata(VideoMetadata.getDefaultInstance())
            .setHeartbeatMetadata(
                HeartbeatMetadata.newBuilder().setSpeaking(true).setDisplayName("Bob"))
            .setRequestMediaType(MediaType.SCREEN)
            .setSendTimeUs(1_764_000_000_000_000L)
            .build());
  }

  @Test
  void meetingPacketWithParticipantsAndSessionAssigned() throws Exception {
    check(
        dev.videocall.proto.MeetingPacket.newBuilder()
            .setEventType(MeetingEventType.MEETING_STARTED)
            .setRoomId("m1")
            .setStartTimeMs(System.currentTimeMillis())
            .setMessage("hi")
            .setCreatorId("alice")
            .setParticipantCount(-3)
            .setTargetUserId("bob")
            .setRoomToken("t")
            .setTargetSessionId(77)
            .setDisplayName("Bob")
            .addParticipants(Participant.newBuilder().setUserId("a").setSessionId(1))
            .addParticipants(Participant.getDefaultInstance())
            .addParticipants(Participant.newBuilder().setDisplayName("C"))
            .build());
    check(
        dev.videocall.proto.SessionAssignedPacket.newBuilder()
            .setSessionId(Long.MAX_VALUE - 5)
            .setUserId("u")
            .setMeetingId("m")
            .setHeartbeatTimeoutMs(-1)
            .setMaxPacketBytes(1 << 20)
            .setServerId("abcd")
            .build());
  }

  @Test
  void videoColorSpaceAgreesAndUnknownNamesNeverGetThrough() throws Exception {
    dev.videocall.proto.MediaPacket withColour =
        dev.videocall.proto.MediaPacket.newBuilder()
            .setMediaType(MediaType.VIDEO)
            .setVideoMetadata(
                VideoMetadata.newBuilder()
                    .setSequence(7)
                    .setCodec(VideoCodec.VP8)
                    .setColorSpace(
                        dev.videocall.proto.VideoColorSpace.newBuilder()
                            .setPrimaries("smpte170m")
                            .setTransfer("iec61966-2-1")
                            .setMatrix("bt470bg")
                            .setFullRange(true)))
            .build();
    check(withColour);
    MediaPacket.VideoColorSpace c = MediaPacket.decode(withColour.toByteArray()).video.colorSpace;
    assertEquals(MediaPacket.VideoColorSpace.of("smpte170m", "iec61966-2-1", "bt470bg", true), c);

    dev.videocall.proto.MediaPacket hostile =
        withColour.toBuilder()
            .setVideoMetadata(
                withColour.getVideoMetadata().toBuilder()
                    .setColorSpace(
                        dev.videocall.proto.VideoColorSpace.newBuilder()
                            .setPrimaries("x".repeat(6000))
                            .setTransfer("'); alert(1); ('")
                            .setMatrix("BT709")))
            .build();
    MediaPacket.VideoColorSpace h = MediaPacket.decode(hostile.toByteArray()).video.colorSpace;
    assertEquals(MediaPacket.VideoColorSpace.of("", "", "", false), h, "unknown names are blank");
  }

  @Test
  void randomMessagesAgreeByteForByte() throws Exception {
    for (int i = 0; i < RANDOM_CASES; i++) {
      check(randomWrapper());
      check(randomMedia());
      check(randomMeeting());
      check(
          dev.videocall.proto.SessionAssignedPacket.newBuilder()
              .setSessionId(maybe(random.nextLong()))
              .setUserId(maybe(text()))
              .setMeetingId(maybe(text()))
              .setHeartbeatTimeoutMs((int) maybe(random.nextInt()))
              .setMaxPacketBytes((int) maybe(random.nextInt()))
              .setServerId(maybe(text()))
              .build());
    }
  }

  /** Re-encoding protobuf-java's bytes gives the same bytes; protobuf-java parses ours back. */
  private static <M extends Message> void golden(
      M java, Function<byte[], byte[]> reencode, com.google.protobuf.Parser<M> parser)
      throws Exception {
    byte[] golden = java.toByteArray();
    byte[] ours = reencode.apply(golden);
    assertArrayEquals(golden, ours, java.getClass().getSimpleName() + ": " + java);
    assertEquals(java, parser.parseFrom(ours));
  }

  @Test
  void receiverReportsAndLayerDemandsAgreeWithProtobufJava() throws Exception {
    for (int i = 0; i < RANDOM_CASES; i++) {
      dev.videocall.proto.ReceiverReport.Builder report =
          dev.videocall.proto.ReceiverReport.newBuilder()
              .setBytesReceived(maybe(random.nextLong()));
      for (int t = random.nextInt(4); t > 0; t--) {
        report.addTiles(
            dev.videocall.proto.TileSize.newBuilder()
                .setSessionId(maybe(random.nextLong()))
                .setHeight((int) maybe(random.nextInt())));
      }
      golden(
          report.build(),
          b -> ReceiverReport.decode(b).encode(),
          dev.videocall.proto.ReceiverReport.parser());
      golden(
          dev.videocall.proto.LayerDemand.newBuilder()
              .setInstance(maybe(text()))
              .setCameraLayers((int) maybe(random.nextInt()))
              .build(),
          b -> LayerDemand.decode(b).encode(),
          dev.videocall.proto.LayerDemand.parser());
    }
  }

  @Test
  void connectionKeyExchangeDiagnosticsAndHealthAgreeToo() throws Exception {
    for (int i = 0; i < RANDOM_CASES; i++) {
      golden(
          dev.videocall.proto.ConnectionPacket.newBuilder().setMeetingId(maybe(text())).build(),
          b -> ConnectionPacket.decode(b).encode(),
          dev.videocall.proto.ConnectionPacket.parser());
      golden(
          dev.videocall.proto.RsaPacket.newBuilder()
              .setPublicKeyDer(blob())
              .setUsername(maybe(text()))
              .build(),
          b -> KeyExchange.RsaPacket.decode(b).encode(),
          dev.videocall.proto.RsaPacket.parser());
      golden(
          dev.videocall.proto.AesPacket.newBuilder().setKey(blob()).setIv(blob()).build(),
          b -> KeyExchange.AesPacket.decode(b).encode(),
          dev.videocall.proto.AesPacket.parser());
      golden(
          dev.videocall.proto.E2eePublicKeyPacket.newBuilder()
              .setPublicKeySpki(blob())
              .setKeyEpoch((int) maybe(random.nextInt()))
              .build(),
          b -> KeyExchange.PublicKey.decode(b).encode(),
          dev.videocall.proto.E2eePublicKeyPacket.parser());
      golden(
          dev.videocall.proto.E2eeWrappedKeyPacket.newBuilder()
              .setKeyEpoch((int) maybe(random.nextInt()))
              .setNonce(blob())
              .setWrappedKey(blob())
              .build(),
          b -> KeyExchange.WrappedKey.decode(b).encode(),
          dev.videocall.proto.E2eeWrappedKeyPacket.parser());
      golden(
          randomDiagnostics(),
          b -> DiagnosticsPacket.decode(b).encode(),
          dev.videocall.proto.DiagnosticsPacket.parser());
      golden(
          randomHealth(),
          b -> HealthPacket.decode(b).encode(),
          dev.videocall.proto.HealthPacket.parser());
    }
  }

  private float flt() {
    return random.nextInt(3) == 0 ? 0f : random.nextFloat() * 1000 - 100;
  }

  private dev.videocall.proto.DiagnosticsPacket randomDiagnostics() {
    dev.videocall.proto.DiagnosticsPacket.Builder b =
        dev.videocall.proto.DiagnosticsPacket.newBuilder()
            .setStreamId(maybe(text()))
            .setSenderId(maybe(text()))
            .setTargetId(maybe(text()))
            .setTimestampMs(maybe(random.nextLong()))
            .setMediaTypeValue(random.nextInt(3))
            .setPacketLossPercent(flt())
            .setMedianLatencyMs((int) maybe(random.nextInt()))
            .setJitterMs((int) maybe(random.nextInt()))
            .setEstimatedBandwidthKbps((int) maybe(random.nextInt()))
            .setRoundTripTimeMs((int) maybe(random.nextInt()));
    if (random.nextBoolean()) {
      b.setVideoMetrics(
          dev.videocall.proto.VideoMetrics.newBuilder()
              .setFpsReceived(flt())
              .setWidth((int) maybe(random.nextInt()))
              .setHeight((int) maybe(random.nextInt()))
              .setBitrateKbps((int) maybe(random.nextInt()))
              .setDecodeTimeMs((int) maybe(random.nextInt()))
              .setFreezeCount((int) maybe(random.nextInt()))
              .setKeyframesReceived((int) maybe(random.nextInt())));
    }
    if (random.nextBoolean()) {
      b.setAudioMetrics(
          dev.videocall.proto.AudioMetrics.newBuilder()
              .setAudioLevel(flt())
              .setSampleRate((int) maybe(random.nextInt()))
              .setBitrateKbps((int) maybe(random.nextInt()))
              .setChannels((int) maybe(random.nextInt()))
              .setPacketsLost((int) maybe(random.nextInt()))
              .setEchoDetected(random.nextBoolean())
              .setNoiseDetected(random.nextBoolean()));
    }
    if (random.nextBoolean()) {
      b.setQualityHints(
          dev.videocall.proto.QualityHints.newBuilder()
              .setTargetBitrateKbps((int) maybe(random.nextInt()))
              .setPreferenceValue(random.nextInt(4)));
    }
    return b.build();
  }

  private dev.videocall.proto.HealthPacket randomHealth() {
    dev.videocall.proto.HealthPacket.Builder b =
        dev.videocall.proto.HealthPacket.newBuilder()
            .setSessionId(maybe(text()))
            .setMeetingId(maybe(text()))
            .setReportingUserId(blob())
            .setTimestampMs(maybe(random.nextLong()))
            .setReportingAudioEnabled(random.nextBoolean())
            .setReportingVideoEnabled(random.nextBoolean())
            .setActiveServerUrl(maybe(text()))
            .setActiveServerType(maybe(random.nextBoolean() ? "websocket" : "webtransport"))
            .setActiveServerRttMs(dbl());
    for (int i = random.nextInt(4); i > 0; i--) {
      dev.videocall.proto.PeerStats.Builder stats =
          dev.videocall.proto.PeerStats.newBuilder()
              .setCanListen(random.nextBoolean())
              .setCanSee(random.nextBoolean())
              .setAudioEnabled(random.nextBoolean())
              .setVideoEnabled(random.nextBoolean())
              .setFramesDroppedPerSec(dbl());
      if (random.nextBoolean()) {
        stats.setVideoStats(
            dev.videocall.proto.VideoStats.newBuilder()
                .setFpsReceived(dbl())
                .setFramesBuffered(dbl())
                .setFramesDecoded(maybe(random.nextLong()))
                .setBitrateKbps(maybe(random.nextLong())));
      }
      b.putPeerStats(maybe(text()), stats.build()); // "" keys included on purpose
    }
    return b.build();
  }

  @Test
  void unknownFieldsOfEveryWireTypeAreSkipped() {
    byte[] known =
        dev.videocall.proto.PacketWrapper.newBuilder().setUserId("x").build().toByteArray();
    byte[] withUnknown =
        dev.videocall.proto.PacketWrapper.newBuilder()
            .setUserId("x")
            .setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(
                        100,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                            .addVarint(5)
                            .addFixed32(1)
                            .addFixed64(2)
                            .addLengthDelimited(ByteString.copyFromUtf8("zz"))
                            .build())
                    .build())
            .build()
            .toByteArray();
    assertArrayEquals(known, PacketWrapper.decode(withUnknown).encode());
  }

  @Test
  void truncatedAndMalformedInputIsRejected() {
    byte[] good =
        dev.videocall.proto.PacketWrapper.newBuilder().setUserId("alice").build().toByteArray();
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 2);
    assertThrows(WireFormatException.class, () -> PacketWrapper.decode(cut));
    byte[] garbage = new byte[11];
    java.util.Arrays.fill(garbage, (byte) 0xff);
    assertThrows(WireFormatException.class, () -> PacketWrapper.decode(garbage));
    assertThrows(WireFormatException.class, () -> PacketWrapper.decode(new byte[] {0}));
    // field 2 (user id) sent as a varint: a wire-type mismatch
    assertThrows(WireFormatException.class, () -> PacketWrapper.decode(new byte[] {0x10, 1}));
  }

  // ---- random message builders ----

  private long maybe(long v) {
    return random.nextInt(4) == 0 ? 0 : v;
  }

  private String maybe(String s) {
    return random.nextInt(4) == 0 ? "" : s;
  }

  private String text() {
    String alphabet = "abcXYZ019._-é✓ ";
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(20); i > 0; i--) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private ByteString blob() {
    byte[] b = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(2000)];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private double dbl() {
    switch (random.nextInt(4)) {
      case 0:
        return 0;
      case 1:
        return -0.0;
      default:
        return random.nextDouble() * 1e12 - 5e11;
    }
  }

  private dev.videocall.proto.PacketWrapper randomWrapper() {
    return dev.videocall.proto.PacketWrapper.newBuilder()
        .setPacketTypeValue((int) maybe(random.nextInt(22)))
        .setUserId(maybe(text()))
        .setData(blob())
        .setSessionId(maybe(random.nextLong()))
        .setMediaKindValue((int) maybe(random.nextInt(4)))
        .setTargetSessionId(maybe(random.nextLong()))
        .build();
  }

  private dev.videocall.proto.MediaPacket randomMedia() {
    dev.videocall.proto.MediaPacket.Builder b =
        dev.videocall.proto.MediaPacket.newBuilder()
            .setMediaTypeValue((int) maybe(random.nextInt(7)))
            .setUserId(maybe(text()))
            .setData(blob())
            .setFrameType(maybe(random.nextBoolean() ? "key" : "delta"))
            .setTimestamp(dbl())
            .setDuration(dbl())
            .setRequestMediaTypeValue((int) maybe(random.nextInt(8)))
            .setSendTimeUs(maybe(random.nextLong()))
            .setRequestLayer((int) maybe(random.nextInt()));
    if (random.nextBoolean()) {
      b.setAudioMetadata(
          AudioMetadata.newBuilder()
              .setAudioFormat(maybe(text()))
              .setAudioNumberOfChannels((int) maybe(random.nextInt()))
              .setAudioNumberOfFrames((int) maybe(random.nextInt()))
              .setAudioSampleRate(random.nextInt(3) == 0 ? 0f : random.nextFloat() * 96000)
              .setSequence(maybe(random.nextLong())));
    }
    if (random.nextBoolean()) {
      b.setVideoMetadata(
          VideoMetadata.newBuilder()
              .setSequence(maybe(random.nextLong()))
              .setCodec(
                  random.nextBoolean() ? VideoCodec.VP8 : VideoCodec.VP9_PROFILE0_LEVEL10_8BIT)
              .setWidth((int) maybe(random.nextInt(4000)))
              .setHeight((int) maybe(random.nextInt(4000)))
              .setSpatialLayer((int) maybe(random.nextInt(3)))
              .setSpatialLayers((int) maybe(random.nextInt()))
              .setTemporalLayer((int) maybe(random.nextInt(3)))
              .setTemporalLayers((int) maybe(random.nextInt()))
              .setSequenceT0(maybe(random.nextLong()))
              .setSequenceT1(maybe(random.nextLong())));
    }
    if (random.nextBoolean()) {
      b.setHeartbeatMetadata(
          HeartbeatMetadata.newBuilder()
              .setVideoEnabled(random.nextBoolean())
              .setAudioEnabled(random.nextBoolean())
              .setScreenEnabled(random.nextBoolean())
              .setSpeaking(random.nextBoolean())
              .setDisplayName(maybe(text())));
    }
    return b.build();
  }

  private dev.videocall.proto.MeetingPacket randomMeeting() {
    dev.videocall.proto.MeetingPacket.Builder b =
        dev.videocall.proto.MeetingPacket.newBuilder()
            .setEventTypeValue((int) maybe(random.nextInt(9)))
            .setRoomId(maybe(text()))
            .setStartTimeMs(maybe(random.nextLong()))
            .setMessage(maybe(text()))
            .setCreatorId(maybe(text()))
            .setParticipantCount(maybe(random.nextLong()))
            .setTargetUserId(maybe(text()))
            .setRoomToken(maybe(text()))
            .setTargetSessionId(maybe(random.nextLong()))
            .setDisplayName(maybe(text()));
    for (int i = random.nextInt(5); i > 0; i--) {
      b.addParticipants(
          Participant.newBuilder()
              .setUserId(maybe(text()))
              .setSessionId(maybe(random.nextLong()))
              .setDisplayName(maybe(text())));
    }
    return b.build();
  }

  @Test
  void chatReactionAndRaisedHandsAgreeWithProtobufJava() throws Exception {
    dev.videocall.proto.ChatPacket chat =
        dev.videocall.proto.ChatPacket.newBuilder()
            .setText("héllo <b>world</b> 👋")
            .setSentAtMs(1_700_000_000_123L)
            .build();
    ChatPacket c = ChatPacket.decode(chat.toByteArray());
    assertEquals(chat.getText(), c.text);
    assertEquals(chat.getSentAtMs(), c.sentAtMs);
    org.junit.jupiter.api.Assertions.assertArrayEquals(chat.toByteArray(), c.encode());
    dev.videocall.proto.ReactionPacket reaction =
        dev.videocall.proto.ReactionPacket.newBuilder().setEmoji("🎉").build();
    ChatPacket.Reaction r = ChatPacket.Reaction.decode(reaction.toByteArray());
    assertEquals("🎉", r.emoji);
    org.junit.jupiter.api.Assertions.assertArrayEquals(reaction.toByteArray(), r.encode());
    dev.videocall.proto.MediaPacket hb =
        dev.videocall.proto.MediaPacket.newBuilder()
            .setMediaType(dev.videocall.proto.MediaPacket.MediaType.HEARTBEAT)
            .setHeartbeatMetadata(
                dev.videocall.proto.HeartbeatMetadata.newBuilder()
                    .setHandRaised(true)
                    .setDisplayName("Zoë"))
            .build();
    MediaPacket m = MediaPacket.decode(hb.toByteArray());
    org.junit.jupiter.api.Assertions.assertTrue(m.heartbeat.handRaised);
    org.junit.jupiter.api.Assertions.assertArrayEquals(hb.toByteArray(), m.encode());
  }
}
