package dev.videocall.client;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.SessionAssignedPacket;
import dev.videocall.types.Packets;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A participant in one meeting: connects, keeps the session alive with heartbeats, sends and
 * receives packets.
 *
 * <pre>{@code
 * VideocallClient alice = VideocallClient.to(URI.create("http://localhost:8080"))
 *     .user("alice").meeting("demo")
 *     .onPacket(p -> ...)
 *     .connect().join();
 * alice.send(Packets.heartbeat(true, true));
 * }</pre>
 */
public final class VideocallClient implements AutoCloseable {
  private static final ScheduledExecutorService HEARTBEATS =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "videocall-client-heartbeats");
            t.setDaemon(true);
            return t;
          });

  /** Receives every packet the server sends, on the transport's thread, in order. */
  @FunctionalInterface
  public interface PacketListener {
    void onPacket(PacketWrapper packet);
  }

  /** Told once when the session ends, with the close code and reason the server gave. */
  @FunctionalInterface
  public interface CloseListener {
    void onClosed(int code, String reason);
  }

  /** How the session ended. */
  public record Closed(int code, String reason) {}

  private final String userId;
  private final String meetingId;
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private volatile ClientTransport transport;
  private volatile SessionAssignedPacket assigned;
  private volatile ScheduledFuture<?> heartbeat;
  private volatile boolean videoEnabled = true;
  private volatile boolean audioEnabled = true;
  private final CompletableFuture<ClientTransport> transportReady = new CompletableFuture<>();
  private volatile dev.videocall.client.e2ee.ClientE2ee e2ee;

  private VideocallClient(String userId, String meetingId) {
    this.userId = userId;
    this.meetingId = meetingId;
  }

  /** Starts describing a connection to the server at {@code server} (e.g. http://host:8080). */
  /** This process, in every connection's {@code ?attempt=} (see ConnectionAttempt). */
  private static final String PROCESS =
      Long.toString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE, 36);

  private static final java.util.concurrent.atomic.AtomicLong ATTEMPTS =
      new java.util.concurrent.atomic.AtomicLong();

  public static Builder to(URI server) {
    return new Builder(server);
  }

  /** Who this session is: as asked, or (with a token) as the server assigned. */
  public String userId() {
    return assigned != null ? assigned.getUserId() : userId;
  }

  public String meetingId() {
    return assigned != null ? assigned.getMeetingId() : meetingId;
  }

  /** The session id the server assigned. */
  public long sessionId() {
    return assigned.getSessionId();
  }

  /** What the server said about this session when it started (limits, timeout, server id). */
  public SessionAssignedPacket assignment() {
    return assigned;
  }

  public String transportName() {
    return transport.name();
  }

  /**
   * Sends a packet; in an end-to-end encrypted session its media payload or chat text is encrypted
   * first (and nothing is sent while there is no key to send it under).
   */
  public CompletableFuture<Void> send(PacketWrapper packet) {
    dev.videocall.client.e2ee.ClientE2ee e = e2ee;
    if (e != null) {
      packet = e.outgoing(packet);
      if (packet == null) {
        return CompletableFuture.completedFuture(null);
      }
    }
    return transport.send(
        ByteBuffer.wrap(packet.toByteArray()), packet.getMediaKindValue(), isKeyframe(packet));
  }

  /** The end-to-end encryption of this session, or null when it does not encrypt. */
  public dev.videocall.client.e2ee.ClientE2ee e2ee() {
    return e2ee;
  }

  /** Sends bytes as they are; for tools and tests that need to send what a client should not. */
  public CompletableFuture<Void> sendRaw(byte[] bytes) {
    return transport.send(ByteBuffer.wrap(bytes), -1, false);
  }

  private void sendPlain(ClientTransport t, PacketWrapper p) {
    if (!closed.isDone()) {
      t.send(ByteBuffer.wrap(p.toByteArray()), -1, false);
    }
  }

  /** Whether a MEDIA packet carries a keyframe, read without copying the frame. */
  static boolean isKeyframe(PacketWrapper packet) {
    return packet.getPacketType() == PacketType.MEDIA && Packets.isKeyframe(packet.getData());
  }

  /** What heartbeats report from now on. */
  public void mediaState(boolean video, boolean audio) {
    this.videoEnabled = video;
    this.audioEnabled = audio;
  }

  /** Completes when the session has ended, for any reason. */
  public CompletableFuture<Closed> closed() {
    return closed;
  }

  /** Leaves the meeting. */
  @Override
  public void close() {
    stopHeartbeats();
    ClientTransport t = transport;
    if (t != null && !closed.isDone()) {
      t.close(1000, "leaving");
    }
  }

  private void stopHeartbeats() {
    ScheduledFuture<?> h = heartbeat;
    if (h != null) {
      h.cancel(false);
    }
  }

  /** Fluent description of a connection. */
  public static final class Builder {
    private final URI server;
    private String user;
    private String meeting;
    private String displayName;
    private String token;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private boolean webTransport;
    private PacketListener packetListener = p -> {};
    private final java.util.List<java.security.cert.X509Certificate> trusted =
        new java.util.ArrayList<>();
    private CloseListener closeListener = (c, r) -> {};
    private boolean e2ee;

    private Builder(URI server) {
      this.server = Objects.requireNonNull(server, "server");
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder meeting(String meeting) {
      this.meeting = meeting;
      return this;
    }

    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    /**
     * A room token (from {@link GuestAccess#join}): the server's identity says who and where, so
     * {@link #user} and {@link #meeting} are not needed.
     */
    public Builder token(String roomToken) {
      this.token = roomToken;
      return this;
    }

    /** How often to send heartbeats; null sends none (the server will time the session out). */
    public Builder heartbeats(Duration interval) {
      this.heartbeatInterval = interval;
      return this;
    }

    /** "websocket" (default) or "webtransport" (HTTP/3, pinned by /api/webtransport's hash). */
    public Builder transport(String name) {
      switch (name) {
        case "websocket" -> webTransport = false;
        case "webtransport" -> webTransport = true;
        default ->
            throw new IllegalArgumentException(
                "transport must be websocket or webtransport, got " + name);
      }
      return this;
    }

    /**
     * Trusts these certificates besides the JVM's CAs: a server with a self-signed ({@code
     * --https-self-signed}) or private-CA certificate.
     */
    public Builder trust(java.security.cert.X509Certificate... certificates) {
      trusted.addAll(java.util.List.of(certificates));
      return this;
    }

    /**
     * Encrypts media and chat end to end (SFrame, RFC 9605) with keys the server never sees; the
     * meeting must be an end-to-end encrypted one, and {@link PacketListener} then gets packets
     * decrypted (those that fail authentication never reach it).
     */
    public Builder e2ee(boolean on) {
      this.e2ee = on;
      return this;
    }

    public Builder onPacket(PacketListener listener) {
      this.packetListener = Objects.requireNonNull(listener);
      return this;
    }

    public Builder onClose(CloseListener listener) {
      this.closeListener = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * Connects and completes once the server has assigned a session; fails with {@link
     * ConnectFailed} or {@link SessionRefused} otherwise.
     */
    public CompletableFuture<VideocallClient> connect() {
      String path = Endpoints.lobbyPath(user, meeting, displayName, token, e2ee);
      // numbered as the page numbers its connections: a connection this process gave up on (a
      // WebTransport attempt that was too slow) cannot evict the one it uses when it arrives late
      path +=
          (path.contains("?") ? "&" : "?")
              + dev.videocall.types.ConnectionAttempt.PARAM
              + "="
              + new dev.videocall.types.ConnectionAttempt(PROCESS, ATTEMPTS.incrementAndGet());
      URI endpoint = Endpoints.webSocket(server, path);
      VideocallClient client = new VideocallClient(user, meeting);
      if (e2ee) {
        // its key packets may be ready before the transport is: they wait for it
        client.e2ee =
            new dev.videocall.client.e2ee.ClientE2ee(
                p -> client.transportReady.thenAccept(t -> client.sendPlain(t, p)));
      }
      CompletableFuture<VideocallClient> ready = new CompletableFuture<>();
      ClientTransport.Events events =
          new ClientTransport.Events() {
            @Override
            public void onPacket(byte[] bytes) {
              PacketWrapper packet;
              try {
                packet = PacketWrapper.parseFrom(bytes);
              } catch (InvalidProtocolBufferException e) {
                return; // a server only sends PacketWrappers; nothing useful to do with garbage
              }
              if (packet.getPacketType() == PacketType.SESSION_ASSIGNED
                  && client.assigned == null) {
                try {
                  client.assigned = SessionAssignedPacket.parseFrom(packet.getData());
                } catch (InvalidProtocolBufferException e) {
                  ready.completeExceptionally(new SessionRefused(0, "bad SESSION_ASSIGNED"));
                  return;
                }
                ready.complete(client);
                if (client.e2ee != null) {
                  client.e2ee.start(client.assigned.getSessionId());
                }
              }
              if (client.e2ee != null) {
                client.e2ee.incoming(packet, packetListener::onPacket);
              } else {
                packetListener.onPacket(packet);
              }
            }

            @Override
            public void onClosed(int code, String reason) {
              client.stopHeartbeats();
              client.closed.complete(new Closed(code, reason));
              ready.completeExceptionally(new SessionRefused(code, reason));
              closeListener.onClosed(code, reason);
            }
          };
      // packets may arrive before open() completes: heartbeats start once both are known
      CompletableFuture<ClientTransport> opened =
          webTransport
              ? WebTransportTransport.open(server, path, trusted, events)
              : WebSocketTransport.open(endpoint, trusted, events);
      return opened
          .thenCompose(
              t -> {
                client.transport = t;
                client.transportReady.complete(t);
                return ready;
              })
          .thenApply(
              c -> {
                c.startHeartbeats(heartbeatInterval);
                return c;
              });
    }
  }

  /** Heartbeats at the requested interval, but at least three per server timeout. */
  private void startHeartbeats(Duration interval) {
    if (interval == null) {
      return;
    }
    long ms = interval.toMillis();
    int timeoutMs = assigned.getHeartbeatTimeoutMs();
    if (timeoutMs > 0) {
      ms = Math.max(10, Math.min(ms, timeoutMs / 3));
    }
    heartbeat =
        HEARTBEATS.scheduleAtFixedRate(
            () -> {
              // a periodic task that throws is silently cancelled: never let it throw
              try {
                if (!closed.isDone()) {
                  send(Packets.heartbeat(videoEnabled, audioEnabled));
                  dev.videocall.client.e2ee.ClientE2ee e = e2ee;
                  if (e != null) {
                    e.tick();
                  }
                }
              } catch (RuntimeException e) {
                // the transport is failing; its close event ends the session
              }
            },
            0,
            ms,
            TimeUnit.MILLISECONDS);
  }

  /** The server closed the session before assigning it. */
  public static final class SessionRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    SessionRefused(int code, String reason) {
      super("session closed by server before it started: " + code + " " + reason);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }
}
