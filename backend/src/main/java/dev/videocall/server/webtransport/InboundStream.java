package dev.videocall.server.webtransport;

import dev.videocall.server.core.Relay;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.webtransport.UniStreamReader;
import dev.videocall.types.wire.WireFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * A unidirectional stream from the client, after its 0x54 type: the session id, then
 * varint-length-prefixed packets until the stream ends.
 */
final class InboundStream extends ChannelInboundHandlerAdapter {
  private final WebTransportConnection connection;
  private final Relay relay;
  private final UniStreamReader reader;
  private WebTransportSession session;

  InboundStream(WebTransportConnection connection, Relay relay) {
    this.connection = connection;
    this.relay = relay;
    this.reader = new UniStreamReader(relay.config().maxPacketBytes());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      List<byte[]> packets = reader.feed(bytes, 0, bytes.length);
      if (session == null && reader.sessionId() >= 0) {
        session = connection.session(reader.sessionId());
      }
      if (reader.sessionId() >= 0 && (session == null || session.relaySession == null)) {
        ctx.close(); // no such session: nothing to deliver to
        return;
      }
      for (byte[] packet : packets) {
        relay.receive(session.relaySession, packet, 0, packet.length);
      }
    } catch (WireFormatException e) {
      if (session != null && session.relaySession != null) {
        relay.refuse(session.relaySession, CloseCodes.TOO_BIG, e.getMessage());
      }
      ctx.close();
    } finally {
      buf.release();
    }
  }
}
