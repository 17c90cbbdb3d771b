package dev.videocall.server;

import java.time.Duration;
import java.util.Map;

/**
 * Server settings from flags, with environment variables of the same meaning as defaults (flag
 * {@code --http-port} = variable {@code HTTP_PORT}), and embedded defaults for everything.
 */
public record ServerConfig(
    String bind,
    int httpPort,
    int webTransportPort,
    String natsUrl,
    int maxPacketBytes,
    long outboxBytes,
    Duration heartbeatTimeout,
    String webRoot,
    String tlsCert,
    String tlsKey) {

  public static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar videocall-server.jar [options]",
          "  --bind ADDR                 address to listen on (BIND, default 0.0.0.0)",
          "  --http-port N               HTTP and WebSocket port, 0 = any free (HTTP_PORT, default"
              + " 8080)",
          "  --webtransport-port N       UDP port for WebTransport, 0 = any free"
              + " (WEBTRANSPORT_PORT, default 4433)",
          "  --tls-cert FILE --tls-key FILE  PEM certificate and key for WebTransport (TLS_CERT,"
              + " TLS_KEY; default: self-signed, renewed)",
          "  --nats-url URL[,URL...]     NATS servers for multi-instance meetings (NATS_URL)",
          "  --max-packet-bytes N        largest packet a client may send (MAX_PACKET_BYTES,"
              + " default 1048576)",
          "  --outbox-bytes N            per-receiver outbound queue (OUTBOX_BYTES, default"
              + " 1048576)",
          "  --heartbeat-timeout-ms N    close sessions silent this long (HEARTBEAT_TIMEOUT_MS,"
              + " default 10000)",
          "  --web-root DIR              serve the page and assets from DIR, re-read on every"
              + " request (front-end development; default: built into the jar)",
          "  --help                      print this and exit");

  /** The embedded defaults: everything on one machine, no NATS, no configuration files. */
  public static ServerConfig defaults() {
    return new Values().build();
  }

  /** Thrown for anything the user typed wrong; the message says what. */
  public static final class InvalidConfig extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidConfig(String message) {
      super(message);
    }
  }

  /** Returns null when {@code --help} was asked for. */
  public static ServerConfig parse(String[] args, Map<String, String> env) {
    Values v = new Values();
    v.apply("--bind", env.get("BIND"));
    v.apply("--http-port", env.get("HTTP_PORT"));
    v.apply("--webtransport-port", env.get("WEBTRANSPORT_PORT"));
    v.apply("--nats-url", env.get("NATS_URL"));
    v.apply("--max-packet-bytes", env.get("MAX_PACKET_BYTES"));
    v.apply("--outbox-bytes", env.get("OUTBOX_BYTES"));
    v.apply("--heartbeat-timeout-ms", env.get("HEARTBEAT_TIMEOUT_MS"));
    v.apply("--web-root", env.get("WEB_ROOT"));
    v.apply("--tls-cert", env.get("TLS_CERT"));
    v.apply("--tls-key", env.get("TLS_KEY"));
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int eq = flag.indexOf('=');
      if (eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      if (flag.equals("--help") || flag.equals("-h")) {
        return null;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new InvalidConfig(flag + " needs a value");
        }
        value = args[++i];
      }
      if (!v.apply(flag, value)) {
        throw new InvalidConfig("unknown option " + flag);
      }
    }
    return v.build();
  }

  private static final class Values {
    String bind = "0.0.0.0";
    int httpPort = 8080;
    int webTransportPort = 4433;
    String natsUrl;
    int maxPacketBytes = 1 << 20;
    long outboxBytes = 1 << 20;
    long heartbeatTimeoutMs = 10_000;
    String webRoot;
    String tlsCert;
    String tlsKey;

    /** False for an unknown flag; a null value (unset variable) changes nothing. */
    boolean apply(String flag, String value) {
      if (value == null) {
        return true;
      }
      switch (flag) {
        case "--bind":
          bind = value;
          return true;
        case "--http-port":
          httpPort = (int) number(flag, value, 0, 65535);
          return true;
        case "--webtransport-port":
          webTransportPort = (int) number(flag, value, 0, 65535);
          return true;
        case "--nats-url":
          natsUrl = value.isBlank() ? null : value;
          return true;
        case "--max-packet-bytes":
          maxPacketBytes = (int) number(flag, value, 1024, 64 << 20);
          return true;
        case "--outbox-bytes":
          outboxBytes = number(flag, value, 64 << 10, 1L << 32);
          return true;
        case "--tls-cert":
          tlsCert = value;
          return true;
        case "--tls-key":
          tlsKey = value;
          return true;
        case "--web-root":
          webRoot = value.isBlank() ? null : value;
          return true;
        case "--heartbeat-timeout-ms":
          heartbeatTimeoutMs = number(flag, value, 100, 3_600_000);
          return true;
        default:
          return false;
      }
    }

    ServerConfig build() {
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new InvalidConfig("--tls-cert and --tls-key go together");
      }
      return new ServerConfig(
          bind,
          httpPort,
          webTransportPort,
          natsUrl,
          maxPacketBytes,
          outboxBytes,
          Duration.ofMillis(heartbeatTimeoutMs),
          webRoot,
          tlsCert,
          tlsKey);
    }

    static long number(String flag, String value, long min, long max) {
      long n;
      try {
        n = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new InvalidConfig(flag + " must be a number, got '" + value + "'");
      }
      if (n < min || n > max) {
        throw new InvalidConfig(flag + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    }
  }
}
