package dev.videocall.webtransport;

import dev.videocall.types.webtransport.PacketRoute;
import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.types.wire.PacketDeframer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.Future;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sends packets of one WebTransport session by {@link PacketRoute}, the same on server and client:
 * control packets on one long-lived unidirectional stream, video on a stream per group of pictures,
 * audio as an HTTP/3 datagram when it fits, else on a stream of its own.
 */
public final class PacketSender {
  /** What the sender needs of a QUIC connection; tests give it Netty EmbeddedChannels. */
  public interface Connection {
    EventLoop eventLoop();

    /** Opens a unidirectional stream. */
    Future<Channel> openStream();

    /** Where datagrams are written. */
    Channel datagrams();

    /** Ends a stream's sending side (FIN) once what was written before is out. */
    void finish(Channel stream);
  }

  /** The connection of a QUIC channel. */
  public static Connection of(QuicChannel quic) {
    return new Connection() {
      @Override
      public EventLoop eventLoop() {
        return quic.eventLoop();
      }

      @Override
      public Future<Channel> openStream() {
        return StreamOpener.of(quic).open();
      }

      @Override
      public Channel datagrams() {
        return quic;
      }

      @Override
      public void finish(Channel stream) {
        ((QuicStreamChannel) stream).shutdownOutput();
      }
    };
  }

  private final Connection connection;
  private final long sessionId;
  private Future<Channel> control;
  private final Map<Long, Future<Channel>> groups = new HashMap<>(); // on the event loop
  private boolean batching; // on the event loop: writes wait for the flush at the batch's end
  private final Set<Channel> unflushed = new LinkedHashSet<>();

  /**
   * One packet of a batch.
   *
   * @param packet the encoded PacketWrapper
   * @param route where it goes ({@link PacketRoute#of})
   * @param group for video: which sequence of groups (e.g. sender and camera or screen)
   * @param done told null on success or the failure, on the event loop
   */
  public record Outgoing(byte[] packet, PacketRoute route, long group, Consumer<Throwable> done) {}

  public PacketSender(QuicChannel quic, long sessionId) {
    this(of(quic), sessionId);
  }

  public PacketSender(Connection connection, long sessionId) {
    this.connection = connection;
    this.sessionId = sessionId;
  }

  /**
   * Sends packets in order with one hop to the event loop and one flush per touched stream at the
   * end, so that the connection sends them in as few UDP packets and system calls as it can.
   */
  public void sendAll(List<Outgoing> batch) {
    if (!connection.eventLoop().inEventLoop()) {
      connection.eventLoop().execute(() -> sendAll(batch));
      return;
    }
    batching = true;
    try {
      for (Outgoing o : batch) {
        sendNow(o);
      }
    } finally {
      batching = false;
      for (Channel c : unflushed) {
        c.flush();
      }
      unflushed.clear();
    }
  }

  /** Sends one packet; may be called from any thread. */
  public void send(Outgoing o) {
    if (!connection.eventLoop().inEventLoop()) {
      connection.eventLoop().execute(() -> send(o));
      return;
    }
    sendNow(o);
  }

  private void sendNow(Outgoing o) {
    switch (o.route()) {
      case DATAGRAM -> {
        ByteBuf datagram =
            Unpooled.wrappedBuffer(WebTransportProtocol.datagramPrefix(sessionId), o.packet());
        write(connection.datagrams(), datagram).addListener(f -> o.done().accept(f.cause()));
      }
      case CONTROL -> {
        if (control == null) {
          control = open();
        }
        writeWhenOpen(control, o);
      }
      case NEW_GROUP, GROUP -> sendInGroup(o);
      case OWN_STREAM -> {
        Future<Channel> stream = open();
        stream.addListener(
            f -> {
              if (!f.isSuccess()) {
                o.done().accept(f.cause());
                return;
              }
              Channel c = stream.getNow();
              c.writeAndFlush(Unpooled.wrappedBuffer(PacketDeframer.frame(o.packet())))
                  .addListener(
                      w -> {
                        connection.finish(c);
                        o.done().accept(w.cause());
                      });
            });
      }
    }
  }

  /**
   * A video frame on the stream of its group of pictures: a keyframe ({@link
   * PacketRoute#NEW_GROUP}) ends the group's previous stream and opens a new one; the frames that
   * depend on it follow on that stream. A group arriving before its stream is open waits, in order,
   * for it.
   */
  private void sendInGroup(Outgoing o) {
    Future<Channel> stream = groups.get(o.group());
    if (stream == null || o.route() == PacketRoute.NEW_GROUP) {
      if (stream != null) {
        finish(stream);
      }
      stream = open();
      groups.put(o.group(), stream);
    }
    Future<Channel> current = stream;
    current.addListener(
        f -> {
          if (!f.isSuccess()) {
            groups.remove(o.group(), current);
          }
        });
    writeWhenOpen(current, o);
  }

  private void writeWhenOpen(Future<Channel> stream, Outgoing o) {
    if (stream.isDone()) {
      writeOn(stream, o); // the common case: no listener, and written within this batch
      return;
    }
    stream.addListener(f -> writeOn(stream, o));
  }

  private void writeOn(Future<Channel> stream, Outgoing o) {
    if (!stream.isSuccess()) {
      o.done().accept(stream.cause());
      return;
    }
    write(stream.getNow(), Unpooled.wrappedBuffer(PacketDeframer.frame(o.packet())))
        .addListener(w -> o.done().accept(w.cause()));
  }

  /** Writes now and flushes at the end of the current batch, or at once outside one. */
  private ChannelFuture write(Channel channel, ByteBuf data) {
    if (batching) {
      unflushed.add(channel);
      return channel.write(data);
    }
    return channel.writeAndFlush(data);
  }

  /** Ends a group's stream, e.g. when its sender left. */
  public void endGroup(long group) {
    if (!connection.eventLoop().inEventLoop()) {
      connection.eventLoop().execute(() -> endGroup(group));
      return;
    }
    Future<Channel> stream = groups.remove(group);
    if (stream != null) {
      finish(stream);
    }
  }

  private void finish(Future<Channel> stream) {
    stream.addListener(
        f -> {
          if (f.isSuccess()) {
            Channel channel = stream.getNow();
            unflushed.remove(channel);
            // FIN only once everything written before is out: an empty write completes after them
            channel
                .writeAndFlush(Unpooled.EMPTY_BUFFER)
                .addListener(w -> connection.finish(channel));
          }
        });
  }

  /** A new unidirectional stream of this session, its header written first. */
  private Future<Channel> open() {
    Future<Channel> created = connection.openStream();
    created.addListener(
        f -> {
          if (f.isSuccess()) {
            created
                .getNow()
                .write(Unpooled.wrappedBuffer(WebTransportProtocol.uniStreamHeader(sessionId)));
          }
        });
    return created;
  }
}
