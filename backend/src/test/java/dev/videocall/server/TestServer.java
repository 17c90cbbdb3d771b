package dev.videocall.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts a real server on a free loopback port. */
final class TestServer {
  private TestServer() {}

  static VideocallServer start() {
    return start(1 << 20, Duration.ofSeconds(10));
  }

  static VideocallServer start(int maxPacketBytes, Duration heartbeatTimeout) {
    return start(maxPacketBytes, heartbeatTimeout, null);
  }

  /** An instance on NATS ({@code natsUrl}), or in-process when it is null. */
  static VideocallServer start(int maxPacketBytes, Duration heartbeatTimeout, String natsUrl) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bind",
                "127.0.0.1",
                "--http-port",
                "0",
                "--webtransport-port",
                "0",
                "--max-packet-bytes",
                Integer.toString(maxPacketBytes),
                "--heartbeat-timeout-ms",
                Long.toString(heartbeatTimeout.toMillis())));
    if (natsUrl != null) {
      args.add("--nats-url");
      args.add(natsUrl);
    }
    return start(args.toArray(String[]::new));
  }

  /** A server on free loopback ports with these flags added. */
  static VideocallServer start(String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of("--bind", "127.0.0.1", "--http-port", "0", "--webtransport-port", "0"));
    List<String> asked = List.of(flags);
    if (!asked.contains("--auth")) {
      args.addAll(List.of("--auth", "none")); // identity tests ask for --auth guest
    }
    if (!asked.contains("--data-dir")) {
      // never the default ./videocall-data: a test must not leave a key in the working tree
      args.addAll(List.of("--data-dir", "target/test-data/" + System.nanoTime()));
    }
    args.addAll(asked);
    return VideocallServer.start(ServerConfig.of(args.toArray(String[]::new)));
  }

  static URI url(VideocallServer server) {
    return URI.create("http://127.0.0.1:" + server.httpPort());
  }
}
