package dev.videocall.server.ws;

import dev.videocall.server.core.Packet;
import dev.videocall.server.core.SessionLink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A WebSocket connection as the core sees it: async binary writes, batched when more follow, and
 * close.
 *
 * <p>Writes go to Jetty's core session. A batched frame is copied into the flusher's buffer and
 * sent with the next unbatched frame or flush, in one gathering socket write: under load, a
 * receiver's backlog costs one system call instead of one per packet.
 *
 * <p>Jetty 11's flusher loses data when a frame is queued while a write that carried its batch
 * buffer is still pending (the next frame's header lands in a buffer no longer being written). So
 * this link takes one write at a time ({@link #maxWritesInFlight}), and holds a close back until
 * the pending write is done.
 */
final class JettyLink implements SessionLink {
  /** RFC 6455 allows 123 bytes of UTF-8 in a close reason. */
  private static final int MAX_REASON_BYTES = 123;

  /**
   * Jetty batches a frame only if it is under a quarter of this; 64 KB covers the delta frames of a
   * typical 0.5-2 Mbit/s stream. Taken from a pool only while batching.
   */
  static final int OUTPUT_BUFFER_BYTES = 64 * 1024;

  private final Session session;
  private final CoreSession core;
  private int pending; // guarded by this: writes and flushes not yet completed
  private Runnable deferredClose; // guarded by this
  private Runnable callbackFor; // guarded by this
  private Callback callback; // guarded by this

  JettyLink(Session session) {
    this.session = session;
    this.core = ((WebSocketSession) session).getCoreSession();
  }

  @Override
  public void write(Packet packet, Runnable done) {
    send(packet, done, false);
  }

  @Override
  public void writeMore(Packet packet, Runnable done) {
    send(packet, done, true);
  }

  @Override
  public void flush(Runnable done) {
    started();
    core.flush(completion(done));
  }

  private void send(Packet packet, Runnable done, boolean batch) {
    started();
    Frame frame = new Frame(OpCode.BINARY).setPayload(ByteBuffer.wrap(packet.bytes()));
    core.sendFrame(frame, completion(done), batch);
  }

  private synchronized void started() {
    pending++;
  }

  /** The outbox passes the same {@code done} every time: one callback per link, not per packet. */
  private synchronized Callback completion(Runnable done) {
    if (done != callbackFor) {
      callback = newCompletion(done);
      callbackFor = done;
    }
    return callback;
  }

  private Callback newCompletion(Runnable done) {
    Runnable finished =
        () -> {
          Runnable close;
          synchronized (this) {
            pending--;
            close = pending == 0 ? deferredClose : null;
            if (close != null) {
              deferredClose = null;
            }
          }
          done.run();
          if (close != null) {
            close.run();
          }
        };
    return Callback.from(InvocationType.NON_BLOCKING, finished, x -> finished.run());
  }

  /** One write at a time: see the class comment. Batching still sends a backlog at once. */
  @Override
  public int maxWritesInFlight() {
    return 1;
  }

  @Override
  public void close(int code, String reason) {
    Runnable close = () -> session.close(code, truncate(reason));
    synchronized (this) {
      if (pending > 0) {
        deferredClose = close; // a receiver that never reads is reaped by Jetty's idle timeout
        return;
      }
    }
    close.run();
  }

  @Override
  public String transport() {
    return "websocket";
  }

  static String truncate(String reason) {
    byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String cut = new String(utf8, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
    // a multi-byte character cut in half decodes to U+FFFD; drop it
    return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
  }
}
