package dev.videocall.client;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.types.FrameOrder;
import dev.videocall.types.Packets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every sender's video decodable for a receiver: a frame reaches the decoder only when {@link
 * FrameOrder} says it follows the last one decoded from that sender's stream (camera or screen);
 * otherwise it is dropped, and after a gap the sender is asked for a keyframe (at most every {@link
 * #KEYFRAME_REQUEST_GAP_MS} ms per stream). VP8 and VP9 decoders do not refuse a delta frame out of
 * order: they paint garbage, so the check must come before them.
 */
public final class VideoStreams {
  /** Just above a sender's forced-keyframe gap, as in the page. */
  public static final long KEYFRAME_REQUEST_GAP_MS = 400;

  /** Where decodable frames go, in order per sender stream. */
  @FunctionalInterface
  public interface Decoder {
    void decode(long senderSessionId, MediaPacket frame);
  }

  /** Asks a sender for a keyframe of one of its streams. */
  @FunctionalInterface
  public interface KeyframeRequester {
    void request(long senderSessionId, MediaType stream);
  }

  private record Key(long sender, MediaType stream) {}

  private static final class State {
    final FrameOrder order = new FrameOrder();
    long lastRequestNanos;
    boolean requested;
  }

  private final Decoder decoder;
  private final KeyframeRequester requester;
  private final Map<Key, State> streams = new HashMap<>();
  private long decoded;
  private long stale;
  private long gaps;
  private long requests;

  public VideoStreams(Decoder decoder, KeyframeRequester requester) {
    this.decoder = decoder;
    this.requester = requester;
  }

  /** Requests keyframes through {@code client}. */
  public static VideoStreams of(VideocallClient client, Decoder decoder) {
    return new VideoStreams(
        decoder, (target, stream) -> client.send(Packets.keyframeRequest(target, stream)));
  }

  /** Takes any received packet; video and screen frames are checked, the rest ignored. */
  public void onPacket(PacketWrapper p) {
    if (p.getPacketType() != PacketWrapper.PacketType.MEDIA) {
      return;
    }
    MediaPacket m;
    try {
      m = MediaPacket.parseFrom(p.getData());
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    if (m.getMediaType() != MediaType.VIDEO && m.getMediaType() != MediaType.SCREEN) {
      return;
    }
    boolean decode;
    synchronized (this) {
      Key key = new Key(p.getSessionId(), m.getMediaType());
      State s = streams.computeIfAbsent(key, k -> new State());
      dev.videocall.proto.VideoMetadata v = m.getVideoMetadata();
      FrameOrder.Verdict verdict =
          s.order.next(
              Packets.isKeyframe(m),
              v.getSpatialLayer(),
              v.getSequence(),
              v.getTemporalLayers(),
              v.getTemporalLayer(),
              v.getSequenceT0(),
              v.getSequenceT1());
      switch (verdict) {
        case DECODE -> {
          decoded++;
          decode = true;
        }
        case STALE -> {
          stale++;
          decode = false;
        }
        default -> {
          // GAP, or SKIP: an upper temporal layer lost a frame (the lower ones go on)
          gaps += verdict == FrameOrder.Verdict.GAP ? 1 : 0;
          decode = false;
          long now = System.nanoTime();
          if (!s.requested
              || now - s.lastRequestNanos
                  >= TimeUnit.MILLISECONDS.toNanos(KEYFRAME_REQUEST_GAP_MS)) {
            s.requested = true;
            s.lastRequestNanos = now;
            requests++;
            requester.request(key.sender(), key.stream());
          }
        }
      }
    }
    if (decode) {
      decoder.decode(p.getSessionId(), m);
    }
  }

  /** A sender left: forget its streams. */
  public synchronized void forget(long senderSessionId) {
    streams.keySet().removeIf(k -> k.sender() == senderSessionId);
  }

  public synchronized long decoded() {
    return decoded;
  }

  /** Frames dropped because they were older than what was decoded. */
  public synchronized long stale() {
    return stale;
  }

  /** Frames dropped because one before them was missing (or no keyframe yet). */
  public synchronized long gaps() {
    return gaps;
  }

  public synchronized long keyframeRequests() {
    return requests;
  }
}
