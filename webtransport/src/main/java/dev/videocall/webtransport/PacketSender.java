package dev.videocall.webtransport;

import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.types.wire.PacketDeframer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The packet mapping of a WebTransport session, the same on server and client: control packets on
 * one long-lived unidirectional stream (in order); video either on a unidirectional stream per
 * frame ({@link #send}) or on a stream per group of pictures ({@link #sendInGroup}); audio as an
 * HTTP/3 datagram when it fits, else on a stream of its own. Streams carry varint-length-prefixed
 * packets; a datagram carries one. Receivers read every stream incrementally, so they need not know
 * which mapping the sender chose.
 */
public final class PacketSender {
  /** What a packet is, as far as the mapping cares. */
  public enum Kind {
    CONTROL,
    AUDIO,
    VIDEO
  }

  /** Conservative datagram payload that fits a 1200-byte QUIC packet with its headers. */
  public static final int MAX_DATAGRAM_PAYLOAD = 1000;

  private final QuicChannel quic;
  private final long sessionId;
  private Future<QuicStreamChannel> control;
  private final Map<Long, Future<QuicStreamChannel>> groups = new HashMap<>(); // on the event loop
  private boolean batching; // on the event loop: writes wait for the flush at the batch's end
  private final Set<Channel> unflushed = new LinkedHashSet<>();

  /** One packet of a batch; {@code group} and {@code startsGroup} matter for grouped video. */
  public record Outgoing(
      byte[] packet,
      Kind kind,
      boolean grouped,
      long group,
      boolean startsGroup,
      Consumer<Throwable> done) {}

  /**
   * Sends packets in order with one hop to the event loop and one flush per touched stream at the
   * end, so that the connection sends them in as few UDP packets and system calls as it can.
   */
  public void sendAll(List<Outgoing> batch) {
    if (!quic.eventLoop().inEventLoop()) {
      quic.eventLoop().execute(() -> sendAll(batch));
      return;
    }
    batching = true;
    try {
      for (Outgoing o : batch) {
        if (o.grouped()) {
          sendInGroup(o.packet(), o.group(), o.startsGroup(), o.done());
        } else {
          send(o.packet(), o.kind(), o.done());
        }
      }
    } finally {
      batching = false;
      for (Channel c : unflushed) {
        c.flush();
      }
      unflushed.clear();
    }
  }

  /** Writes now and flushes at the end of the current batch, or at once outside one. */
  private ChannelFuture write(Channel channel, ByteBuf data) {
    if (batching) {
      unflushed.add(channel);
      return channel.write(data);
    }
    return channel.writeAndFlush(data);
  }

  public PacketSender(QuicChannel quic, long sessionId) {
    this.quic = quic;
    this.sessionId = sessionId;
  }

  /**
   * Sends one packet; {@code done} gets null on success or the failure, on the event loop. May be
   * called from any thread.
   */
  public void send(byte[] packet, Kind kind, Consumer<Throwable> done) {
    if (!quic.eventLoop().inEventLoop()) {
      quic.eventLoop().execute(() -> send(packet, kind, done));
      return;
    }
    if (kind == Kind.AUDIO && packet.length <= MAX_DATAGRAM_PAYLOAD) {
      ByteBuf datagram =
          Unpooled.wrappedBuffer(WebTransportProtocol.datagramPrefix(sessionId), packet);
      write(quic, datagram).addListener(f -> done.accept(f.cause()));
    } else if (kind == Kind.CONTROL) {
      if (control == null) {
        control = openStream(quic, sessionId);
      }
      control.addListener(
          f -> {
            if (!f.isSuccess()) {
              done.accept(f.cause());
              return;
            }
            write(control.getNow(), Unpooled.wrappedBuffer(PacketDeframer.frame(packet)))
                .addListener(w -> done.accept(w.cause()));
          });
    } else {
      openStream(quic, sessionId)
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  done.accept(f.cause());
                  return;
                }
                QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
                stream
                    .writeAndFlush(Unpooled.wrappedBuffer(PacketDeframer.frame(packet)))
                    .addListener(
                        w -> {
                          stream.shutdownOutput();
                          done.accept(w.cause());
                        });
              });
    }
  }

  /**
   * Sends a video frame on the stream of its group of pictures: a keyframe ({@code startsGroup})
   * ends the group's previous stream and opens a new one; the frames that depend on it follow on
   * that stream. A lost QUIC packet delays only later frames of the same group, which could not be
   * decoded before it anyway, and one stream per group instead of per frame saves the stream setup
   * for every frame. {@code group} names the sequence (e.g. sender and camera or screen).
   */
  public void sendInGroup(
      byte[] packet, long group, boolean startsGroup, Consumer<Throwable> done) {
    if (!quic.eventLoop().inEventLoop()) {
      quic.eventLoop().execute(() -> sendInGroup(packet, group, startsGroup, done));
      return;
    }
    Future<QuicStreamChannel> stream = groups.get(group);
    if (stream == null || startsGroup) {
      if (stream != null) {
        finish(stream);
      }
      stream = openStream(quic, sessionId);
      groups.put(group, stream);
    }
    Future<QuicStreamChannel> current = stream;
    current.addListener(
        f -> {
          if (!f.isSuccess()) {
            groups.remove(group, current);
            done.accept(f.cause());
            return;
          }
          write(current.getNow(), Unpooled.wrappedBuffer(PacketDeframer.frame(packet)))
              .addListener(w -> done.accept(w.cause()));
        });
  }

  /** Ends a group's stream, e.g. when its sender left. */
  public void endGroup(long group) {
    if (!quic.eventLoop().inEventLoop()) {
      quic.eventLoop().execute(() -> endGroup(group));
      return;
    }
    Future<QuicStreamChannel> stream = groups.remove(group);
    if (stream != null) {
      finish(stream);
    }
  }

  private void finish(Future<QuicStreamChannel> stream) {
    stream.addListener(
        f -> {
          if (f.isSuccess()) {
            QuicStreamChannel channel = (QuicStreamChannel) f.getNow();
            unflushed.remove(channel);
            // FIN only once everything written before is out: an empty write completes after them
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(w -> channel.shutdownOutput());
          }
        });
  }

  /** A new unidirectional stream of session {@code sessionId}, its header already written. */
  public static Future<QuicStreamChannel> openStream(QuicChannel quic, long sessionId) {
    Future<QuicStreamChannel> created =
        quic.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter());
    created.addListener(
        f -> {
          if (f.isSuccess()) {
            ((QuicStreamChannel) f.getNow())
                .write(Unpooled.wrappedBuffer(WebTransportProtocol.uniStreamHeader(sessionId)));
          }
        });
    return created;
  }
}
