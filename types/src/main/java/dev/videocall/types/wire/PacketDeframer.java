package dev.videocall.types.wire;

import dev.videocall.types.webtransport.ByteQueue;
import dev.videocall.types.webtransport.QuicVarint;

/**
 * Splits a byte stream of varint-length-prefixed packets back into packets, for transports whose
 * streams do not keep message boundaries (a WebTransport stream carrying several packets). Refuses
 * a declared length over the limit before buffering it.
 */
public final class PacketDeframer {
  private final int maxPacketBytes;
  private final ByteQueue queue = new ByteQueue();

  public PacketDeframer(int maxPacketBytes) {
    this.maxPacketBytes = maxPacketBytes;
  }

  /** The length prefix followed by the packet. */
  public static byte[] frame(byte[] packet) {
    byte[] out = new byte[QuicVarint.size(packet.length) + packet.length];
    int n = QuicVarint.write(packet.length, out, 0);
    System.arraycopy(packet, 0, out, n, packet.length);
    return out;
  }

  public void feed(byte[] data, int offset, int length) {
    queue.feed(data, offset, length);
  }

  /**
   * The next whole packet, or null when more bytes are needed.
   *
   * @throws WireFormatException when a packet declares more than the limit
   */
  public byte[] next() {
    long length = queue.varintAt(0);
    if (length < 0) {
      return null;
    }
    if (length > maxPacketBytes) {
      throw new WireFormatException(
          "packet of " + length + " bytes exceeds the limit of " + maxPacketBytes);
    }
    int header = queue.varintLengthAt(0);
    if (queue.size() - header < length) {
      return null;
    }
    return queue.take(header, (int) length);
  }

  /** Bytes of memory held for packets not yet complete. */
  public int retained() {
    return queue.retained();
  }

  /** Bytes received but not yet returned as a packet. */
  public int buffered() {
    return queue.size();
  }
}
