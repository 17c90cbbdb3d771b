package dev.videocall.web.app;

import dev.videocall.types.wire.MediaPacket;

/** Where publishers put encoded media. */
interface PacketSink {
  void sendMedia(MediaPacket media, int mediaKind);

  /** True when the uplink is backed up and video should be skipped. */
  boolean congested();
}
