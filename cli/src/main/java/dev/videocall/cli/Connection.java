package dev.videocall.cli;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.PacketWrapper;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Joins a meeting the way the browser does: WebTransport first, WebSocket if that fails. */
final class Connection {
  private Connection() {}

  /**
   * "webtransport", "websocket", or "auto" (WebTransport, then WebSocket). A server that does not
   * answer (busy, starting, unreachable) is tried again with growing pauses until {@code timeout}
   * has passed; a server that answers with a refusal is not.
   */
  static VideocallClient join(
      URI server,
      String user,
      String meeting,
      String displayName,
      String transport,
      java.time.Duration timeout,
      Consumer<PacketWrapper> onPacket,
      VideocallClient.CloseListener onClose) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMs = 250;
    while (true) {
      try {
        return joinOnce(server, user, meeting, displayName, transport, onPacket, onClose);
      } catch (Unanswered e) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              e.getMessage() + "; gave up after " + timeout.toSeconds() + " s", e);
        }
        System.err.println(e.getMessage() + "; trying again");
        try {
          Thread.sleep(Math.min(pauseMs, left / 1_000_000 + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while connecting", ie);
        }
        pauseMs = Math.min(pauseMs * 2, 4000);
      }
    }
  }

  /** No answer (yet): worth another try. */
  static final class Unanswered extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Unanswered(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static VideocallClient joinOnce(
      URI server,
      String user,
      String meeting,
      String displayName,
      String transport,
      Consumer<PacketWrapper> onPacket,
      VideocallClient.CloseListener onClose) {
    if (transport.equals("auto")) {
      try {
        return open(server, user, meeting, displayName, "webtransport", onPacket, onClose);
      } catch (RuntimeException e) {
        System.err.println("WebTransport unavailable (" + reason(e) + "); using WebSocket");
        return open(server, user, meeting, displayName, "websocket", onPacket, onClose);
      }
    }
    return open(server, user, meeting, displayName, transport, onPacket, onClose);
  }

  private static VideocallClient open(
      URI server,
      String user,
      String meeting,
      String displayName,
      String transport,
      Consumer<PacketWrapper> onPacket,
      VideocallClient.CloseListener onClose) {
    try {
      return VideocallClient.to(server)
          .user(user)
          .meeting(meeting)
          .displayName(displayName)
          .transport(transport)
          .onPacket(onPacket::accept)
          .onClose(onClose)
          .connect()
          .get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting", e);
    } catch (TimeoutException e) {
      throw new Unanswered("no answer from " + server + " over " + transport + " within 5 s", e);
    } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.ConnectException) {
          throw new Unanswered(
              "server unreachable: nothing answers at " + server + " (" + transport + ")", e);
        }
      }
      throw new IllegalStateException(reason(e), e);
    }
  }

  static String reason(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
