package dev.videocall.client;

import dev.videocall.proto.PacketWrapper.MediaKind;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** One connection to a server's lobby, carrying whole PacketWrapper messages both ways. */
public interface ClientTransport {
  /**
   * Sends one packet; sends complete in call order. {@code kind} is the packet's media kind when
   * the caller knows it (transports that map kinds onto streams use it), or null for bytes of
   * unknown content.
   */
  CompletableFuture<Void> send(ByteBuffer packet, MediaKind kind);

  /** Starts a clean close. */
  void close(int code, String reason);

  /** "websocket" or "webtransport". */
  String name();

  /** What a transport reports to its owner; called on the transport's threads, in order. */
  interface Events {
    void onPacket(byte[] packet);

    void onClosed(int code, String reason);
  }
}
