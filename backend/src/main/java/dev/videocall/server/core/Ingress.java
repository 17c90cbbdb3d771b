package dev.videocall.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Packet.Stream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decides what happens to one packet a client sent: relay it (stamped with the sender's identity),
 * echo it, consume it, drop it, or reject the session. Pure: it changes nothing itself.
 */
public final class Ingress {
  /** What the relay should do with a received packet. */
  public sealed interface Decision permits Relay, Echo, Consume, Drop, Reject {}

  /** Publish to the meeting. */
  public record Relay(Packet packet) implements Decision {}

  /** Send back to the sender only (RTT probes). */
  public record Echo(Packet packet) implements Decision {}

  /** Handled by the server itself; count it. */
  public record Consume(Name counter) implements Decision {}

  /** Not forwarded; count it. */
  public record Drop(Name counter) implements Decision {}

  /** Bad input: close the sender's session with this code and reason. */
  public record Reject(int code, String reason) implements Decision {}

  private Ingress() {}

  /** Classifies {@code length} bytes at {@code offset} of {@code data} sent by {@code from}. */
  public static Decision classify(Session from, byte[] data, int offset, int length) {
    PacketWrapper wrapper;
    try {
      wrapper = PacketWrapper.parser().parseFrom(data, offset, length);
    } catch (InvalidProtocolBufferException e) {
      return new Reject(
          dev.videocall.types.CloseCodes.UNPARSEABLE, "packet is not a PacketWrapper");
    }
    switch (wrapper.getPacketType()) {
      case MEDIA:
        return classifyMedia(from, wrapper, data, offset, length);
      case RSA_PUB_KEY:
      case AES_KEY:
      case E2EE_PUBLIC_KEY:
      case E2EE_WRAPPED_KEY:
      case DIAGNOSTICS:
        return new Relay(
            packet(from, wrapper, data, offset, length, Priority.CONTROL, Stream.NONE));
      case HEALTH:
        return new Consume(Name.HEALTH_REPORTS);
      case CONNECTION:
        return new Consume(null); // the meeting comes from the URL; kept for old clients
      case MEETING:
      case SESSION_ASSIGNED:
        return new Drop(Name.DROPPED_SERVER_ONLY_TYPE);
      case PACKET_TYPE_UNKNOWN:
      case UNRECOGNIZED:
      default:
        return new Drop(Name.DROPPED_UNKNOWN_TYPE);
    }
  }

  private static Decision classifyMedia(
      Session from, PacketWrapper wrapper, byte[] data, int offset, int length) {
    MediaHeader header;
    try {
      header = MediaHeader.read(wrapper.getData());
    } catch (IOException e) {
      return new Reject(
          dev.videocall.types.CloseCodes.UNPARSEABLE, "MEDIA data is not a MediaPacket");
    }
    switch (header.type) {
      case VIDEO:
      case SCREEN:
        return new Relay(
            packet(
                from,
                wrapper,
                data,
                offset,
                length,
                header.keyframe ? Priority.VIDEO_KEY : Priority.VIDEO_DELTA,
                header.type == MediaType.VIDEO ? Stream.CAMERA : Stream.SCREEN));
      case AUDIO:
        return new Relay(packet(from, wrapper, data, offset, length, Priority.AUDIO, Stream.NONE));
      case HEARTBEAT:
      case KEYFRAME_REQUEST:
        return new Relay(
            packet(from, wrapper, data, offset, length, Priority.CONTROL, Stream.NONE));
      case RTT:
        return new Echo(packet(from, wrapper, data, offset, length, Priority.CONTROL, Stream.NONE));
      default:
        return new Drop(Name.DROPPED_UNKNOWN_TYPE);
    }
  }

  /** The relayed form: the client's own bytes when it already identified itself correctly. */
  private static Packet packet(
      Session from,
      PacketWrapper wrapper,
      byte[] data,
      int offset,
      int length,
      Priority priority,
      Stream stream) {
    byte[] bytes;
    if (wrapper.getUserId().equals(from.userId()) && wrapper.getSessionId() == from.id()) {
      bytes = Arrays.copyOfRange(data, offset, offset + length);
    } else {
      bytes =
          wrapper.toBuilder()
              .setUserId(from.userId())
              .setSessionId(from.id())
              .build()
              .toByteArray();
    }
    return new Packet(
        from.meetingId(),
        from.userId(),
        from.id(),
        wrapper.getTargetSessionId(),
        priority,
        stream,
        bytes);
  }

  /** The two MediaPacket fields routing needs, read without copying the frame. */
  private static final class MediaHeader {
    MediaType type = MediaType.MEDIA_TYPE_UNKNOWN;
    boolean keyframe;

    static MediaHeader read(ByteString media) throws IOException {
      MediaHeader h = new MediaHeader();
      CodedInputStream in = media.newCodedInput();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        int wireType = WireFormat.getTagWireType(tag);
        if (field == 1 && wireType == WireFormat.WIRETYPE_VARINT) {
          MediaType t = MediaType.forNumber(in.readEnum());
          h.type = t == null ? MediaType.UNRECOGNIZED : t;
        } else if (field == 4 && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          h.keyframe = "key".equals(in.readStringRequireUtf8());
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      return h;
    }
  }
}
