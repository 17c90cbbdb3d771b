package dev.videocall.web.app;

import dev.videocall.types.wire.PacketWrapper;

/** A session with the server, over WebTransport or WebSocket. */
interface Transport {
  /** What a transport reports; called on the page's event loop. */
  interface Listener {
    void onOpen();

    /** A packet, which took {@code bytes} on the wire (counted for receiver reports). */
    void onPacket(PacketWrapper packet, int bytes);

    void onClosed(int code, String reason);
  }

  /**
   * Sends a packet; {@code keyframe} says whether a video packet starts a group of pictures (the
   * WebTransport mapping starts a new stream for it).
   */
  void send(PacketWrapper packet, boolean keyframe);

  /** True when the uplink is backed up and video frames should be skipped. */
  boolean congested();

  void close();

  /** "webtransport" or "websocket". */
  String name();
}
