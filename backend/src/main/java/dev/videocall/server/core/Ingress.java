package dev.videocall.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Packet.Stream;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.Ids;
import dev.videocall.types.Subjects;
import dev.videocall.types.wire.ReceiverReport;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decides what happens to one packet a client sent: relay it (stamped with the sender's identity),
 * echo it, consume it, drop it, or reject the session. Pure: it changes nothing itself. Packets
 * from other instances ({@link #fromBus}) pass the same rules, so nothing reaches a client through
 * NATS that a client could not have sent through us.
 */
public final class Ingress {
  /** What the relay should do with a received packet. */
  public sealed interface Decision permits Relay, Echo, Consume, Report, Drop, Reject {}

  /** Publish to the meeting. */
  public record Relay(Packet packet) implements Decision {}

  /** Send back to the sender only (RTT probes). */
  public record Echo(Packet packet) implements Decision {}

  /** Handled by the server itself; count it. */
  public record Consume(Name counter) implements Decision {}

  /**
   * A receiver report: what the client received ({@code bytesReceived}) and the height at which it
   * shows each sender's camera (session id to device pixels, 0 hidden; at most {@link
   * dev.videocall.types.wire.ReceiverReport#MAX_TILES} of them).
   */
  public record Report(long bytesReceived, java.util.Map<Long, Integer> tileHeights)
      implements Decision {}

  /** Not forwarded; count it. */
  public record Drop(Name counter) implements Decision {}

  /** Bad input: close the sender's session with this code and reason. */
  public record Reject(int code, String reason) implements Decision {}

  /**
   * Limits on what a client may send.
   *
   * @param maxControlBytes the largest control packet (anything but audio and video frames)
   */
  public record Limits(int maxControlBytes, int maxChatChars) {
    public static final Limits DEFAULT = new Limits(16 * 1024, 2000);
  }

  private Ingress() {}

  /** Classifies {@code length} bytes at {@code offset} of {@code data} sent by {@code from}. */
  public static Decision classify(Session from, byte[] data, int offset, int length) {
    return classify(from, data, offset, length, Limits.DEFAULT);
  }

  /** Classifies {@code length} bytes at {@code offset} of {@code data} sent by {@code from}. */
  public static Decision classify(
      Session from, byte[] data, int offset, int length, Limits limits) {
    PacketWrapper wrapper;
    try {
      wrapper = PacketWrapper.parser().parseFrom(data, offset, length);
    } catch (InvalidProtocolBufferException e) {
      return new Reject(CloseCodes.UNPARSEABLE, "packet is not a PacketWrapper");
    }
    switch (wrapper.getPacketType()) {
      case RECEIVER_REPORT -> {
        if (length > limits.maxControlBytes()) {
          return new Drop(Name.DROPPED_CONTROL_TOO_BIG); // before its tiles are parsed
        }
        return report(wrapper);
      }
      case LAYER_DEMAND -> {
        return new Drop(Name.DROPPED_SERVER_ONLY_TYPE); // only a server tells a sender this
      }
      default -> {}
    }
    Route route;
    try {
      route = route(wrapper);
    } catch (IOException e) {
      return new Reject(CloseCodes.UNPARSEABLE, "MEDIA data is not a MediaPacket");
    }
    if (route.outcome != null) {
      return route.outcome;
    }
    if (route.priority == Priority.CONTROL && length > limits.maxControlBytes()) {
      return new Drop(Name.DROPPED_CONTROL_TOO_BIG);
    }
    Decision social = checkSocial(wrapper, limits);
    if (social != null) {
      return social;
    }
    Packet p = stamped(from, wrapper, route, data, offset, length);
    if (p == null) {
      return new Reject(CloseCodes.UNPARSEABLE, "MEDIA data is not a MediaPacket");
    }
    return route.echo ? new Echo(p) : new Relay(p);
  }

  /**
   * Checks a packet another instance published to {@code subject} for meeting {@code meetingId}: it
   * must be what {@link #classify} relays (a relayable type, stamped with a valid sender) and its
   * sender must match the subject. Routing facts come from the packet, not from anything else on
   * the message.
   */
  public static Decision fromBus(String meetingId, String subject, byte[] data) {
    PacketWrapper wrapper;
    Route route;
    try {
      wrapper = PacketWrapper.parser().parseFrom(data);
      route = route(wrapper);
    } catch (IOException e) {
      return new Drop(Name.BUS_REJECTED);
    }
    if (route.outcome != null || route.echo) {
      return new Drop(Name.BUS_REJECTED);
    }
    String user = wrapper.getUserId();
    if (!Ids.isValid(user)
        || wrapper.getSessionId() == 0
        || !Subjects.publish(meetingId, user).equals(subject)) {
      return new Drop(Name.BUS_REJECTED);
    }
    return new Relay(
        new Packet(
            meetingId,
            user,
            wrapper.getSessionId(),
            wrapper.getTargetSessionId(),
            route.priority,
            route.stream,
            data,
            route.layer));
  }

  private static Decision report(PacketWrapper wrapper) {
    dev.videocall.proto.ReceiverReport r;
    try {
      r = dev.videocall.proto.ReceiverReport.parseFrom(wrapper.getData());
    } catch (InvalidProtocolBufferException e) {
      return new Drop(Name.DROPPED_REPORT_REFUSED);
    }
    if (r.getBytesReceived() < 0 || r.getTilesCount() > ReceiverReport.MAX_TILES) {
      return new Drop(Name.DROPPED_REPORT_REFUSED);
    }
    java.util.Map<Long, Integer> heights = new java.util.HashMap<>();
    for (dev.videocall.proto.TileSize t : r.getTilesList()) {
      // a height beyond any screen is a height of "the largest there is"
      heights.put(t.getSessionId(), (int) Math.min(Integer.toUnsignedLong(t.getHeight()), 1 << 14));
    }
    return new Report(r.getBytesReceived(), heights);
  }

  /** What SFrame and the sealed packet's own fields add to a text: header, tag, time, tags. */
  static final int SEALED_OVERHEAD = 64;

  /** Chat messages and reactions: valid, and within their length; else a decision. */
  private static Decision checkSocial(PacketWrapper wrapper, Limits limits) {
    try {
      switch (wrapper.getPacketType()) {
        case CHAT -> {
          dev.videocall.proto.ChatPacket chat =
              dev.videocall.proto.ChatPacket.parseFrom(wrapper.getData());
          String text = chat.getText();
          // end-to-end encrypted: unreadable here, but no longer than the longest allowed text
          boolean sealed =
              text.isEmpty()
                  && !chat.getSealed().isEmpty()
                  && chat.getSealed().size() <= SEALED_OVERHEAD + 4 * limits.maxChatChars();
          if (!sealed
              && (text.isBlank()
                  || text.codePointCount(0, text.length()) > limits.maxChatChars())) {
            return new Drop(Name.DROPPED_CHAT_REFUSED);
          }
        }
        case REACTION -> {
          dev.videocall.proto.ReactionPacket reaction =
              dev.videocall.proto.ReactionPacket.parseFrom(wrapper.getData());
          String emoji = reaction.getEmoji();
          boolean sealed =
              emoji.isEmpty()
                  && !reaction.getSealed().isEmpty()
                  && reaction.getSealed().size() <= SEALED_OVERHEAD + 4 * 8;
          if (!sealed && (emoji.isEmpty() || emoji.codePointCount(0, emoji.length()) > 8)) {
            return new Drop(Name.DROPPED_CHAT_REFUSED);
          }
        }
        default -> {
          return null;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      return new Drop(Name.DROPPED_CHAT_REFUSED);
    }
    return null;
  }

  /** How a parsed packet is routed, or what else happens to it. */
  private record Route(
      Priority priority,
      Stream stream,
      boolean echo,
      Decision outcome,
      String innerUserId,
      Packet.Layer layer) {
    static Route of(Priority priority, Stream stream) {
      return new Route(priority, stream, false, null, "", Packet.Layer.NONE);
    }

    static Route not(Decision outcome) {
      return new Route(null, Stream.NONE, false, outcome, "", Packet.Layer.NONE);
    }

    Route claiming(String innerUserId) {
      return new Route(priority, stream, echo, outcome, innerUserId, layer);
    }

    Route inLayer(Packet.Layer layer) {
      return new Route(priority, stream, echo, outcome, innerUserId, layer);
    }
  }

  private static Route route(PacketWrapper wrapper) throws IOException {
    switch (wrapper.getPacketType()) {
      case MEDIA:
        return routeMedia(wrapper);
      case RSA_PUB_KEY:
      case AES_KEY:
      case E2EE_PUBLIC_KEY:
      case E2EE_WRAPPED_KEY:
      case DIAGNOSTICS:
      case CHAT:
      case REACTION:
        return Route.of(Priority.CONTROL, Stream.NONE);
      case LAYER_DEMAND:
        // only from another instance: classify() refuses it from clients
        return Route.of(Priority.CONTROL, Stream.NONE);
      case HEALTH:
        return Route.not(new Consume(Name.HEALTH_REPORTS));
      case RECEIVER_REPORT:
        return Route.not(new Consume(null)); // classify() handles it; never on the bus
      case CONNECTION:
        return Route.not(new Consume(null)); // the meeting comes from the URL; for old clients
      case MEETING:
      case SESSION_ASSIGNED:
        return Route.not(new Drop(Name.DROPPED_SERVER_ONLY_TYPE));
      case PACKET_TYPE_UNKNOWN:
      case UNRECOGNIZED:
      default:
        return Route.not(new Drop(Name.DROPPED_UNKNOWN_TYPE));
    }
  }

  private static Route routeMedia(PacketWrapper wrapper) throws IOException {
    MediaHeader header = MediaHeader.read(wrapper.getData());
    return routeMedia(wrapper, header).claiming(header.userId);
  }

  private static Route routeMedia(PacketWrapper wrapper, MediaHeader header) {
    switch (header.type) {
      case VIDEO:
      case SCREEN:
        {
          Route r =
              Route.of(
                  header.keyframe ? Priority.VIDEO_KEY : Priority.VIDEO_DELTA,
                  header.type == MediaType.VIDEO ? Stream.CAMERA : Stream.SCREEN);
          int temporal = header.temporalLayers <= 1 ? 0 : header.temporalLayer;
          if (header.temporalLayers > Packet.Layer.MAX_TEMPORAL + 1
              || (header.temporalLayers > 1 && temporal >= header.temporalLayers)) {
            return Route.not(new Drop(Name.DROPPED_BAD_LAYER));
          }
          if (header.layers <= 1 || header.type != MediaType.VIDEO) {
            // no simulcast (screens are one layer)
            return r.inLayer(Packet.Layer.NONE.withTemporal(temporal));
          }
          if (header.layers > LayerSelector.MAX_SPATIAL || header.layer >= header.layers) {
            return Route.not(new Drop(Name.DROPPED_BAD_LAYER));
          }
          return r.inLayer(new Packet.Layer(header.layer, header.layers, header.height, temporal));
        }
      case AUDIO:
        return Route.of(Priority.AUDIO, Stream.NONE);
      case HEARTBEAT:
        return Route.of(Priority.CONTROL, Stream.NONE);
      case KEYFRAME_REQUEST:
        if (wrapper.getTargetSessionId() == 0) {
          // a keyframe is something one receiver lacks from one sender: asking everyone at once
          // is only ever a flood
          return Route.not(new Drop(Name.DROPPED_UNTARGETED_KEYFRAME_REQUEST));
        }
        if (header.requestLayer > Packet.Layer.MAX_REQUESTED) {
          return Route.not(new Drop(Name.DROPPED_BAD_LAYER));
        }
        boolean screen = header.requested == MediaType.SCREEN;
        // a screen is one layer: a layer asked of it is "the screen", coalesced as one
        return Route.of(Priority.CONTROL, screen ? Stream.SCREEN : Stream.CAMERA)
            .inLayer(Packet.Layer.requested(screen ? 0 : header.requestLayer));
      case RTT:
        return new Route(Priority.CONTROL, Stream.NONE, true, null, "", Packet.Layer.NONE);
      default:
        return Route.not(new Drop(Name.DROPPED_UNKNOWN_TYPE));
    }
  }

  /**
   * The relayed form: the client's own bytes when it already identified itself correctly, else
   * re-serialized with the sender's user and session id (and the media packet's informational user
   * id, when the client filled it in with another); null if the media packet does not parse.
   */
  private static Packet stamped(
      Session from, PacketWrapper wrapper, Route route, byte[] data, int offset, int length) {
    byte[] bytes;
    MediaPacket media = null;
    if (!route.innerUserId.isEmpty() && !route.innerUserId.equals(from.userId())) {
      try {
        media =
            MediaPacket.parseFrom(wrapper.getData()).toBuilder().setUserId(from.userId()).build();
      } catch (InvalidProtocolBufferException e) {
        return null; // the routing fields parsed, the whole packet does not
      }
    }
    if (media == null
        && wrapper.getUserId().equals(from.userId())
        && wrapper.getSessionId() == from.id()) {
      bytes = Arrays.copyOfRange(data, offset, offset + length);
    } else {
      PacketWrapper.Builder b =
          wrapper.toBuilder().setUserId(from.userId()).setSessionId(from.id());
      if (media != null) {
        b.setData(media.toByteString());
      }
      bytes = b.build().toByteArray();
    }
    return new Packet(
        from.meetingId(),
        from.userId(),
        from.id(),
        wrapper.getTargetSessionId(),
        route.priority,
        route.stream,
        bytes,
        route.layer);
  }

  /** The MediaPacket fields routing needs, read without copying the frame. */
  private static final class MediaHeader {
    MediaType type = MediaType.MEDIA_TYPE_UNKNOWN;
    MediaType requested = MediaType.MEDIA_TYPE_UNKNOWN;
    boolean keyframe;
    String userId = "";
    int layer;
    int layers;
    int height;
    int temporalLayer;
    int temporalLayers;
    int requestLayer; // request_layer: 0 every layer, else 1 + the layer; unsigned

    static MediaHeader read(ByteString media) throws IOException {
      MediaHeader h = new MediaHeader();
      CodedInputStream in = media.newCodedInput();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        int wireType = WireFormat.getTagWireType(tag);
        if (field == 1 && wireType == WireFormat.WIRETYPE_VARINT) {
          h.type = mediaType(in.readEnum());
        } else if (field == 2 && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          h.userId = in.readStringRequireUtf8();
        } else if (field == 4 && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          h.keyframe = "key".equals(in.readStringRequireUtf8());
        } else if (field == 10 && wireType == WireFormat.WIRETYPE_VARINT) {
          h.requested = mediaType(in.readEnum());
        } else if (field == 12 && wireType == WireFormat.WIRETYPE_VARINT) {
          int requestLayer = in.readUInt32();
          h.requestLayer = requestLayer < 0 ? Integer.MAX_VALUE : requestLayer; // above 2^31
        } else if (field == 8 && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          h.readVideoMetadata(in);
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      return h;
    }

    /**
     * VideoMetadata's height (4), spatial_layer (6), spatial_layers (7), temporal_layer (8) and
     * temporal_layers (9).
     */
    private void readVideoMetadata(CodedInputStream in) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        boolean varint = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT;
        if (field == 4 && varint) {
          height = in.readUInt32();
        } else if (field == 6 && varint) {
          layer = in.readUInt32();
        } else if (field == 7 && varint) {
          layers = in.readUInt32();
        } else if (field == 8 && varint) {
          temporalLayer = in.readUInt32();
        } else if (field == 9 && varint) {
          temporalLayers = in.readUInt32();
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      in.popLimit(limit);
      // unsigned on the wire: anything above int range is as absurd as a negative
      if (layer < 0 || layers < 0 || height < 0) {
        layer = Integer.MAX_VALUE;
        layers = Integer.MAX_VALUE;
      }
      if (temporalLayer < 0 || temporalLayers < 0) {
        temporalLayers = Integer.MAX_VALUE;
      }
    }

    private static MediaType mediaType(int number) {
      MediaType t = MediaType.forNumber(number);
      return t == null ? MediaType.UNRECOGNIZED : t;
    }
  }
}
