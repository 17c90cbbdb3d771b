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
 * <p>One write at a time ({@link #maxWritesInFlight}, the core's default): what is not yet written
 * stays in the core's queue, where the drop policy can still act on it. (Jetty 11's flusher also
 * lost data when frames were queued during a pending write, and this link worked around it; Jetty
 * 12's does not: {@code JettyFlusherBatchingTest}, which failed on Jetty 11.0.25.)
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
    core.flush(completion(done));
  }

  private void send(Packet packet, Runnable done, boolean batch) {
    Frame frame = new Frame(OpCode.BINARY).setPayload(ByteBuffer.wrap(packet.bytes()));
    core.sendFrame(frame, completion(done), batch);
  }

  /** The outbox passes the same {@code done} every time: one callback per link, not per packet. */
  private synchronized Callback completion(Runnable done) {
    if (done != callbackFor) {
      callback = newCompletion(done);
      callbackFor = done;
    }
    return callback;
  }

  private static Callback newCompletion(Runnable done) {
    return Callback.from(InvocationType.NON_BLOCKING, done, x -> done.run());
  }

  /** The close frame follows whatever is queued before it, in order. */
  @Override
  public void close(int code, String reason) {
    session.close(code, truncate(reason), org.eclipse.jetty.websocket.api.Callback.NOOP);
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
