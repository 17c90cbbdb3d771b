package dev.videocall.types.webtransport;

import dev.videocall.types.wire.PacketDeframer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a WebTransport unidirectional stream after its stream type (which HTTP/3 stacks consume):
 * the session id, then varint-length-prefixed packets.
 */
public final class UniStreamReader {
  private final ByteQueue header = new ByteQueue();
  private final PacketDeframer deframer;
  private long sessionId = -1;

  public UniStreamReader(int maxPacketBytes) {
    this.deframer = new PacketDeframer(maxPacketBytes);
  }

  /** Bytes of memory held for the header and for packets not yet complete. */
  public int retained() {
    return header.retained() + deframer.retained();
  }

  /** The stream's session id, or -1 until enough bytes arrived. */
  public long sessionId() {
    return sessionId;
  }

  /**
   * Takes the next bytes of the stream and returns the packets they complete (possibly none).
   *
   * @throws dev.videocall.types.wire.WireFormatException when a packet declares more than the limit
   */
  public List<byte[]> feed(byte[] data, int offset, int length) {
    if (sessionId < 0) {
      header.feed(data, offset, length);
      long id = header.varintAt(0);
      if (id < 0) {
        return List.of();
      }
      sessionId = id;
      int n = header.varintLengthAt(0);
      byte[] rest = header.take(n, header.size() - n);
      deframer.feed(rest, 0, rest.length);
    } else {
      deframer.feed(data, offset, length);
    }
    List<byte[]> packets = new ArrayList<>();
    for (byte[] p = deframer.next(); p != null; p = deframer.next()) {
      packets.add(p);
    }
    return packets;
  }
}
