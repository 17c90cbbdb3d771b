package dev.videocall.types.webtransport;

import java.util.Arrays;

/**
 * Bytes received from a stream and not yet consumed, with varint peeking for record parsers. Holds
 * no array until bytes arrive, and gives a large one back once it is empty, so that an idle stream
 * costs next to nothing ({@link #retained} is what it holds).
 */
public final class ByteQueue {
  private static final byte[] EMPTY = new byte[0];
  private static final int SMALL = 1024;
  private static final int KEEP_WHEN_EMPTY = 16 * 1024;

  private byte[] buf = EMPTY;
  private int start;
  private int end;

  public void feed(byte[] data, int offset, int length) {
    if (end + length > buf.length) {
      int live = end - start;
      int needed = live + length;
      if (needed <= buf.length && buf.length <= Math.max(KEEP_WHEN_EMPTY, 4 * needed)) {
        System.arraycopy(buf, start, buf, 0, live); // room enough once compacted
      } else {
        // sized by what is held, not by the old capacity: capacity follows the bytes held (the
        // fuzz test found it doubling with every refill while a packet was always pending)
        byte[] next = new byte[Math.max(SMALL, needed * 2)];
        System.arraycopy(buf, start, next, 0, live);
        buf = next;
      }
      start = 0;
      end = live;
    }
    System.arraycopy(data, offset, buf, end, length);
    end += length;
  }

  public int size() {
    return end - start;
  }

  /** Bytes of memory this queue holds (its buffer), whatever is in it. */
  public int retained() {
    return buf.length;
  }

  /** The varint {@code skip} bytes from the head, or -1 when it is not complete yet. */
  public long varintAt(int skip) {
    return QuicVarint.read(buf, start + skip, end);
  }

  /** The encoded length of the (complete) varint {@code skip} bytes from the head. */
  public int varintLengthAt(int skip) {
    return QuicVarint.lengthOf(buf[start + skip]);
  }

  /** Drops {@code skip} bytes, then removes and returns the next {@code n}. */
  public byte[] take(int skip, int n) {
    byte[] out = Arrays.copyOfRange(buf, start + skip, start + skip + n);
    start += skip + n;
    if (start == end) {
      start = 0;
      end = 0;
      if (buf.length > KEEP_WHEN_EMPTY) {
        buf = EMPTY;
      }
    }
    return out;
  }
}
