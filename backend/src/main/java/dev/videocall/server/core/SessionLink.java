package dev.videocall.server.core;

/** What a transport adapter (WebSocket, WebTransport) gives the core for one connected session. */
public interface SessionLink {
  /**
   * Sends one whole packet without blocking; the link may choose how by the packet's priority
   * (WebTransport: stream or datagram). The core keeps at most {@link #maxWritesInFlight()} writes
   * in flight per link; {@code done} may run on any thread, also before this method returns.
   */
  void write(Packet packet, Runnable done);

  /**
   * Like {@link #write}, for a packet that more packets follow at once: the link may hold it back
   * and send it together with them in one socket write, until the next {@link #write} or {@link
   * #flush}.
   */
  default void writeMore(Packet packet, Runnable done) {
    write(packet, done);
  }

  /** Sends whatever {@link #writeMore} held back; counts as a write in flight until done. */
  default void flush(Runnable done) {
    done.run();
  }

  /**
   * How many writes the link accepts before the first completes. More than one lets a transport
   * gather a backlog into fewer socket writes; the rest of the backlog stays in the core's queue,
   * where the drop policy can still act on it.
   */
  default int maxWritesInFlight() {
    return 1;
  }

  /**
   * How many bytes of writes the link accepts before they complete (at least one write always
   * goes). A link whose writes complete when its own buffers take them, not when the network does
   * (WebTransport: QUIC takes what its flow control allows), would otherwise hold seconds of a slow
   * receiver's video where nothing can drop it.
   */
  default long maxBytesInFlight() {
    return Long.MAX_VALUE;
  }

  /**
   * Whether {@code packet} arrives unless the connection fails (a stream), rather than perhaps not
   * at all (a datagram). Receiver reports count only what arrives reliably: a lost datagram counted
   * as written would look like a queue forever.
   */
  default boolean reliable(Packet packet) {
    return true;
  }

  /** A sender in the meeting left: the link may release what it kept for that sender's media. */
  default void senderLeft(long senderSessionId) {}

  /** Closes the connection with a code from {@code CloseCodes} and a short readable reason. */
  void close(int code, String reason);

  /** "websocket" or "webtransport", for logs and metrics. */
  String transport();
}
