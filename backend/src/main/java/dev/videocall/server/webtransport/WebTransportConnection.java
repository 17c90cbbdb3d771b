package dev.videocall.server.webtransport;

import dev.videocall.server.core.Relay;
import dev.videocall.server.core.Session;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.webtransport.DatagramReader;
import dev.videocall.webtransport.InboundPackets;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One QUIC connection from a browser: its WebTransport sessions (usually one), inbound datagrams
 * and streams routed to them, and cleanup when the connection goes away.
 */
final class WebTransportConnection extends DatagramReader implements InboundPackets.Listener {
  private final Relay relay;
  private final Map<Long, WebTransportSession> sessions = new ConcurrentHashMap<>();

  WebTransportConnection(Relay relay) {
    this.relay = relay;
  }

  void add(WebTransportSession s) {
    sessions.put(s.sessionId(), s);
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
    return type == WebTransportProtocol.UNI_STREAM_TYPE ? inboundStream() : null;
  }

  /** Reader of a client stream (unidirectional, or bidirectional after its signal). */
  ChannelHandler inboundStream() {
    return new InboundPackets(relay.config().maxPacketBytes(), this);
  }

  @Override
  public boolean onPacket(long sessionId, byte[] packet) {
    Session s = relaySession(sessionId);
    if (s == null) {
      return false;
    }
    relay.receive(s, packet, 0, packet.length);
    return true;
  }

  @Override
  public void onOversized(long sessionId, String reason) {
    Session s = relaySession(sessionId);
    if (s != null) {
      relay.refuse(s, CloseCodes.TOO_BIG, reason);
    }
  }

  @Override
  protected void onDatagram(long sessionId, byte[] packet, int offset, int length) {
    Session s = relaySession(sessionId);
    if (s != null) {
      relay.receive(s, packet, offset, length);
    }
  }

  private Session relaySession(long sessionId) {
    WebTransportSession s = sessions.get(sessionId);
    return s == null ? null : s.relaySession;
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
