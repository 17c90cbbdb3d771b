package dev.videocall.types.wire;

/** {@code videocall.DiagnosticsPacket} and its metrics messages, for TeaVM code. */
public final class DiagnosticsPacket {
  public String streamId = "";
  public String senderId = "";
  public String targetId = "";
  public long timestampMs;
  public int mediaType;
  public float packetLossPercent;
  public int medianLatencyMs;
  public int jitterMs;
  public int estimatedBandwidthKbps;
  public VideoMetrics video;
  public AudioMetrics audio;
  public QualityHints hints;
  public int roundTripTimeMs;

  public byte[] encode() {
    return new ProtoWriter()
        .string(1, streamId)
        .string(2, senderId)
        .string(3, targetId)
        .uint64(4, timestampMs)
        .int32(5, mediaType)
        .float32(6, packetLossPercent)
        .uint32(7, medianLatencyMs)
        .uint32(8, jitterMs)
        .uint32(9, estimatedBandwidthKbps)
        .message(10, video == null ? null : video.encode())
        .message(11, audio == null ? null : audio.encode())
        .message(12, hints == null ? null : hints.encode())
        .uint32(13, roundTripTimeMs)
        .toByteArray();
  }

  public static DiagnosticsPacket decode(byte[] bytes) {
    DiagnosticsPacket m = new DiagnosticsPacket();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.streamId = r.string();
        case 2 -> m.senderId = r.string();
        case 3 -> m.targetId = r.string();
        case 4 -> m.timestampMs = r.uint64();
        case 5 -> m.mediaType = r.int32();
        case 6 -> m.packetLossPercent = r.float32();
        case 7 -> m.medianLatencyMs = r.int32();
        case 8 -> m.jitterMs = r.int32();
        case 9 -> m.estimatedBandwidthKbps = r.int32();
        case 10 -> m.video = VideoMetrics.read(r.message());
        case 11 -> m.audio = AudioMetrics.read(r.message());
        case 12 -> m.hints = QualityHints.read(r.message());
        case 13 -> m.roundTripTimeMs = r.int32();
        default -> r.skip();
      }
    }
    return m;
  }

  /** {@code videocall.VideoMetrics}. */
  public static final class VideoMetrics {
    public float fpsReceived;
    public int width;
    public int height;
    public int bitrateKbps;
    public int decodeTimeMs;
    public int freezeCount;
    public int keyframesReceived;

    public byte[] encode() {
      return new ProtoWriter()
          .float32(1, fpsReceived)
          .uint32(2, width)
          .uint32(3, height)
          .uint32(4, bitrateKbps)
          .uint32(5, decodeTimeMs)
          .uint32(6, freezeCount)
          .uint32(7, keyframesReceived)
          .toByteArray();
    }

    static VideoMetrics read(ProtoReader r) {
      VideoMetrics m = new VideoMetrics();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.fpsReceived = r.float32();
          case 2 -> m.width = r.int32();
          case 3 -> m.height = r.int32();
          case 4 -> m.bitrateKbps = r.int32();
          case 5 -> m.decodeTimeMs = r.int32();
          case 6 -> m.freezeCount = r.int32();
          case 7 -> m.keyframesReceived = r.int32();
          default -> r.skip();
        }
      }
      return m;
    }
  }

  /** {@code videocall.AudioMetrics}. */
  public static final class AudioMetrics {
    public float audioLevel;
    public int sampleRate;
    public int bitrateKbps;
    public int channels;
    public int packetsLost;
    public boolean echoDetected;
    public boolean noiseDetected;

    public byte[] encode() {
      return new ProtoWriter()
          .float32(1, audioLevel)
          .uint32(2, sampleRate)
          .uint32(3, bitrateKbps)
          .uint32(4, channels)
          .uint32(5, packetsLost)
          .bool(6, echoDetected)
          .bool(7, noiseDetected)
          .toByteArray();
    }

    static AudioMetrics read(ProtoReader r) {
      AudioMetrics m = new AudioMetrics();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.audioLevel = r.float32();
          case 2 -> m.sampleRate = r.int32();
          case 3 -> m.bitrateKbps = r.int32();
          case 4 -> m.channels = r.int32();
          case 5 -> m.packetsLost = r.int32();
          case 6 -> m.echoDetected = r.bool();
          case 7 -> m.noiseDetected = r.bool();
          default -> r.skip();
        }
      }
      return m;
    }
  }

  /** {@code videocall.QualityHints}. */
  public static final class QualityHints {
    public int targetBitrateKbps;
    public int preference;

    public byte[] encode() {
      return new ProtoWriter().uint32(1, targetBitrateKbps).int32(2, preference).toByteArray();
    }

    static QualityHints read(ProtoReader r) {
      QualityHints m = new QualityHints();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.targetBitrateKbps = r.int32();
          case 2 -> m.preference = r.int32();
          default -> r.skip();
        }
      }
      return m;
    }
  }
}
