package dev.videocall.server.webtransport;

import dev.videocall.server.core.Packet;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Session;
import dev.videocall.server.core.SessionLink;
import dev.videocall.types.webtransport.Capsule;
import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.types.wire.PacketDeframer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;

/**
 * One WebTransport session as the relay core sees it. Mapping of packets (both directions): control
 * packets (meeting events, keyframe requests, keys, heartbeats) on one long-lived unidirectional
 * stream, in order; each video frame on a stream of its own, so a lost QUIC packet delays only that
 * frame; audio as a datagram when it fits, else on a stream of its own. Every stream carries
 * varint-length-prefixed PacketWrappers; a datagram carries exactly one.
 */
final class WebTransportSession implements SessionLink {
  /** Conservative datagram payload that fits a 1200-byte QUIC packet with headers. */
  static final int MAX_DATAGRAM_PAYLOAD = 1000;

  private final QuicChannel quic;
  private final QuicStreamChannel connectStream;
  private final long sessionId;
  private Future<QuicStreamChannel> controlStream;
  volatile Session relaySession;
  private volatile boolean closed;

  WebTransportSession(QuicChannel quic, QuicStreamChannel connectStream) {
    this.quic = quic;
    this.connectStream = connectStream;
    this.sessionId = connectStream.streamId();
  }

  long sessionId() {
    return sessionId;
  }

  @Override
  public void write(Packet packet, Runnable done) {
    if (closed || !quic.isActive()) {
      done.run();
      return;
    }
    quic.eventLoop().execute(() -> writeOnLoop(packet, done));
  }

  private void writeOnLoop(Packet packet, Runnable done) {
    byte[] bytes = packet.bytes();
    ChannelFutureListener finished = f -> done.run();
    if (packet.priority() == Priority.CONTROL) {
      if (controlStream == null) {
        controlStream = openStream();
      }
      controlStream.addListener(
          f -> {
            if (!f.isSuccess()) {
              done.run();
              return;
            }
            controlStream
                .getNow()
                .writeAndFlush(Unpooled.wrappedBuffer(PacketDeframer.frame(bytes)))
                .addListener(finished);
          });
    } else if (packet.priority() == Priority.AUDIO && bytes.length <= MAX_DATAGRAM_PAYLOAD) {
      ByteBuf datagram =
          Unpooled.wrappedBuffer(WebTransportProtocol.datagramPrefix(sessionId), bytes);
      quic.writeAndFlush(datagram).addListener(finished);
    } else {
      openStream()
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  done.run();
                  return;
                }
                QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
                stream
                    .writeAndFlush(Unpooled.wrappedBuffer(PacketDeframer.frame(bytes)))
                    .addListener(
                        w -> {
                          stream.shutdownOutput();
                          done.run();
                        });
              });
    }
  }

  /** A new unidirectional stream of this session, its header already written. */
  private Future<QuicStreamChannel> openStream() {
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

  boolean isClosed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }

  @Override
  public String transport() {
    return "webtransport";
  }
}
