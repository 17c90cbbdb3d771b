package dev.videocall.webtransport;

import dev.videocall.types.webtransport.Capsule;
import io.netty.handler.codec.http3.Http3DataFrame;
import java.util.ArrayList;
import java.util.List;

/** Capsules arriving as DATA frames on a session's CONNECT stream. */
public final class Capsules {
  private Capsules() {}

  /**
   * Feeds a DATA frame (released here) to {@code reader} and returns the capsules it completes.
   *
   * @throws IllegalStateException when a capsule is over the reader's limit
   */
  public static List<Capsule> read(Capsule.Reader reader, Http3DataFrame frame) {
    try {
      byte[] bytes = Bytes.of(frame.content());
      reader.feed(bytes, 0, bytes.length);
      List<Capsule> out = new ArrayList<>();
      for (Capsule c = reader.next(); c != null; c = reader.next()) {
        out.add(c);
      }
      return out;
    } finally {
      frame.release();
    }
  }
}
