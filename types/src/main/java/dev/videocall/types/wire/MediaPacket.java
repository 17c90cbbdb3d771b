package dev.videocall.types.wire;

/** {@code videocall.MediaPacket} and its metadata messages, for TeaVM code. */
public final class MediaPacket {
  public static final int VIDEO = 1;
  public static final int AUDIO = 2;
  public static final int SCREEN = 3;
  public static final int HEARTBEAT = 4;
  public static final int RTT = 5;
  public static final int KEYFRAME_REQUEST = 6;
  public static final int PADDING = 7;

  public static final int CODEC_VP8 = 1;
  public static final int CODEC_VP9 = 2;

  public int mediaType;
  public String userId = "";
  public byte[] data;
  public String frameType = "";
  public double timestamp;
  public double duration;
  public AudioMetadata audio;
  public VideoMetadata video;
  public HeartbeatMetadata heartbeat;
  public int requestMediaType;
  public long sendTimeUs;

  /** KEYFRAME_REQUEST: 1 + the spatial layer wanted; 0: every layer. */
  public int requestLayer;

  public boolean isKeyframe() {
    return "key".equals(frameType);
  }

  public byte[] encode() {
    return new ProtoWriter()
        .int32(1, mediaType)
        .string(2, userId)
        .bytes(3, data)
        .string(4, frameType)
        .float64(5, timestamp)
        .float64(6, duration)
        .message(7, audio == null ? null : audio.encode())
        .message(8, video == null ? null : video.encode())
        .message(9, heartbeat == null ? null : heartbeat.encode())
        .int32(10, requestMediaType)
        .uint64(11, sendTimeUs)
        .uint32(12, requestLayer)
        .toByteArray();
  }

  public static MediaPacket decode(byte[] bytes) {
    MediaPacket m = new MediaPacket();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.mediaType = r.int32();
        case 2 -> m.userId = r.string();
        case 3 -> m.data = r.bytes();
        case 4 -> m.frameType = r.string();
        case 5 -> m.timestamp = r.float64();
        case 6 -> m.duration = r.float64();
        case 7 -> m.audio = AudioMetadata.read(r.message());
        case 8 -> m.video = VideoMetadata.read(r.message());
        case 9 -> m.heartbeat = HeartbeatMetadata.read(r.message());
        case 10 -> m.requestMediaType = r.int32();
        case 11 -> m.sendTimeUs = r.uint64();
        case 12 -> m.requestLayer = r.int32();
        default -> r.skip();
      }
    }
    return m;
  }

  /** {@code videocall.AudioMetadata}. */
  public static final class AudioMetadata {
    public String audioFormat = "";
    public int channels;
    public int frames;
    public float sampleRate;
    public long sequence;

    public byte[] encode() {
      return new ProtoWriter()
          .string(1, audioFormat)
          .uint32(2, channels)
          .uint32(3, frames)
          .float32(4, sampleRate)
          .uint64(5, sequence)
          .toByteArray();
    }

    static AudioMetadata read(ProtoReader r) {
      AudioMetadata m = new AudioMetadata();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.audioFormat = r.string();
          case 2 -> m.channels = r.int32();
          case 3 -> m.frames = r.int32();
          case 4 -> m.sampleRate = r.float32();
          case 5 -> m.sequence = r.uint64();
          default -> r.skip();
        }
      }
      return m;
    }
  }

  /** {@code videocall.VideoMetadata}. */
  public static final class VideoMetadata {
    public long sequence;
    public int codec;
    public int width;
    public int height;

    /** With keyframes; null when the sender did not say (assume BT.709, the decoder default). */
    public VideoColorSpace colorSpace;

    /** Simulcast: this frame's spatial layer (0 the smallest) of {@link #spatialLayers}. */
    public int spatialLayer;

    /** How many spatial layers the sender publishes; 0 or 1: no simulcast. */
    public int spatialLayers;

    /** Temporal layers: this frame's (0 the base) of {@link #temporalLayers}. */
    public int temporalLayer;

    /** How many temporal layers the stream has; 0 or 1: none. */
    public int temporalLayers;

    /** Frames of temporal layer 0 encoded up to and including this one. */
    public long sequenceT0;

    /** Frames of temporal layers 0 and 1 encoded up to and including this one. */
    public long sequenceT1;

    public byte[] encode() {
      return new ProtoWriter()
          .uint64(1, sequence)
          .int32(2, codec)
          .uint32(3, width)
          .uint32(4, height)
          .message(5, colorSpace == null ? null : colorSpace.encode())
          .uint32(6, spatialLayer)
          .uint32(7, spatialLayers)
          .uint32(8, temporalLayer)
          .uint32(9, temporalLayers)
          .uint64(10, sequenceT0)
          .uint64(11, sequenceT1)
          .toByteArray();
    }

    static VideoMetadata read(ProtoReader r) {
      VideoMetadata m = new VideoMetadata();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.sequence = r.uint64();
          case 2 -> m.codec = r.int32();
          case 3 -> m.width = r.int32();
          case 4 -> m.height = r.int32();
          case 5 -> m.colorSpace = VideoColorSpace.read(r.message());
          case 6 -> m.spatialLayer = r.int32();
          case 7 -> m.spatialLayers = r.int32();
          case 8 -> m.temporalLayer = r.int32();
          case 9 -> m.temporalLayers = r.int32();
          case 10 -> m.sequenceT0 = r.uint64();
          case 11 -> m.sequenceT1 = r.uint64();
          default -> r.skip();
        }
      }
      return m;
    }
  }

  /**
   * {@code videocall.VideoColorSpace}: WebCodecs colour-space names. Decoding keeps only names this
   * class knows ({@link #PRIMARIES}, {@link #TRANSFERS}, {@link #MATRICES}); anything else, e.g. a
   * hostile sender's 6,000-character string, becomes "" (unspecified) and never reaches a decoder.
   */
  public static final class VideoColorSpace {
    static final String[] PRIMARIES = {"bt709", "bt470bg", "smpte170m", "bt2020", "smpte432"};
    static final String[] TRANSFERS = {"bt709", "smpte170m", "iec61966-2-1", "linear", "pq", "hlg"};
    static final String[] MATRICES = {"rgb", "bt709", "bt470bg", "smpte170m", "bt2020-ncl"};

    public String primaries = "";
    public String transfer = "";
    public String matrix = "";
    public boolean fullRange;

    /** A colour space of known names only: unknown ones are "". */
    public static VideoColorSpace of(
        String primaries, String transfer, String matrix, boolean fullRange) {
      VideoColorSpace c = new VideoColorSpace();
      c.primaries = known(PRIMARIES, primaries);
      c.transfer = known(TRANSFERS, transfer);
      c.matrix = known(MATRICES, matrix);
      c.fullRange = fullRange;
      return c;
    }

    private static String known(String[] names, String name) {
      for (String n : names) {
        if (n.equals(name)) {
          return n;
        }
      }
      return "";
    }

    public byte[] encode() {
      return new ProtoWriter()
          .string(1, primaries)
          .string(2, transfer)
          .string(3, matrix)
          .bool(4, fullRange)
          .toByteArray();
    }

    static VideoColorSpace read(ProtoReader r) {
      String primaries = "";
      String transfer = "";
      String matrix = "";
      boolean fullRange = false;
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> primaries = r.string();
          case 2 -> transfer = r.string();
          case 3 -> matrix = r.string();
          case 4 -> fullRange = r.bool();
          default -> r.skip();
        }
      }
      return of(primaries, transfer, matrix, fullRange);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof VideoColorSpace c
          && primaries.equals(c.primaries)
          && transfer.equals(c.transfer)
          && matrix.equals(c.matrix)
          && fullRange == c.fullRange;
    }

    @Override
    public int hashCode() {
      return ((primaries.hashCode() * 31 + transfer.hashCode()) * 31 + matrix.hashCode()) * 2
          + (fullRange ? 1 : 0);
    }
  }

  /** {@code videocall.HeartbeatMetadata}. */
  public static final class HeartbeatMetadata {
    public boolean videoEnabled;
    public boolean audioEnabled;
    public boolean screenEnabled;
    public boolean speaking;
    public String displayName = "";
    public boolean handRaised;

    public byte[] encode() {
      return new ProtoWriter()
          .bool(1, videoEnabled)
          .bool(2, audioEnabled)
          .bool(3, screenEnabled)
          .bool(4, speaking)
          .string(5, displayName)
          .bool(6, handRaised)
          .toByteArray();
    }

    static HeartbeatMetadata read(ProtoReader r) {
      HeartbeatMetadata m = new HeartbeatMetadata();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.videoEnabled = r.bool();
          case 2 -> m.audioEnabled = r.bool();
          case 3 -> m.screenEnabled = r.bool();
          case 4 -> m.speaking = r.bool();
          case 5 -> m.displayName = r.string();
          case 6 -> m.handRaised = r.bool();
          default -> r.skip();
        }
      }
      return m;
    }
  }
}
