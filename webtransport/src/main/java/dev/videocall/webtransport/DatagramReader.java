package dev.videocall.webtransport;

import dev.videocall.types.webtransport.QuicVarint;
import dev.videocall.types.webtransport.WebTransportProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * On a QUIC channel's pipeline: HTTP/3 datagrams (quarter stream id, then one packet) handed to
 * {@link #onDatagram} with their session id; everything else passes on.
 */
public abstract class DatagramReader extends ChannelInboundHandlerAdapter {
  /** One datagram's packet: {@code length} bytes at {@code offset} of {@code packet}. */
  protected abstract void onDatagram(long sessionId, byte[] packet, int offset, int length);

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      byte[] bytes = Bytes.of(buf);
      long quarter = QuicVarint.read(bytes, 0, bytes.length);
      if (quarter >= 0) {
        int n = QuicVarint.lengthOf(bytes[0]);
        onDatagram(WebTransportProtocol.sessionOfDatagram(quarter), bytes, n, bytes.length - n);
      }
    } finally {
      ReferenceCountUtil.release(buf);
    }
  }
}
