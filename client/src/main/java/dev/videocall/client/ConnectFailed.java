package dev.videocall.client;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;

/** Why a connection could not be opened, in words a person can act on. */
public final class ConnectFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int httpStatus;

  ConnectFailed(String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
  }

  /** The HTTP status the server refused the upgrade with, or 0 if it was not reached. */
  public int httpStatus() {
    return httpStatus;
  }

  static ConnectFailed of(URI endpoint, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (cause instanceof WebSocketHandshakeException handshake) {
      int status = handshake.getResponse().statusCode();
      Object body = handshake.getResponse().body();
      return new ConnectFailed(
          "server refused " + endpoint + ": HTTP " + status + (body == null ? "" : " " + body),
          status,
          cause);
    }
    if (cause instanceof io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException h
        && h.response() != null) {
      int status = h.response().status().code();
      return new ConnectFailed(
          "server refused " + endpoint + ": HTTP " + h.response().status(), status, cause);
    }
    return new ConnectFailed("cannot reach " + endpoint + ": " + cause, 0, cause);
  }
}
