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
 *
 * <p>Nothing of a stream is kept before its session is known to the listener ({@link
 * Listener#accepts}): a stream for a session that does not exist (or belongs to another connection)
 * is closed as soon as its header is read. Every change in the bytes the stream holds for
 * unfinished packets is reported ({@link Listener#holding}), so the owner can bound what one
 * connection makes the process keep.
 */
public final class InboundPackets extends ChannelInboundHandlerAdapter {
  /** Where the packets go. */
  public interface Listener {
    /**
     * Whether this stream's packets may be read: checked once, when its session id is known. False
     * closes the stream at once.
     */
    default boolean accepts(long sessionId) {
      return true;
    }

    /** Returns false to stop reading the stream (no such session); it is then closed. */
    boolean onPacket(long sessionId, byte[] packet);

    /** A packet declared more than the limit; the stream is closed after this. */
    void onOversized(long sessionId, String reason);

    /**
     * The bytes this stream holds for unfinished packets changed by {@code delta}. Returns false
     * when that is more than allowed: the stream is closed (the listener may do more).
     */
    default boolean holding(long delta) {
      return true;
    }
  }

  private final UniStreamReader reader;
  private final Listener listener;
  private boolean accepted;
  private boolean done;
  private long held;

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
      if (done) {
        return;
      }
      byte[] bytes = Bytes.of(buf);
      for (byte[] packet : reader.feed(bytes, 0, bytes.length)) {
        if (!admitted(ctx) || !listener.onPacket(reader.sessionId(), packet)) {
          stop(ctx);
          return;
        }
      }
      if (reader.sessionId() >= 0 && !admitted(ctx)) {
        stop(ctx);
        return;
      }
      if (!account()) {
        stop(ctx);
      }
    } catch (WireFormatException e) {
      listener.onOversized(reader.sessionId(), e.getMessage());
      stop(ctx);
    } finally {
      buf.release();
    }
  }

  private boolean admitted(ChannelHandlerContext ctx) {
    if (!accepted) {
      accepted = listener.accepts(reader.sessionId());
    }
    return accepted;
  }

  /** Reports the change in bytes held; false when the listener says it is too much. */
  private boolean account() {
    long now = reader.retained();
    long delta = now - held;
    held = now;
    return delta == 0 || listener.holding(delta);
  }

  private void stop(ChannelHandlerContext ctx) {
    done = true;
    release();
    ctx.close();
  }

  private void release() {
    if (held != 0) {
      listener.holding(-held);
      held = 0;
    }
  }

  /**
   * The peer finished the stream (FIN): close our side, so that QUIC counts it as done and gives
   * the peer its stream credit back. Without this, a peer allowed N concurrent streams could open
   * only N in all.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent
        || evt instanceof io.netty.channel.socket.ChannelInputShutdownReadComplete) {
      release();
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    stop(ctx); // a reset stream, say: nothing to log per stream
  }
}
