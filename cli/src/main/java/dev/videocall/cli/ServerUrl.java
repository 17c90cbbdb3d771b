package dev.videocall.cli;

import java.net.URI;
import java.net.URISyntaxException;

/** The server's base URL as a person types it: http://host:port or https://host. */
final class ServerUrl {
  private ServerUrl() {}

  static URI parse(String text) {
    String t = text.contains("://") ? text : "http://" + text;
    URI uri;
    try {
      uri = new URI(t);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--server is not a URL: " + text);
    }
    String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "--server must start with http:// or https://, got " + text);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("--server has no host: " + text);
    }
    return uri;
  }
}
