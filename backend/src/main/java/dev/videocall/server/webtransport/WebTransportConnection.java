package dev.videocall.server.webtransport;

import dev.videocall.server.core.Relay;
import dev.videocall.types.webtransport.QuicVarint;
import dev.videocall.types.webtransport.WebTransportProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One QUIC connection from a browser: its WebTransport sessions (usually one), inbound datagrams
 * and unidirectional streams routed to them, and cleanup when the connection goes away.
 */
final class WebTransportConnection extends ChannelInboundHandlerAdapter {
  private final Relay relay;
  private final Map<Long, WebTransportSession> sessions = new ConcurrentHashMap<>();

  WebTransportConnection(Relay relay) {
    this.relay = relay;
  }

  void add(WebTransportSession s) {
    sessions.put(s.sessionId(), s);
  }

  WebTransportSession session(long id) {
    return sessions.get(id);
  }

  /** The session's CONNECT stream ended: the session is over. */
  void ended(WebTransportSession s, String reason) {
    sessions.remove(s.sessionId());
    s.markClosed();
    if (s.relaySession != null) {
      relay.leave(s.relaySession, reason);
    }
  }

  /** Handler for a new unidirectional stream of {@code type}; null refuses other stream types. */
  ChannelHandler uniStream(long type) {
    return type == WebTransportProtocol.UNI_STREAM_TYPE ? new InboundStream(this, relay) : null;
  }

  /** Datagrams reach the QUIC channel's pipeline as ByteBufs: quarter stream id, one packet. */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      long quarter = QuicVarint.read(bytes, 0, bytes.length);
      if (quarter < 0) {
        return;
      }
      WebTransportSession s = sessions.get(WebTransportProtocol.sessionOfDatagram(quarter));
      if (s == null || s.relaySession == null) {
        return;
      }
      int n = QuicVarint.lengthOf(bytes[0]);
      relay.receive(s.relaySession, bytes, n, bytes.length - n);
    } finally {
      ReferenceCountUtil.release(buf);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (WebTransportSession s : sessions.values()) {
      ended(s, "connection closed");
    }
    ctx.fireChannelInactive();
  }

  static QuicChannel quic(ChannelHandlerContext streamCtx) {
    return (QuicChannel) streamCtx.channel().parent();
  }
}
