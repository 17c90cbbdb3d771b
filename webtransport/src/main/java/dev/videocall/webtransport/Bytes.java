package dev.videocall.webtransport;

import io.netty.buffer.ByteBuf;

/** Copies between Netty buffers and the byte arrays the wire classes use. */
final class Bytes {
  private Bytes() {}

  /** The readable bytes of {@code buf}, consumed. */
  static byte[] of(ByteBuf buf) {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }
}
