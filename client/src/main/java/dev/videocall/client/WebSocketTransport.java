package dev.videocall.client;

import dev.videocall.proto.PacketWrapper.MediaKind;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/** The WebSocket transport, on the JDK's HTTP client. */
public final class WebSocketTransport implements ClientTransport {
  private static final HttpClient SHARED =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final WebSocket socket;
  private CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null);

  private WebSocketTransport(WebSocket socket) {
    this.socket = socket;
  }

  /** Opens the connection; fails with {@link ConnectFailed} saying why. */
  public static CompletableFuture<ClientTransport> open(URI endpoint, Events events) {
    Receiver receiver = new Receiver(events);
    return SHARED
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(endpoint, receiver)
        .handle(
            (ws, error) -> {
              if (error != null) {
                throw new CompletionException(ConnectFailed.of(endpoint, error));
              }
              return (ClientTransport) new WebSocketTransport(ws);
            });
  }

  @Override
  public synchronized CompletableFuture<Void> send(ByteBuffer packet, MediaKind kind) {
    // the JDK allows one outstanding send; chain them
    CompletableFuture<Void> next =
        lastSend
            .exceptionally(e -> null)
            .thenCompose(v -> socket.sendBinary(packet, true))
            .thenApply(ws -> null);
    lastSend = next;
    return next;
  }

  @Override
  public void close(int code, String reason) {
    socket.sendClose(code, reason).exceptionally(e -> null);
  }

  @Override
  public String name() {
    return "websocket";
  }

  /** Reassembles fragmented messages and reads one message at a time (TCP backpressure). */
  private static final class Receiver implements WebSocket.Listener {
    private final Events events;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final AtomicBoolean closed = new AtomicBoolean();

    Receiver(Events events) {
      this.events = events;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      if (last && partial.size() == 0) {
        events.onPacket(chunk);
      } else {
        partial.writeBytes(chunk);
        if (last) {
          byte[] whole = partial.toByteArray();
          partial.reset();
          events.onPacket(whole);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      if (closed.compareAndSet(false, true)) {
        events.onClosed(statusCode, reason);
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      if (closed.compareAndSet(false, true)) {
        events.onClosed(1006, "connection lost: " + error);
      }
    }
  }
}
