package dev.videocall.server;

import dev.videocall.server.bus.Bus;
import dev.videocall.server.bus.LocalBus;
import dev.videocall.server.bus.NatsBus;
import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Relay;
import dev.videocall.server.http.Connectors;
import dev.videocall.server.http.HttpRoutes;
import dev.videocall.server.http.SlowRequestReaper;
import dev.videocall.server.tls.HttpsIdentity;
import dev.videocall.server.tls.ServerCertificate;
import dev.videocall.server.webtransport.WebTransportServer;
import dev.videocall.server.ws.WebSocketEndpoint;
import io.javalin.Javalin;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One server instance: HTTP + WebSocket + WebTransport over one relay and one bus. */
public final class VideocallServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VideocallServer.class);

  private final ServerConfig config;
  private Bus bus;
  private SlowRequestReaper reaper;
  private HttpsIdentity https;
  private Relay relay;
  private Javalin http;
  private WebTransportServer webTransport;
  private dev.videocall.server.meetings.Database database;
  private dev.videocall.server.meetings.Meetings meetings;

  private VideocallServer(ServerConfig config) {
    this.config = config;
  }

  /**
   * Starts a server; {@code httpPort} 0 picks a free port (see {@link #httpPort()}). A failure to
   * start (a port in use, a bad certificate) closes whatever was already started and throws an
   * IllegalStateException or IllegalArgumentException whose message says what to change.
   */
  public static VideocallServer start(ServerConfig config) {
    portsFree(config);
    VideocallServer server = new VideocallServer(config);
    try {
      server.startAll();
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void startAll() {
    // everything that can fail on bad input first, before any port is taken
    if (config.tlsCert() != null) {
      https =
          HttpsIdentity.fromFiles(
              Path.of(config.tlsCert()), Path.of(config.tlsKey()), Duration.ofSeconds(10));
    } else if (config.httpsSelfSigned()) {
      https = HttpsIdentity.selfSigned(Path.of(config.dataDir()), config.publicHosts());
    }
    // the operator's certificate serves WebTransport too; a generated page certificate does not:
    // browsers pin WebTransport certificates by hash only when they are valid for under 14 days
    ServerCertificate certificate = config.tlsCert() == null ? null : https.current();
    SSLContext natsTls = config.natsTls() ? natsTlsContext(config.natsTlsCa()) : null;
    ServerConfig.Access access = config.access();
    dev.videocall.server.identity.Tokens tokens = null;
    byte[] key = null;
    if (access.identity()) {
      key =
          dev.videocall.server.identity.Tokens.loadKey(
              access.jwtKey(), Path.of(access.jwtKeyFile()));
      tokens =
          new dev.videocall.server.identity.Tokens(
              key, access.identityTtl(), access.roomTokenTtl(), java.time.Clock.systemUTC());
      database =
          dev.videocall.server.meetings.Database.open(
              access.databaseUrl() == null
                  ? dev.videocall.server.meetings.Database.embeddedUrl(Path.of(config.dataDir()))
                  : access.databaseUrl(),
              access.databaseUser(),
              access.databasePassword(),
              10);
    } else {
      log.warn(
          "--auth none: anyone can join any meeting under any id and evict its participants;"
              + " for local development and benchmarks only");
    }
    byte[] idBytes = new byte[4];
    new SecureRandom().nextBytes(idBytes);
    String serverId = HexFormat.of().formatHex(idBytes);
    Counters counters = new Counters();
    bus =
        config.natsUrl() == null
            ? new LocalBus()
            : new NatsBus(
                new NatsBus.Settings(config.natsUrl(), config.natsCreds(), natsTls),
                serverId,
                counters);
    relay =
        new Relay(
            new Relay.Config(
                config.maxPacketBytes(),
                config.outboxBytes(),
                config.heartbeatTimeout(),
                serverId,
                config.maxControlBytes(),
                config.controlPacketsPerSecond(),
                config.maxSessions(),
                config.maxSessionsPerIp(),
                config.maxChatChars()),
            bus,
            counters);
    dev.videocall.server.identity.Admission admission;
    if (tokens != null) {
      relay.sealNotices(new dev.videocall.server.core.NoticeSeal(key));
      meetings =
          new dev.videocall.server.meetings.Meetings(
              new dev.videocall.server.meetings.MeetingStore(database.dataSource()),
              tokens,
              relay,
              counters,
              java.time.Clock.systemUTC(),
              access.maxWaiting(),
              access.meetingRetention());
      admission = meetings.admission();
    } else {
      admission = dev.videocall.server.identity.Admission.open(counters);
    }
    webTransport =
        WebTransportServer.start(
            config.bind(),
            config.webTransportPort(),
            relay,
            admission,
            certificate,
            new WebTransportServer.Limits(
                config.maxSessionsPerConnection(),
                config.maxStreamsPerConnection(),
                config.maxBufferedBytesPerConnection(),
                config.maxBufferedBytes(),
                config.maxSessionsPerIp()));
    WebSocketEndpoint webSocket = new WebSocketEndpoint(relay, admission);
    dev.videocall.server.meetings.MeetingApi api =
        new dev.videocall.server.meetings.MeetingApi(
            meetings, relay, counters, access.apiRequestsPerSecond());
    HttpRoutes routes =
        new HttpRoutes(relay, bus, config.webRoot(), webTransport, config.bind(), https);
    Connectors connectors = new Connectors(config, https);
    http =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.startup.startupWatcherEnabled = false;
              c.jetty.host = config.bind();
              c.http.maxRequestSize = 64 * 1024L; // the API's bodies are small; pages are GETs
              connectors.configure(c);
              webSocket.configure(c);
              routes.configureStaticFiles(c);
              connectors.register(c.routes);
              routes.register(c.routes);
              api.register(c.routes);
              webSocket.register(c.routes);
            });
    if (https != null && config.tlsCert() != null) {
      https.onChange(webTransport::use);
    }
    try {
      http.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen for HTTP on TCP port "
              + config.httpPort()
              + " ("
              + rootMessage(e)
              + "): is another server using it? Choose another with --http-port",
          e);
    }
    reaper = new SlowRequestReaper(http.jettyServer().server(), config.headerTimeout(), counters);
    if (relay.maxPacketBytes() < config.maxPacketBytes()) {
      log.warn(
          "packets are limited to {} bytes, not {}: NATS max_payload is lower (raise it in"
              + " nats-server's configuration)",
          relay.maxPacketBytes(),
          config.maxPacketBytes());
    }
    log.info(
        "videocall server {} listening on {}://{}:{} (bus: {})",
        serverId,
        https == null ? "http" : "https",
        config.bind(),
        httpPort(),
        bus.state());
  }

  /**
   * The ports first: one in use fails at once with a clear message, not after the database, the bus
   * and the rest have started (each is bound for real later; this only answers early).
   */
  private static void portsFree(ServerConfig config) {
    java.util.List<int[]> tcp = new java.util.ArrayList<>();
    tcp.add(new int[] {config.httpPort()});
    if (config.httpRedirectPort() > 0) {
      tcp.add(new int[] {config.httpRedirectPort()});
    }
    for (int[] p : tcp) {
      if (p[0] <= 0) {
        continue;
      }
      try (java.net.ServerSocket s = new java.net.ServerSocket()) {
        s.setReuseAddress(true); // like Jetty: a socket in TIME_WAIT does not count
        s.bind(new java.net.InetSocketAddress(config.bind(), p[0]));
      } catch (java.io.IOException e) {
        String flag = p[0] == config.httpPort() ? "--http-port" : "--http-redirect-port";
        throw new IllegalStateException(
            "cannot listen for HTTP on TCP port "
                + p[0]
                + " ("
                + e.getMessage()
                + "): is another server using it? Choose another with "
                + flag,
            e);
      }
    }
    if (config.webTransportPort() > 0) {
      try (java.net.DatagramSocket s =
          new java.net.DatagramSocket(
              new java.net.InetSocketAddress(config.bind(), config.webTransportPort()))) {
        s.getLocalPort();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "cannot listen for WebTransport on UDP port "
                + config.webTransportPort()
                + " ("
                + e.getMessage()
                + "): is another server using it? Choose another with --webtransport-port",
            e);
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** TLS to NATS trusting the CAs in a PEM file, or the JVM's defaults. */
  private static SSLContext natsTlsContext(String caFile) {
    try {
      if (caFile == null) {
        return SSLContext.getDefault();
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(Path.of(caFile))) {
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trust.setCertificateEntry("ca" + i++, c);
        }
        if (i == 0) {
          throw new IllegalArgumentException(caFile + " holds no PEM certificate");
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read --nats-tls-ca " + caFile + ": " + e.getMessage(), e);
    }
  }

  public int webTransportPort() {
    return webTransport.port();
  }

  public int httpPort() {
    return http.port();
  }

  /** The plain-HTTP redirect port when there is one, else -1. */
  public int redirectPort() {
    return http.jettyServer().server().getConnectors().length > 1
        ? ((org.eclipse.jetty.server.ServerConnector)
                http.jettyServer().server().getConnectors()[1])
            .getLocalPort()
        : -1;
  }

  public Relay relay() {
    return relay;
  }

  public ServerConfig config() {
    return config;
  }

  /**
   * Stops what was started: sessions first (they are told why, code 1001), then the listeners, then
   * the bus (after the departures went out on it).
   */
  @Override
  public void close() {
    closeQuietly(https);
    closeQuietly(reaper);
    closeQuietly(relay);
    closeQuietly(meetings);
    closeQuietly(http == null ? null : http::stop);
    closeQuietly(webTransport);
    closeQuietly(bus);
    closeQuietly(database);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("while stopping: {}", e.toString());
    }
  }
}
