package dev.videocall.server.webtransport;

import dev.videocall.types.webtransport.ByteQueue;
import dev.videocall.types.webtransport.WebTransportProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * First in every client-initiated bidirectional stream's pipeline, ahead of Netty's HTTP/3 frame
 * codec: a stream that starts with the WebTransport signal 0x41 is taken out of HTTP/3 framing and
 * read like a unidirectional stream (session id, then length-prefixed packets); any other stream
 * (an HTTP/3 request) gets its bytes replayed to the codec untouched.
 */
final class BidiStreamSniffer extends ChannelInboundHandlerAdapter {
  private final java.util.function.Supplier<io.netty.channel.ChannelHandler> packetStream;
  private final ByteQueue first = new ByteQueue();

  /** {@code packetStream} makes the reader of a WebTransport stream (after its signal). */
  BidiStreamSniffer(java.util.function.Supplier<io.netty.channel.ChannelHandler> packetStream) {
    this.packetStream = packetStream;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    first.feed(bytes, 0, bytes.length);
    long signal = first.varintAt(0);
    if (signal < 0) {
      return; // the first varint is not complete yet
    }
    ChannelPipeline pipeline = ctx.pipeline();
    if (signal == WebTransportProtocol.BIDI_STREAM_SIGNAL) {
      for (String name : pipeline.names()) {
        if (!name.equals(ctx.name()) && pipeline.get(name) != null) {
          pipeline.remove(name);
        }
      }
      pipeline.addLast(packetStream.get());
      int n = first.varintLengthAt(0);
      byte[] rest = first.take(n, first.size() - n);
      pipeline.remove(this);
      pipeline.fireChannelRead(Unpooled.wrappedBuffer(rest));
    } else {
      byte[] all = first.take(0, first.size());
      pipeline.remove(this);
      pipeline.fireChannelRead(Unpooled.wrappedBuffer(all));
    }
  }
}
