package dev.videocall.server.ws;

import dev.videocall.server.core.Packet;
import dev.videocall.server.core.SessionLink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;

/** A WebSocket connection as the core sees it: async binary writes and close. */
final class JettyLink implements SessionLink {
  /** RFC 6455 allows 123 bytes of UTF-8 in a close reason. */
  private static final int MAX_REASON_BYTES = 123;

  private final Session session;

  JettyLink(Session session) {
    this.session = session;
  }

  @Override
  public void write(Packet packet, Runnable done) {
    session
        .getRemote()
        .sendBytes(
            ByteBuffer.wrap(packet.bytes()),
            new WriteCallback() {
              @Override
              public void writeFailed(Throwable x) {
                done.run();
              }

              @Override
              public void writeSuccess() {
                done.run();
              }
            });
  }

  /** Jetty's frame flusher gathers queued frames into one socket write. */
  @Override
  public int maxWritesInFlight() {
    return 8;
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, truncate(reason));
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
