package dev.videocall.server;

import java.net.URI;
import java.time.Duration;

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
    ServerConfig d = ServerConfig.defaults();
    return VideocallServer.start(
        new ServerConfig(
            "127.0.0.1",
            0,
            0,
            natsUrl,
            maxPacketBytes,
            d.outboxBytes(),
            heartbeatTimeout,
            null,
            null,
            null));
  }

  static URI url(VideocallServer server) {
    return URI.create("http://127.0.0.1:" + server.httpPort());
  }
}
