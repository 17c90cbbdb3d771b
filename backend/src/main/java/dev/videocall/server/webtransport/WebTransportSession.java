package dev.videocall.server.webtransport;

import dev.videocall.server.core.Packet;
import dev.videocall.server.core.Session;
import dev.videocall.server.core.SessionLink;
import dev.videocall.types.webtransport.Capsule;
import dev.videocall.webtransport.PacketSender;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;

/** One WebTransport session as the relay core sees it; packets go out by {@link PacketSender}. */
final class WebTransportSession implements SessionLink {
  private final QuicChannel quic;
  private final QuicStreamChannel connectStream;
  private final long sessionId;
  private final PacketSender sender;
  volatile Session relaySession;
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
    if (closed || !quic.isActive()) {
      done.run();
      return;
    }
    sender.send(packet.bytes(), kindOf(packet), error -> done.run());
  }

  private static PacketSender.Kind kindOf(Packet packet) {
    switch (packet.priority()) {
      case AUDIO:
        return PacketSender.Kind.AUDIO;
      case VIDEO_KEY:
      case VIDEO_DELTA:
        return PacketSender.Kind.VIDEO;
      default:
        return PacketSender.Kind.CONTROL;
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
