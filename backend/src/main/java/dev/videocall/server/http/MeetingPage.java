package dev.videocall.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The page at /meeting/{user}/{meeting}: the web client's template, the same bytes for every
 * meeting (the client reads user and meeting from its URL). Ids are validated before it is served.
 */
final class MeetingPage {
  static final String TEMPLATE = "/web/meeting.html";

  private MeetingPage() {}

  /** The template built into the jar, read once. */
  static Supplier<byte[]> fromClasspath() {
    return fromClasspath(TEMPLATE);
  }

  /** A page built into the jar ({@code /web/...}), read once. */
  static Supplier<byte[]> fromClasspath(String resource) {
    byte[] bytes;
    try (InputStream in = MeetingPage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is not on the classpath: the web-client module was not built");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return () -> bytes;
  }

  /** The template in a web root directory, read on every request (front-end development). */
  static Supplier<byte[]> fromDirectory(Path webRoot) {
    return fromDirectory(webRoot, "meeting.html");
  }

  /** A page in a web root directory, read on every request. */
  static Supplier<byte[]> fromDirectory(Path webRoot, String name) {
    Path file = webRoot.resolve(name);
    return () -> {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    };
  }
}
