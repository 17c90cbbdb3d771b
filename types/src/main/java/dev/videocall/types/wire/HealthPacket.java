package dev.videocall.types.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code videocall.HealthPacket}, {@code PeerStats} and {@code VideoStats}, for TeaVM code. */
public final class HealthPacket {
  public String sessionId = "";
  public String meetingId = "";
  public byte[] reportingUserId;
  public long timestampMs;
  public boolean reportingAudioEnabled;
  public boolean reportingVideoEnabled;

  /** Map entries are written in insertion order, as protobuf-java writes its maps. */
  public Map<String, PeerStats> peerStats = new LinkedHashMap<>();

  public String activeServerUrl = "";
  public String activeServerType = "";
  public double activeServerRttMs;

  public byte[] encode() {
    ProtoWriter w =
        new ProtoWriter()
            .string(1, sessionId)
            .string(2, meetingId)
            .bytes(3, reportingUserId)
            .uint64(4, timestampMs)
            .bool(5, reportingAudioEnabled)
            .bool(6, reportingVideoEnabled);
    for (Map.Entry<String, PeerStats> e : peerStats.entrySet()) {
      byte[] value = e.getValue() == null ? new byte[0] : e.getValue().encode();
      w.message(7, new ProtoWriter().stringAlways(1, e.getKey()).message(2, value).toByteArray());
    }
    return w.string(8, activeServerUrl)
        .string(9, activeServerType)
        .float64(10, activeServerRttMs)
        .toByteArray();
  }

  public static HealthPacket decode(byte[] bytes) {
    HealthPacket m = new HealthPacket();
    ProtoReader r = new ProtoReader(bytes);
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> m.sessionId = r.string();
        case 2 -> m.meetingId = r.string();
        case 3 -> m.reportingUserId = r.bytes();
        case 4 -> m.timestampMs = r.uint64();
        case 5 -> m.reportingAudioEnabled = r.bool();
        case 6 -> m.reportingVideoEnabled = r.bool();
        case 7 -> readEntry(r.message(), m.peerStats);
        case 8 -> m.activeServerUrl = r.string();
        case 9 -> m.activeServerType = r.string();
        case 10 -> m.activeServerRttMs = r.float64();
        default -> r.skip();
      }
    }
    return m;
  }

  private static void readEntry(ProtoReader r, Map<String, PeerStats> into) {
    String key = "";
    PeerStats value = new PeerStats();
    for (int f = r.next(); f != 0; f = r.next()) {
      switch (f) {
        case 1 -> key = r.string();
        case 2 -> value = PeerStats.read(r.message());
        default -> r.skip();
      }
    }
    into.put(key, value);
  }

  /** {@code videocall.PeerStats}. */
  public static final class PeerStats {
    public boolean canListen;
    public boolean canSee;
    public boolean audioEnabled;
    public boolean videoEnabled;
    public VideoStats videoStats;
    public double framesDroppedPerSec;

    public byte[] encode() {
      return new ProtoWriter()
          .bool(1, canListen)
          .bool(2, canSee)
          .bool(3, audioEnabled)
          .bool(4, videoEnabled)
          .message(6, videoStats == null ? null : videoStats.encode())
          .float64(7, framesDroppedPerSec)
          .toByteArray();
    }

    static PeerStats read(ProtoReader r) {
      PeerStats m = new PeerStats();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.canListen = r.bool();
          case 2 -> m.canSee = r.bool();
          case 3 -> m.audioEnabled = r.bool();
          case 4 -> m.videoEnabled = r.bool();
          case 6 -> m.videoStats = VideoStats.read(r.message());
          case 7 -> m.framesDroppedPerSec = r.float64();
          default -> r.skip();
        }
      }
      return m;
    }
  }

  /** {@code videocall.VideoStats}. */
  public static final class VideoStats {
    public double fpsReceived;
    public double framesBuffered;
    public long framesDecoded;
    public long bitrateKbps;

    public byte[] encode() {
      return new ProtoWriter()
          .float64(1, fpsReceived)
          .float64(2, framesBuffered)
          .uint64(3, framesDecoded)
          .uint64(4, bitrateKbps)
          .toByteArray();
    }

    static VideoStats read(ProtoReader r) {
      VideoStats m = new VideoStats();
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.fpsReceived = r.float64();
          case 2 -> m.framesBuffered = r.float64();
          case 3 -> m.framesDecoded = r.uint64();
          case 4 -> m.bitrateKbps = r.uint64();
          default -> r.skip();
        }
      }
      return m;
    }
  }
}
