package dev.videocall.server.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A link whose writes complete at once, or wait until released when stalled. */
final class FakeLink implements SessionLink {
  final List<byte[]> written = new ArrayList<>();
  final ArrayDeque<Runnable> pending = new ArrayDeque<>();
  boolean stalled;
  int maxWrites = 1;
  long maxBytes = Long.MAX_VALUE;
  int closeCode;
  String closeReason;

  @Override
  public void write(Packet packet, Runnable done) {
    byte[] b = packet.bytes().clone();
    synchronized (this) {
      written.add(b);
      if (stalled) {
        pending.add(done);
        return;
      }
    }
    done.run();
  }

  /** Unstalls and completes the write in flight (which pulls the next ones). */
  void release() {
    Runnable r;
    synchronized (this) {
      stalled = false;
      r = pending.poll();
    }
    if (r != null) {
      r.run();
    }
  }

  /** Completes the oldest write in flight and stays stalled. */
  void completeOne() {
    Runnable r;
    synchronized (this) {
      r = pending.poll();
    }
    if (r != null) {
      r.run();
    }
  }

  @Override
  public int maxWritesInFlight() {
    return maxWrites;
  }

  @Override
  public long maxBytesInFlight() {
    return maxBytes;
  }

  @Override
  public void close(int code, String reason) {
    closeCode = code;
    closeReason = reason;
  }

  @Override
  public String transport() {
    return "fake";
  }
}
