package dev.videocall.server.core;

/** What a transport adapter (WebSocket, WebTransport) gives the core for one connected session. */
public interface SessionLink {
  /**
   * Sends one whole packet without blocking; the link may choose how by the packet's priority
   * (WebTransport: stream or datagram). The core keeps at most one write in flight per link and
   * calls this again only after {@code done} ran; {@code done} may run on any thread, also before
   * this method returns.
   */
  void write(Packet packet, Runnable done);

  /** Closes the connection with a code from {@code CloseCodes} and a short readable reason. */
  void close(int code, String reason);

  /** "websocket" or "webtransport", for logs and metrics. */
  String transport();
}
