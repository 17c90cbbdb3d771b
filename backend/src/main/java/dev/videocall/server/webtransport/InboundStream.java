package dev.videocall.server.webtransport;

import dev.videocall.server.core.Relay;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.webtransport.ByteQueue;
import dev.videocall.types.wire.PacketDeframer;
import dev.videocall.types.wire.WireFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * A unidirectional stream from the client, after its 0x54 type: the session id, then
 * varint-length-prefixed packets until the stream ends.
 */
final class InboundStream extends ChannelInboundHandlerAdapter {
  private final WebTransportConnection connection;
  private final Relay relay;
  private final ByteQueue header = new ByteQueue();
  private final PacketDeframer deframer;
  private WebTransportSession session;

  InboundStream(WebTransportConnection connection, Relay relay) {
    this.connection = connection;
    this.relay = relay;
    this.deframer = new PacketDeframer(relay.config().maxPacketBytes());
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
      if (session == null) {
        header.feed(bytes, 0, bytes.length);
        long id = header.varintAt(0);
        if (id < 0) {
          return;
        }
        int n = header.varintLengthAt(0);
        session = connection.session(id);
        if (session == null || session.relaySession == null) {
          ctx.close(); // no such session: nothing to deliver to
          return;
        }
        bytes = header.take(n, header.size() - n);
      }
      deframer.feed(bytes, 0, bytes.length);
      for (byte[] packet = deframer.next(); packet != null; packet = deframer.next()) {
        relay.receive(session.relaySession, packet, 0, packet.length);
      }
    } catch (WireFormatException e) {
      relay.refuse(session.relaySession, CloseCodes.TOO_BIG, e.getMessage());
      ctx.close();
    } finally {
      buf.release();
    }
  }
}
