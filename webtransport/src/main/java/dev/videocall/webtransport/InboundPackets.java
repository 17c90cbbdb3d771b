package dev.videocall.webtransport;

import dev.videocall.types.webtransport.UniStreamReader;
import dev.videocall.types.wire.WireFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * An incoming WebTransport stream after its type or signal: the session id, then
 * varint-length-prefixed packets, each handed to the listener as it completes.
 */
public final class InboundPackets extends ChannelInboundHandlerAdapter {
  /** Where the packets go. */
  public interface Listener {
    /** Returns false to stop reading the stream (no such session); it is then closed. */
    boolean onPacket(long sessionId, byte[] packet);

    /** A packet declared more than the limit; the stream is closed after this. */
    void onOversized(long sessionId, String reason);
  }

  private final UniStreamReader reader;
  private final Listener listener;

  public InboundPackets(int maxPacketBytes, Listener listener) {
    this.reader = new UniStreamReader(maxPacketBytes);
    this.listener = listener;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      byte[] bytes = Bytes.of(buf);
      for (byte[] packet : reader.feed(bytes, 0, bytes.length)) {
        if (!listener.onPacket(reader.sessionId(), packet)) {
          ctx.close();
          return;
        }
      }
    } catch (WireFormatException e) {
      listener.onOversized(reader.sessionId(), e.getMessage());
      ctx.close();
    } finally {
      buf.release();
    }
  }
}
