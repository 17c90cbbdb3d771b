package dev.videocall.server;

import dev.videocall.server.bus.Bus;
import dev.videocall.server.bus.LocalBus;
import dev.videocall.server.bus.NatsBus;
import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Relay;
import dev.videocall.server.http.HttpRoutes;
import dev.videocall.server.webtransport.ServerCertificate;
import dev.videocall.server.webtransport.WebTransportServer;
import dev.videocall.server.ws.WebSocketEndpoint;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One server instance: HTTP + WebSocket over one relay and one bus. */
public final class VideocallServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VideocallServer.class);

  private final ServerConfig config;
  private final Bus bus;
  private final Relay relay;
  private final Javalin http;
  private final WebTransportServer webTransport;

  private VideocallServer(ServerConfig config) {
    this.config = config;
    byte[] idBytes = new byte[4];
    new SecureRandom().nextBytes(idBytes);
    String serverId = HexFormat.of().formatHex(idBytes);
    Counters counters = new Counters();
    this.bus =
        config.natsUrl() == null
            ? new LocalBus()
            : new NatsBus(config.natsUrl(), serverId, counters);
    this.relay =
        new Relay(
            new Relay.Config(
                config.maxPacketBytes(), config.outboxBytes(), config.heartbeatTimeout(), serverId),
            bus,
            counters);
    if (relay.maxPacketBytes() < config.maxPacketBytes()) {
      log.warn(
          "packets are limited to {} bytes, not {}: NATS max_payload is lower (raise it in"
              + " nats-server's configuration)",
          relay.maxPacketBytes(),
          config.maxPacketBytes());
    }
    this.webTransport =
        WebTransportServer.start(
            config.bind(),
            config.webTransportPort(),
            relay,
            config.tlsCert() == null
                ? null
                : ServerCertificate.fromPem(Path.of(config.tlsCert()), Path.of(config.tlsKey())));
    WebSocketEndpoint webSocket = new WebSocketEndpoint(relay);
    HttpRoutes routes = new HttpRoutes(relay, bus, config.webRoot(), webTransport, config.bind());
    this.http =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.startupWatcherEnabled = false;
              c.jetty.defaultHost = config.bind();
              webSocket.configure(c);
              routes.configureStaticFiles(c);
            });
    routes.register(http);
    webSocket.register(http);
  }

  /** Starts a server; {@code httpPort} 0 picks a free port (see {@link #httpPort()}). */
  public static VideocallServer start(ServerConfig config) {
    VideocallServer server = new VideocallServer(config);
    server.http.start(config.httpPort());
    log.info(
        "videocall server {} listening on http://{}:{} (bus: {})",
        server.relay.config().serverId(),
        config.bind(),
        server.httpPort(),
        server.bus.state());
    return server;
  }

  public int webTransportPort() {
    return webTransport.port();
  }

  public int httpPort() {
    return http.port();
  }

  public Relay relay() {
    return relay;
  }

  public ServerConfig config() {
    return config;
  }

  @Override
  public void close() {
    relay.close();
    http.stop();
    webTransport.close();
    bus.close();
  }
}
