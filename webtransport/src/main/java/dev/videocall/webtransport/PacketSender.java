package dev.videocall.webtransport;

import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.types.wire.PacketDeframer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The packet mapping of a WebTransport session, the same on server and client: control packets on
 * one long-lived unidirectional stream (in order); each video frame on a unidirectional stream of
 * its own (a lost QUIC packet delays only that frame); audio as an HTTP/3 datagram when it fits,
 * else on a stream of its own. Streams carry varint-length-prefixed packets; a datagram carries
 * one.
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
      quic.writeAndFlush(datagram).addListener(f -> done.accept(f.cause()));
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
            control
                .getNow()
                .writeAndFlush(Unpooled.wrappedBuffer(PacketDeframer.frame(packet)))
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
