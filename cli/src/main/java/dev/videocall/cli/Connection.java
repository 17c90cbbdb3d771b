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
   * The way in comes from {@code entry} (a fresh room token, see {@link MeetingEntry}). Transport:
   * "webtransport", "websocket", or "auto" (WebTransport, then WebSocket). A server that does not
   * answer (busy, starting, unreachable) is tried again with growing pauses until {@code timeout}
   * has passed; a server that answers with a refusal is not.
   */
  static VideocallClient join(
      URI server,
      java.util.function.Supplier<MeetingEntry.Way> entry,
      String transport,
      java.time.Duration timeout,
      Consumer<PacketWrapper> onPacket,
      VideocallClient.CloseListener onClose) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMs = 250;
    while (true) {
      try {
        // asked on every attempt: a room token lives a minute, and the API may be what is down
        return joinOnce(server, entry.get(), transport, onPacket, onClose);
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
      MeetingEntry.Way way,
      String transport,
      Consumer<PacketWrapper> onPacket,
      VideocallClient.CloseListener onClose) {
    if (transport.equals("auto")) {
      try {
        return open(server, way, "webtransport", onPacket, onClose);
      } catch (RuntimeException e) {
        System.err.println("WebTransport unavailable (" + reason(e) + "); using WebSocket");
        return open(server, way, "websocket", onPacket, onClose);
      }
    }
    return open(server, way, transport, onPacket, onClose);
  }

  private static VideocallClient open(
      URI server,
      MeetingEntry.Way way,
      String transport,
      Consumer<PacketWrapper> onPacket,
      VideocallClient.CloseListener onClose) {
    // A connection given up on may still come up later: it must not speak for this stream (its
    // 4001, when the connection in use replaces it, stopped the stream) and is closed at once.
    java.util.concurrent.atomic.AtomicBoolean abandoned =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CompletableFuture<VideocallClient> pending =
        way.apply(VideocallClient.to(server))
            .transport(transport)
            .onPacket(
                p -> {
                  if (!abandoned.get()) {
                    onPacket.accept(p);
                  }
                })
            .onClose(
                (code, reason) -> {
                  if (!abandoned.get()) {
                    onClose.onClosed(code, reason);
                  }
                })
            .connect();
    try {
      return pending.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting", e);
    } catch (TimeoutException e) {
      abandoned.set(true);
      pending.thenAccept(VideocallClient::close);
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
