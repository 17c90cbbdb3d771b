package dev.videocall.client;

import dev.videocall.types.Ids;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Derives transport endpoints from the server's base URL as a person types it. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * The path and query of a media session: {@code /lobby?token=...} with a room token (servers with
   * identity), else {@code /lobby/USER/MEETING} with the display name as {@code name}.
   */
  public static String lobbyPath(String user, String meeting, String displayName, String token) {
    return lobbyPath(user, meeting, displayName, token, false);
  }

  /**
   * As {@link #lobbyPath(String, String, String, String)}, saying {@code e2ee=1} when the client
   * encrypts end to end (the server lets such clients only into encrypted meetings, and others not
   * into those).
   */
  public static String lobbyPath(
      String user, String meeting, String displayName, String token, boolean e2ee) {
    String path = lobbyPath0(user, meeting, displayName, token);
    return e2ee ? path + (path.contains("?") ? "&" : "?") + "e2ee=1" : path;
  }

  private static String lobbyPath0(String user, String meeting, String displayName, String token) {
    if (token != null) {
      return "/lobby?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
    Ids.require("user id", user);
    Ids.require("meeting id", meeting);
    return "/lobby/"
        + user
        + "/"
        + meeting
        + (displayName == null || displayName.isBlank()
            ? ""
            : "?name=" + URLEncoder.encode(displayName, StandardCharsets.UTF_8));
  }

  /**
   * {@code http://host:8080} becomes {@code ws://host:8080/lobby/USER/MEETING}; {@code https}
   * becomes {@code wss}. A display name travels as the {@code name} query parameter.
   */
  public static URI webSocket(URI server, String user, String meeting, String displayName) {
    return webSocket(server, lobbyPath(user, meeting, displayName, null));
  }

  /**
   * The WebSocket URL of {@code path} (from {@link #lobbyPath}) on the server at {@code server}.
   */
  public static URI webSocket(URI server, String path) {
    String scheme = server.getScheme();
    String wsScheme;
    if ("http".equalsIgnoreCase(scheme) || "ws".equalsIgnoreCase(scheme)) {
      wsScheme = "ws";
    } else if ("https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) {
      wsScheme = "wss";
    } else {
      throw new IllegalArgumentException(
          "server URL must start with http:// or https://, got " + server);
    }
    if (server.getHost() == null) {
      throw new IllegalArgumentException("server URL has no host: " + server);
    }
    String base = server.getPath() == null ? "" : server.getPath().replaceAll("/+$", "");
    String port = server.getPort() < 0 ? "" : ":" + server.getPort();
    return URI.create(wsScheme + "://" + server.getHost() + port + base + path);
  }
}
