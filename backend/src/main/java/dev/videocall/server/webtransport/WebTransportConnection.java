package dev.videocall.server.webtransport;

import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Relay;
import dev.videocall.server.core.Session;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.webtransport.DatagramReader;
import dev.videocall.webtransport.InboundPackets;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One QUIC connection from a browser: its WebTransport sessions (usually one), inbound datagrams
 * and streams routed to them, and cleanup when the connection goes away. It bounds what the
 * connection can make the server hold: sessions ({@code --max-sessions-per-connection}) and bytes
 * of unfinished packets across its streams ({@code --max-buffered-bytes-per-connection}); a stream
 * of an unknown type or for a session it does not have is discarded unread.
 */
final class WebTransportConnection extends DatagramReader implements InboundPackets.Listener {
  private static final Logger log = LoggerFactory.getLogger(WebTransportConnection.class);

  /** Application error code of a connection closed for holding too much. */
  static final int BUFFER_LIMIT_ERROR = 0x1_0001;

  /** Limits of one connection, and the server-wide total of buffered bytes it adds to. */
  record Limits(
      int maxSessions, long maxBufferedBytes, java.util.concurrent.atomic.LongAdder total) {}

  private final Relay relay;
  private final ConnectionBudget budget;
  private final Map<Long, WebTransportSession> sessions = new ConcurrentHashMap<>();
  private QuicChannel quic; // set when the handler is added
  private long buffered; // on the connection's event loop, like all of its streams
  private boolean overLimit;
  private boolean gone;

  WebTransportConnection(Relay relay, ConnectionBudget budget) {
    this.relay = relay;
    this.budget = budget;
  }

  private Counters counters() {
    return relay.counters();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    quic = (QuicChannel) ctx.channel();
  }

  /** False when the connection already has as many sessions as allowed. */
  boolean add(WebTransportSession s) {
    if (sessions.size() >= budget.limits().maxSessions()) {
      counters().inc(Name.WEBTRANSPORT_SESSIONS_REFUSED);
      return false;
    }
    sessions.put(s.sessionId(), s);
    return true;
  }

  /** The session's CONNECT stream ended: the session is over. */
  void ended(WebTransportSession s, String reason) {
    sessions.remove(s.sessionId());
    s.markClosed();
    if (s.relaySession != null) {
      relay.leave(s.relaySession, reason);
    }
  }

  /** Handler for a new unidirectional stream of {@code type}: others are discarded, counted. */
  ChannelHandler uniStream(long type) {
    if (type == WebTransportProtocol.UNI_STREAM_TYPE) {
      return inboundStream();
    }
    counters().inc(Name.WEBTRANSPORT_STREAMS_REFUSED);
    return new Discard();
  }

  /** Reader of a client stream (unidirectional, or bidirectional after its signal). */
  ChannelHandler inboundStream() {
    return new InboundPackets(relay.maxPacketBytes(), this);
  }

  @Override
  public boolean accepts(long sessionId) {
    WebTransportSession s = sessions.get(sessionId);
    if (s == null || s.relaySession == null) {
      counters().inc(Name.WEBTRANSPORT_STREAMS_REFUSED);
      return false;
    }
    return true;
  }

  @Override
  public boolean holding(long delta) {
    if (gone) {
      return delta <= 0; // already given back in full when the connection ended
    }
    buffered += delta;
    boolean withinTotal = budget.hold(delta);
    if (delta > 0 && (buffered > budget.limits().maxBufferedBytes() || !withinTotal)) {
      if (!overLimit) {
        overLimit = true;
        counters().inc(Name.WEBTRANSPORT_BUFFER_LIMIT);
        log.info(
            "closing a WebTransport connection from {}: {} bytes of unfinished packets (limit {})",
            quic == null ? "?" : quic.remoteSocketAddress(),
            buffered,
            budget.limits().maxBufferedBytes());
        closeConnection(BUFFER_LIMIT_ERROR, "too many unfinished packets");
      }
      return false;
    }
    return true;
  }

  /** Bytes of unfinished packets held for this connection now (tests). */
  long buffered() {
    return buffered;
  }

  private void closeConnection(int code, String reason) {
    if (quic != null) {
      quic.close(true, code, Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
    }
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
    gone = true;
    budget.hold(-buffered); // its streams go with it, whenever they are told
    buffered = 0;
    for (WebTransportSession s : sessions.values()) {
      ended(s, "connection closed");
    }
    ctx.fireChannelInactive();
  }

  static QuicChannel quic(ChannelHandlerContext streamCtx) {
    return (QuicChannel) streamCtx.channel().parent();
  }

  /** A stream nobody reads: closed at once (STOP_SENDING), whatever it carries. */
  private static final class Discard extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) {
        ctx.close();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
