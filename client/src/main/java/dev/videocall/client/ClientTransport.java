package dev.videocall.client;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** One connection to a server's lobby, carrying whole PacketWrapper messages both ways. */
public interface ClientTransport {
  /**
   * Sends one packet; sends complete in call order. {@code mediaKind} (the wrapper's) and {@code
   * keyframe} are what the WebTransport mapping routes by ({@link
   * dev.videocall.types.webtransport.PacketRoute#of}); a negative kind means bytes of unknown
   * content, which the transport reads itself.
   */
  CompletableFuture<Void> send(ByteBuffer packet, int mediaKind, boolean keyframe);

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
