package dev.videocall.types;

import com.google.protobuf.ByteString;
import dev.videocall.proto.HeartbeatMetadata;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.MediaKind;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.VideoCodec;
import dev.videocall.proto.VideoMetadata;

/** Builders for the packets every participant sends. */
public final class Packets {
  private Packets() {}

  /** A MEDIA wrapper around {@code media}, with the cleartext media kind the server routes on. */
  public static PacketWrapper media(MediaPacket media) {
    return PacketWrapper.newBuilder()
        .setPacketType(PacketType.MEDIA)
        .setMediaKind(kindOf(media.getMediaType()))
        .setData(media.toByteString())
        .build();
  }

  /** One encoded video frame. */
  public static MediaPacket videoFrame(
      byte[] frame, boolean keyframe, long sequence, long timestampUs, VideoCodec codec) {
    return MediaPacket.newBuilder()
        .setMediaType(MediaType.VIDEO)
        .setData(ByteString.copyFrom(frame))
        .setFrameType(keyframe ? "key" : "delta")
        .setTimestamp(timestampUs)
        .setSendTimeUs(nowMicros())
        .setVideoMetadata(VideoMetadata.newBuilder().setSequence(sequence).setCodec(codec))
        .build();
  }

  /**
   * A camera frame of spatial layer {@code layer} of {@code layers} (simulcast), {@code width} x
   * {@code height}; with one layer, {@link #videoFrame} (no layer fields).
   */
  public static MediaPacket layeredVideoFrame(
      byte[] frame,
      boolean keyframe,
      long sequence,
      long timestampUs,
      VideoCodec codec,
      int width,
      int height,
      int layer,
      int layers) {
    MediaPacket m = videoFrame(frame, keyframe, sequence, timestampUs, codec);
    if (layers <= 1) {
      return m;
    }
    return m.toBuilder()
        .setVideoMetadata(
            m.getVideoMetadata().toBuilder()
                .setWidth(width)
                .setHeight(height)
                .setSpatialLayer(layer)
                .setSpatialLayers(layers))
        .build();
  }

  /**
   * {@code m} as a frame of temporal layer {@code layer} of {@code layers}, with the counts of
   * layer-0 and layer-0-and-1 frames up to it ({@code FrameOrder}).
   */
  public static MediaPacket withTemporalLayer(
      MediaPacket m, int layer, int layers, long sequenceT0, long sequenceT1) {
    return m.toBuilder()
        .setVideoMetadata(
            m.getVideoMetadata().toBuilder()
                .setTemporalLayer(layer)
                .setTemporalLayers(layers)
                .setSequenceT0(sequenceT0)
                .setSequenceT1(sequenceT1))
        .build();
  }

  /**
   * A {@code LAYER_DEMAND} (dynacast): which of a sender's camera layers the receivers at server
   * instance {@code instance} get (bit i: layer i). Addressing is the caller's.
   */
  public static PacketWrapper layerDemand(String instance, int cameraLayers) {
    return PacketWrapper.newBuilder()
        .setPacketType(PacketWrapper.PacketType.LAYER_DEMAND)
        .setData(
            dev.videocall.proto.LayerDemand.newBuilder()
                .setInstance(instance)
                .setCameraLayers(cameraLayers)
                .build()
                .toByteString())
        .build();
  }

  /** The once-a-second liveness and state packet. */
  public static PacketWrapper heartbeat(boolean videoEnabled, boolean audioEnabled) {
    return media(
        MediaPacket.newBuilder()
            .setMediaType(MediaType.HEARTBEAT)
            .setTimestamp(System.currentTimeMillis())
            .setHeartbeatMetadata(
                HeartbeatMetadata.newBuilder()
                    .setVideoEnabled(videoEnabled)
                    .setAudioEnabled(audioEnabled))
            .build());
  }

  /**
   * Asks session {@code targetSessionId} for a keyframe of its {@code stream} (VIDEO or SCREEN).
   */
  public static PacketWrapper keyframeRequest(long targetSessionId, MediaType stream) {
    return keyframeRequest(targetSessionId, stream, -1);
  }

  /** A keyframe request for spatial layer {@code layer} of a simulcast camera (-1: every layer). */
  public static PacketWrapper keyframeRequest(long targetSessionId, MediaType stream, int layer) {
    return media(
            MediaPacket.newBuilder()
                .setMediaType(MediaType.KEYFRAME_REQUEST)
                .setRequestMediaType(stream)
                .setRequestLayer(layer < 0 ? 0 : layer + 1)
                .build())
        .toBuilder()
        .setTargetSessionId(targetSessionId)
        .build();
  }

  /**
   * True for encoded MediaPacket bytes whose frame type is "key", read without parsing (or copying)
   * the frame; false for anything that does not parse.
   */
  public static boolean isKeyframe(ByteString mediaPacket) {
    try {
      com.google.protobuf.CodedInputStream in = mediaPacket.newCodedInput();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == ((4 << 3) | 2)) {
          return "key".equals(in.readStringRequireUtf8());
        }
        if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (java.io.IOException e) {
      return false;
    }
    return false;
  }

  /** True for a MEDIA packet whose frame is a keyframe ("key" frame type). */
  public static boolean isKeyframe(MediaPacket media) {
    return "key".equals(media.getFrameType());
  }

  public static MediaKind kindOf(MediaType type) {
    switch (type) {
      case VIDEO:
        return MediaKind.VIDEO;
      case AUDIO:
        return MediaKind.AUDIO;
      case SCREEN:
        return MediaKind.SCREEN;
      default:
        return MediaKind.MEDIA_KIND_UNSPECIFIED;
    }
  }

  public static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
  }
}
