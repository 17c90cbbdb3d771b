package dev.videocall.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Server settings from flags, with environment variables of the same meaning as defaults (flag
 * {@code --http-port} = variable {@code HTTP_PORT}), and embedded defaults for everything. Every
 * limit the server enforces has a flag here and a counter in {@code /metrics}.
 */
public record ServerConfig(
    String bind,
    int httpPort,
    int webTransportPort,
    String natsUrl,
    String natsCreds,
    boolean natsTls,
    String natsTlsCa,
    int maxPacketBytes,
    long outboxBytes,
    Duration heartbeatTimeout,
    String webRoot,
    String tlsCert,
    String tlsKey,
    int maxControlBytes,
    int maxChatChars,
    int controlPacketsPerSecond,
    int maxSessions,
    int maxSessionsPerIp,
    int maxSessionsPerConnection,
    int maxStreamsPerConnection,
    long maxBufferedBytesPerConnection,
    long maxBufferedBytes,
    Duration headerTimeout,
    boolean httpsSelfSigned,
    int httpRedirectPort,
    boolean trustProxy,
    String dataDir,
    java.util.List<String> publicHosts,
    Access access) {

  /**
   * Who may join, and where meetings are kept.
   *
   * @param identity false with {@code --auth none}: anyone names themselves in the URL (local
   *     development, benchmarks); true: guest identities, room tokens, hosts, waiting rooms
   * @param jwtKey base64 key for tokens, or null for {@code jwtKeyFile}
   * @param databaseUrl JDBC URL; null: embedded H2 in the data directory
   */
  public record Access(
      boolean identity,
      String jwtKey,
      String jwtKeyFile,
      String databaseUrl,
      String databaseUser,
      String databasePassword,
      Duration identityTtl,
      Duration roomTokenTtl,
      int maxWaiting,
      int apiRequestsPerSecond,
      Duration meetingRetention) {
    @Override
    public String toString() {
      return "Access[identity="
          + identity
          + ", database="
          + (databaseUrl == null ? "embedded" : "url")
          + "]";
    }
  }

  /** True when the page port serves HTTPS (and WSS). */
  public boolean https() {
    return tlsCert != null || httpsSelfSigned;
  }

  /** The embedded defaults: everything on one machine, no NATS, no configuration files. */
  public static ServerConfig defaults() {
    return parse(new String[0], Map.of());
  }

  /** Thrown for anything the user typed wrong; the message says what. */
  public static final class InvalidConfig extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidConfig(String message) {
      super(message);
    }
  }

  /** The generated usage text. */
  public static String usage() {
    StringWriter out = new StringWriter();
    commandLine(Map.of()).usage(new PrintWriter(out));
    return out.toString();
  }

  /** Returns null when {@code --help} was asked for. */
  public static ServerConfig parse(String[] args, Map<String, String> env) {
    CommandLine cl = commandLine(env);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new InvalidConfig(e.getMessage());
    }
    if (cl.isUsageHelpRequested()) {
      return null;
    }
    return ((Flags) cl.getCommand()).build();
  }

  /** A copy with these flags applied on top (tests and tools: a default plus a few changes). */
  public static ServerConfig of(String... args) {
    return parse(args, Map.of());
  }

  private static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new Flags());
    cl.setDefaultValueProvider(
        arg -> {
          if (arg instanceof CommandLine.Model.OptionSpec o) {
            String value = env.get(envName(o.longestName()));
            return value == null || value.isBlank() ? null : value;
          }
          return null;
        });
    cl.setUsageHelpLongOptionsMaxWidth(36);
    cl.setOverwrittenOptionsAllowed(true); // the last one wins, as people expect
    return cl;
  }

  /** {@code --http-port} → {@code HTTP_PORT}. */
  static String envName(String flag) {
    return flag.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Command(
      name = "java -jar videocall-server.jar",
      sortOptions = false,
      usageHelpAutoWidth = false,
      description = {
        "The videocall server: the meeting page, WebSocket and WebTransport sessions, and (with"
            + " --nats-url) meetings shared by many instances.",
        "Every option has an environment variable of the same meaning (--http-port = HTTP_PORT);"
            + " options win.",
        ""
      })
  static final class Flags {
    @Option(
        names = "--bind",
        paramLabel = "ADDR",
        defaultValue = "0.0.0.0",
        description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(
        names = "--http-port",
        paramLabel = "N",
        defaultValue = "8080",
        description = "HTTP and WebSocket port, 0 = any free (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(
        names = "--webtransport-port",
        paramLabel = "N",
        defaultValue = "4433",
        description = "UDP port for WebTransport, 0 = any free (default: ${DEFAULT-VALUE})")
    int webTransportPort;

    @Option(
        names = "--tls-cert",
        paramLabel = "FILE",
        description =
            "PEM certificate (chain) for HTTPS, WSS and WebTransport; re-read when the file"
                + " changes (default: plain HTTP, and a self-signed WebTransport certificate)")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert")
    String tlsKey;

    @Option(
        names = "--https-self-signed",
        description =
            "serve HTTPS with a self-signed certificate for this machine's names and addresses,"
                + " kept in --data-dir and renewed (for a LAN: browsers warn once)")
    boolean httpsSelfSigned;

    @Option(
        names = "--public-host",
        paramLabel = "NAME[,NAME]",
        split = ",",
        description = "more host names the self-signed certificate is for")
    java.util.List<String> publicHosts = new java.util.ArrayList<>();

    @Option(
        names = "--http-redirect-port",
        paramLabel = "N",
        defaultValue = "-1",
        description = "also listen for plain HTTP here and redirect it to HTTPS (default: off)")
    int httpRedirectPort;

    @Option(
        names = "--trust-proxy",
        description =
            "take the client's address, scheme and host from X-Forwarded-*/Forwarded headers (only"
                + " behind a proxy that sets them)")
    boolean trustProxy;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        defaultValue = "videocall-data",
        description = "where the server keeps its state (default: ${DEFAULT-VALUE})")
    String dataDir;

    @Option(
        names = "--nats-url",
        paramLabel = "URL[,URL]",
        description = "NATS servers for meetings shared by several instances")
    String natsUrl;

    @Option(
        names = "--nats-creds",
        paramLabel = "FILE",
        description = "NATS credentials file (user JWT and NKey seed)")
    String natsCreds;

    @Option(
        names = "--nats-tls",
        description = "connect to NATS over TLS, trusting the JVM's CAs (or --nats-tls-ca)")
    boolean natsTls;

    @Option(
        names = "--nats-tls-ca",
        paramLabel = "FILE",
        description = "PEM CA certificate(s) NATS's certificate must chain to; implies --nats-tls")
    String natsTlsCa;

    @Option(
        names = "--max-packet-bytes",
        paramLabel = "N",
        defaultValue = "1048576",
        description = "largest packet a client may send (default: ${DEFAULT-VALUE})")
    int maxPacketBytes;

    @Option(
        names = "--max-control-bytes",
        paramLabel = "N",
        defaultValue = "16384",
        description =
            "largest control packet (keys, diagnostics, keyframe requests); larger ones are"
                + " dropped (default: ${DEFAULT-VALUE})")
    int maxControlBytes;

    @Option(
        names = "--max-chat-chars",
        paramLabel = "N",
        defaultValue = "2000",
        description =
            "longest chat message in characters; longer ones are dropped (default: ${DEFAULT-VALUE})")
    int maxChatChars;

    @Option(
        names = "--control-packets-per-second",
        paramLabel = "N",
        defaultValue = "50",
        description =
            "control packets a session may send per second, bursts of twice that; more are"
                + " dropped (default: ${DEFAULT-VALUE})")
    int controlPacketsPerSecond;

    @Option(
        names = "--outbox-bytes",
        paramLabel = "N",
        defaultValue = "1048576",
        description = "per-receiver outbound queue (default: ${DEFAULT-VALUE})")
    long outboxBytes;

    @Option(
        names = "--heartbeat-timeout-ms",
        paramLabel = "N",
        defaultValue = "10000",
        description = "close sessions silent this long (default: ${DEFAULT-VALUE})")
    long heartbeatTimeoutMs;

    @Option(
        names = "--max-sessions",
        paramLabel = "N",
        defaultValue = "10000",
        description = "sessions on this instance at most (default: ${DEFAULT-VALUE})")
    int maxSessions;

    @Option(
        names = "--max-sessions-per-ip",
        paramLabel = "N",
        defaultValue = "100",
        description = "sessions from one client address at most (default: ${DEFAULT-VALUE})")
    int maxSessionsPerIp;

    @Option(
        names = "--max-sessions-per-connection",
        paramLabel = "N",
        defaultValue = "16",
        description = "WebTransport sessions on one QUIC connection (default: ${DEFAULT-VALUE})")
    int maxSessionsPerConnection;

    @Option(
        names = "--max-streams-per-connection",
        paramLabel = "N",
        defaultValue = "100",
        description =
            "concurrent WebTransport streams a client may open on one connection (default:"
                + " ${DEFAULT-VALUE})")
    int maxStreamsPerConnection;

    @Option(
        names = "--max-buffered-bytes-per-connection",
        paramLabel = "N",
        defaultValue = "4194304",
        description =
            "bytes of unfinished packets one WebTransport connection may hold in the server;"
                + " beyond it the connection is closed (default: ${DEFAULT-VALUE})")
    long maxBufferedBytesPerConnection;

    @Option(
        names = "--max-buffered-bytes",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "bytes of unfinished packets all WebTransport connections together may hold; the"
                + " connection that goes over is closed (default: 0 = a quarter of the heap)")
    long maxBufferedBytes;

    @Option(
        names = "--header-timeout-ms",
        paramLabel = "N",
        defaultValue = "10000",
        description =
            "an HTTP connection must complete its request headers within this time (default:"
                + " ${DEFAULT-VALUE})")
    long headerTimeoutMs;

    @Option(
        names = "--web-root",
        paramLabel = "DIR",
        description =
            "serve the page and assets from DIR, re-read on every request (front-end"
                + " development; default: built into the jar)")
    String webRoot;

    @Option(
        names = "--auth",
        paramLabel = "MODE",
        defaultValue = "guest",
        description =
            "guest: signed guest identities, room tokens, meetings with hosts and a waiting room;"
                + " none: anyone joins /lobby/{user}/{meeting} under any name, for local"
                + " development and benchmarks only (default: ${DEFAULT-VALUE})")
    String auth;

    @Option(
        names = "--jwt-key",
        paramLabel = "BASE64",
        description =
            "key that signs identity and room tokens (32+ random bytes, base64); instances that"
                + " share meetings must share it (default: --jwt-key-file)")
    String jwtKey;

    @Option(
        names = "--jwt-key-file",
        paramLabel = "FILE",
        description = "file holding the key, created on first start (default: DATA_DIR/jwt.key)")
    String jwtKeyFile;

    @Option(
        names = "--database-url",
        paramLabel = "JDBC",
        description =
            "where meetings and hosts are kept, e.g. jdbc:postgresql://db/videocall; instances"
                + " that share meetings through NATS must share it (default: H2 in --data-dir)")
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "NAME", description = "database user")
    String databaseUser;

    @Option(
        names = "--database-password",
        paramLabel = "SECRET",
        description = "database password (better: the DATABASE_PASSWORD variable)")
    String databasePassword;

    @Option(
        names = "--identity-ttl-hours",
        paramLabel = "N",
        defaultValue = "720",
        description = "how long a guest identity stays valid (default: ${DEFAULT-VALUE})")
    long identityTtlHours;

    @Option(
        names = "--room-token-ttl-s",
        paramLabel = "N",
        defaultValue = "60",
        description =
            "how long a room token admits (it is checked when a connection opens; default:"
                + " ${DEFAULT-VALUE})")
    long roomTokenTtlSeconds;

    @Option(
        names = "--max-waiting",
        paramLabel = "N",
        defaultValue = "200",
        description =
            "guests waiting to be let into one meeting at most (default: ${DEFAULT-VALUE})")
    int maxWaiting;

    @Option(
        names = "--meeting-retention-days",
        paramLabel = "N",
        defaultValue = "30",
        description =
            "a meeting nobody has joined or asked to join for this long is deleted, with its hosts"
                + " and participants (default: ${DEFAULT-VALUE})")
    int meetingRetentionDays;

    @Option(
        names = "--api-requests-per-second",
        paramLabel = "N",
        defaultValue = "20",
        description =
            "API requests one address may make per second, bursts of twice that (default:"
                + " ${DEFAULT-VALUE})")
    int apiRequestsPerSecond;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "print this and exit")
    boolean help;

    ServerConfig build() {
      range("--http-port", httpPort, 0, 65535);
      range("--webtransport-port", webTransportPort, 0, 65535);
      range("--max-packet-bytes", maxPacketBytes, 1024, 64 << 20);
      range("--max-control-bytes", maxControlBytes, 256, maxPacketBytes);
      range("--control-packets-per-second", controlPacketsPerSecond, 1, 100_000);
      range("--max-chat-chars", maxChatChars, 1, 100_000);
      range("--outbox-bytes", outboxBytes, 64 << 10, 1L << 32);
      range("--heartbeat-timeout-ms", heartbeatTimeoutMs, 100, 3_600_000);
      range("--max-sessions", maxSessions, 1, 10_000_000);
      range("--max-sessions-per-ip", maxSessionsPerIp, 1, 10_000_000);
      range("--max-sessions-per-connection", maxSessionsPerConnection, 1, 16);
      range("--max-streams-per-connection", maxStreamsPerConnection, 4, 100_000);
      range(
          "--max-buffered-bytes-per-connection",
          maxBufferedBytesPerConnection,
          maxPacketBytes,
          1L << 32);
      range("--header-timeout-ms", headerTimeoutMs, 100, 3_600_000);
      range("--max-buffered-bytes", maxBufferedBytes, 0, Long.MAX_VALUE);
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new InvalidConfig("--tls-cert and --tls-key go together");
      }
      if (tlsCert != null && httpsSelfSigned) {
        throw new InvalidConfig("--https-self-signed and --tls-cert exclude each other");
      }
      boolean identity;
      if ("guest".equals(auth)) {
        identity = true;
      } else if ("none".equals(auth)) {
        identity = false;
      } else {
        throw new InvalidConfig("--auth must be guest or none, got " + auth);
      }
      range("--identity-ttl-hours", identityTtlHours, 1, 24L * 365);
      range("--room-token-ttl-s", roomTokenTtlSeconds, 5, 24 * 3600);
      range("--max-waiting", maxWaiting, 1, 100_000);
      range("--meeting-retention-days", meetingRetentionDays, 1, 36_500);
      range("--api-requests-per-second", apiRequestsPerSecond, 1, 100_000);
      if (identity && blankToNull(natsUrl) != null) {
        if (blankToNull(databaseUrl) == null) {
          throw new InvalidConfig(
              "--nats-url with --auth guest needs --database-url (a PostgreSQL all instances"
                  + " share): meetings and hosts must be the same on every instance");
        }
        if (blankToNull(jwtKey) == null && blankToNull(jwtKeyFile) == null) {
          throw new InvalidConfig(
              "--nats-url with --auth guest needs --jwt-key or --jwt-key-file, the same on every"
                  + " instance: a token one instance signs must admit on the others");
        }
      }
      if (httpRedirectPort != -1) {
        range("--http-redirect-port", httpRedirectPort, 0, 65535);
        if (tlsCert == null && !httpsSelfSigned) {
          throw new InvalidConfig(
              "--http-redirect-port needs HTTPS (--tls-cert or --https-self-signed)");
        }
      }
      return new ServerConfig(
          bind,
          httpPort,
          webTransportPort,
          blankToNull(natsUrl),
          blankToNull(natsCreds),
          natsTls || natsTlsCa != null,
          blankToNull(natsTlsCa),
          maxPacketBytes,
          outboxBytes,
          Duration.ofMillis(heartbeatTimeoutMs),
          blankToNull(webRoot),
          tlsCert,
          tlsKey,
          maxControlBytes,
          maxChatChars,
          controlPacketsPerSecond,
          maxSessions,
          maxSessionsPerIp,
          maxSessionsPerConnection,
          maxStreamsPerConnection,
          maxBufferedBytesPerConnection,
          maxBufferedBytes == 0 ? Runtime.getRuntime().maxMemory() / 4 : maxBufferedBytes,
          Duration.ofMillis(headerTimeoutMs),
          httpsSelfSigned,
          httpRedirectPort,
          trustProxy,
          dataDir,
          java.util.List.copyOf(publicHosts),
          new Access(
              identity,
              blankToNull(jwtKey),
              blankToNull(jwtKeyFile) == null
                  ? java.nio.file.Path.of(dataDir, "jwt.key").toString()
                  : jwtKeyFile,
              blankToNull(databaseUrl),
              blankToNull(databaseUser),
              blankToNull(databasePassword),
              Duration.ofHours(identityTtlHours),
              Duration.ofSeconds(roomTokenTtlSeconds),
              maxWaiting,
              apiRequestsPerSecond,
              Duration.ofDays(meetingRetentionDays)));
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }

    private static void range(String flag, long n, long min, long max) {
      if (n < min || n > max) {
        throw new InvalidConfig(flag + " must be between " + min + " and " + max + ", got " + n);
      }
    }
  }
}
