package dev.videocall.webtransport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Opens unidirectional streams of one QUIC connection one at a time, waiting for the peer's credit
 * (MAX_STREAMS) when it has none left, as browsers do. Netty fails a stream opened without credit
 * (STREAM_LIMIT) instead of waiting, and each failed attempt uses up a stream id, so a burst of
 * attempts runs the ids ahead of any credit the peer gives back and every later stream fails too: a
 * sender of a stream per frame went silent after its first hundred frames against a server allowing
 * a hundred at a time. (Netty's own count of credit cannot be used to wait: the HTTP/3 streams
 * opened before its first update leave it below zero for good.) So: one attempt at a time, and
 * after a refusal, pauses that grow, so few ids are spent while the credit comes back.
 */
final class StreamOpener {
  private static final AttributeKey<StreamOpener> KEY = AttributeKey.valueOf("videocall-opener");

  /** How long a stream may wait for credit before it fails. */
  static final long CREDIT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private record Request(Promise<Channel> promise, long deadline) {}

  private final QuicChannel quic;
  private final ArrayDeque<Request> waiting = new ArrayDeque<>(); // on the event loop
  private boolean opening;
  private boolean scheduled;
  private long pauseMs;
  private static final long MAX_PAUSE_MS = 200;

  private StreamOpener(QuicChannel quic) {
    this.quic = quic;
  }

  /** The connection's opener (one per connection, shared by its sessions). */
  static StreamOpener of(QuicChannel quic) {
    StreamOpener o = quic.attr(KEY).get();
    if (o == null) {
      o = new StreamOpener(quic);
      StreamOpener raced = quic.attr(KEY).setIfAbsent(o);
      if (raced != null) {
        o = raced;
      }
    }
    return o;
  }

  /** A new unidirectional stream, in request order; call on the event loop. */
  Future<Channel> open() {
    Promise<Channel> p = quic.eventLoop().newPromise();
    waiting.add(new Request(p, System.nanoTime() + CREDIT_WAIT_NANOS));
    drain();
    return p;
  }

  private void drain() {
    if (opening || scheduled || waiting.isEmpty()) {
      return;
    }
    if (!quic.isActive()) {
      failAll(new java.nio.channels.ClosedChannelException());
      return;
    }
    Request r = waiting.peek();
    opening = true;
    quic.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
        .addListener(
            f -> {
              opening = false;
              if (f.isSuccess()) {
                waiting.poll();
                pauseMs = 0;
                r.promise().trySuccess((Channel) f.getNow());
                drain();
              } else if (isStreamLimit(f.cause()) && System.nanoTime() - r.deadline() < 0) {
                pauseMs = Math.min(MAX_PAUSE_MS, Math.max(5, pauseMs * 2));
                scheduled = true;
                quic.eventLoop()
                    .schedule(
                        () -> {
                          scheduled = false;
                          drain();
                        },
                        pauseMs,
                        TimeUnit.MILLISECONDS);
              } else {
                waiting.poll();
                r.promise().tryFailure(f.cause());
                drain();
              }
            });
  }

  private static boolean isStreamLimit(Throwable t) {
    return t instanceof io.netty.handler.codec.quic.QuicException q
        && q.error() == io.netty.handler.codec.quic.QuicTransportError.STREAM_LIMIT_ERROR;
  }

  private void failAll(Throwable cause) {
    for (Request r = waiting.poll(); r != null; r = waiting.poll()) {
      r.promise().tryFailure(cause);
    }
  }
}
