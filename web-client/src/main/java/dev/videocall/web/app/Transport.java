package dev.videocall.web.app;

import dev.videocall.types.wire.PacketWrapper;

/** A session with the server, over WebTransport or WebSocket. */
interface Transport {
  /** What a transport reports; called on the page's event loop. */
  interface Listener {
    void onOpen();

    void onPacket(PacketWrapper packet);

    void onClosed(int code, String reason);
  }

  void send(PacketWrapper packet);

  /** True when the uplink is backed up and video frames should be skipped. */
  boolean congested();

  void close();

  /** "webtransport" or "websocket". */
  String name();
}
