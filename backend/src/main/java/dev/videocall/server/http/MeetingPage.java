package dev.videocall.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The page at /meeting/{user}/{meeting}: the web client's template, the same bytes for every
 * meeting (the client reads user and meeting from its URL). Ids are validated before it is served.
 */
final class MeetingPage {
  static final String TEMPLATE = "/web/meeting.html";
  private static final byte[] BYTES = load();

  private MeetingPage() {}

  static byte[] bytes() {
    return BYTES;
  }

  private static byte[] load() {
    try (InputStream in = MeetingPage.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(
            TEMPLATE + " is not on the classpath: the web-client module was not built");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
