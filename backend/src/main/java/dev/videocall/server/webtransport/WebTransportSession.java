package dev.videocall.server.webtransport;

import dev.videocall.server.core.Packet;
import dev.videocall.server.core.Session;
import dev.videocall.server.core.SessionLink;
import dev.videocall.types.webtransport.Capsule;
import dev.videocall.types.webtransport.PacketRoute;
import dev.videocall.webtransport.PacketSender;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** One WebTransport session as the relay core sees it; packets go out by {@link PacketSender}. */
final class WebTransportSession implements SessionLink {
  private final QuicChannel quic;
  private final QuicStreamChannel connectStream;
  private final long sessionId;
  private final PacketSender sender;
  volatile Session relaySession;
  private List<PacketSender.Outgoing> held = new ArrayList<>(); // guarded by this
  private volatile boolean closed;

  WebTransportSession(QuicChannel quic, QuicStreamChannel connectStream) {
    this.quic = quic;
    this.connectStream = connectStream;
    this.sessionId = connectStream.streamId();
    this.sender = new PacketSender(quic, sessionId);
  }

  long sessionId() {
    return sessionId;
  }

  @Override
  public void write(Packet packet, Runnable done) {
    writeMore(packet, done);
    flush(() -> {});
  }

  /** Held until the next write or flush, which sends the batch with one hop to the event loop. */
  @Override
  public void writeMore(Packet packet, Runnable done) {
    if (closed || !quic.isActive()) {
      done.run();
      return;
    }
    Consumer<Throwable> completion = error -> done.run();
    PacketSender.Outgoing o =
        new PacketSender.Outgoing(
            packet.bytes(),
            PacketRoute.of(
                mediaKindOf(packet), packet.priority() == Packet.Priority.VIDEO_KEY, packet.size()),
            groupOf(packet),
            completion);
    synchronized (this) {
      held.add(o);
    }
  }

  @Override
  public boolean reliable(Packet packet) {
    return PacketRoute.of(
            mediaKindOf(packet), packet.priority() == Packet.Priority.VIDEO_KEY, packet.size())
        != PacketRoute.DATAGRAM;
  }

  @Override
  public void flush(Runnable done) {
    List<PacketSender.Outgoing> batch = null;
    synchronized (this) {
      if (!held.isEmpty()) {
        batch = held;
        held = new ArrayList<>();
      }
    }
    if (batch != null) {
      sender.sendAll(batch);
    }
    done.run();
  }

  /** Writes are cheap to queue on Netty; the outbox keeps the rest, where it can drop. */
  @Override
  public int maxWritesInFlight() {
    return 32;
  }

  /**
   * A write completes when QUIC has taken it, which it does up to its congestion window; beyond
   * that, what is written waits in Netty where nothing can drop it. 32 frames of a 600 kbit/s layer
   * are 2 s of a 300 kbit/s link: when a viewer's link fell to that, the browser trial saw a queue
   * of 4.7 s and a freeze of 1.1 s after the switch to the smallest layer. 16 KB: a few frames, or
   * one keyframe, more than QUIC sends at once.
   */
  static final int MAX_BYTES_IN_FLIGHT = 16 * 1024;

  @Override
  public long maxBytesInFlight() {
    return MAX_BYTES_IN_FLIGHT;
  }

  /** One group sequence per sender and stream (camera, screen). */
  private static long groupOf(Packet packet) {
    return groupOf(packet.senderSessionId(), packet.stream());
  }

  private static long groupOf(long senderSessionId, Packet.Stream stream) {
    return senderSessionId * 31 + stream.ordinal();
  }

  @Override
  public void senderLeft(long senderSessionId) {
    for (Packet.Stream stream : Packet.Stream.values()) {
      sender.endGroup(groupOf(senderSessionId, stream));
    }
  }

  /** The media kind {@link PacketRoute} routes by, from what ingress found in the packet. */
  private static int mediaKindOf(Packet packet) {
    switch (packet.priority()) {
      case AUDIO:
        return PacketRoute.KIND_AUDIO;
      case VIDEO_KEY:
      case VIDEO_DELTA:
        return packet.stream() == Packet.Stream.SCREEN
            ? PacketRoute.KIND_SCREEN
            : PacketRoute.KIND_VIDEO;
      default:
        return 0;
    }
  }

  /**
   * Ends the session with CLOSE_WEBTRANSPORT_SESSION(code, reason) and FIN on its CONNECT stream.
   */
  @Override
  public void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    quic.eventLoop()
        .execute(
            () -> {
              if (!connectStream.isActive()) {
                return;
              }
              byte[] capsule = Capsule.closeSession(code, reason).encode();
              connectStream
                  .writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(capsule)))
                  .addListener(f -> connectStream.shutdownOutput());
            });
  }

  void markClosed() {
    closed = true;
  }

  @Override
  public String transport() {
    return "webtransport";
  }
}
