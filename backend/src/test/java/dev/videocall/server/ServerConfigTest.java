package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void embeddedDefaultsNeedNothing() {
    ServerConfig c = ServerConfig.parse(new String[0], Map.of());
    assertEquals(ServerConfig.defaults(), c);
    assertEquals(8080, c.httpPort());
    assertEquals(4433, c.webTransportPort());
    assertEquals("0.0.0.0", c.bind());
    assertNull(c.natsUrl());
    assertEquals(1 << 20, c.maxPacketBytes());
    assertEquals(Duration.ofSeconds(10), c.heartbeatTimeout());
  }

  @Test
  void flagsOverrideEnvironmentWhichOverridesDefaults() {
    ServerConfig c =
        ServerConfig.parse(
            new String[] {"--http-port", "9000", "--bind=127.0.0.1"},
            Map.of(
                "HTTP_PORT", "7000", "WEBTRANSPORT_PORT", "5000", "HEARTBEAT_TIMEOUT_MS", "2500"));
    assertEquals(9000, c.httpPort());
    assertEquals(5000, c.webTransportPort());
    assertEquals("127.0.0.1", c.bind());
    assertEquals(Duration.ofMillis(2500), c.heartbeatTimeout());
  }

  @Test
  void mistakesAreNamed() {
    assertEquals(
        "--http-port must be between 0 and 65535, got 70000",
        assertThrows(
                ServerConfig.InvalidConfig.class,
                () -> ServerConfig.parse(new String[] {"--http-port", "70000"}, Map.of()))
            .getMessage());
    assertEquals(
        "Unknown options: '--htp-port', '1'",
        assertThrows(
                ServerConfig.InvalidConfig.class,
                () -> ServerConfig.parse(new String[] {"--htp-port", "1"}, Map.of()))
            .getMessage());
    assertEquals(
        "Missing required parameter for option '--bind' (ADDR)",
        assertThrows(
                ServerConfig.InvalidConfig.class,
                () -> ServerConfig.parse(new String[] {"--bind"}, Map.of()))
            .getMessage());
    assertEquals(
        "Invalid value for option '--max-packet-bytes': 'lots' is not an int",
        assertThrows(
                ServerConfig.InvalidConfig.class,
                () -> ServerConfig.parse(new String[0], Map.of("MAX_PACKET_BYTES", "lots")))
            .getMessage(),
        "a bad environment variable is reported under its flag's name");
  }

  @Test
  void usageIsGeneratedAndNamesEveryLimit() {
    String usage = ServerConfig.usage();
    for (String flag :
        new String[] {
          "--max-control-bytes",
          "--control-packets-per-second",
          "--max-sessions",
          "--max-sessions-per-ip",
          "--max-streams-per-connection",
          "--max-buffered-bytes-per-connection",
          "--header-timeout-ms"
        }) {
      org.junit.jupiter.api.Assertions.assertTrue(usage.contains(flag), flag + " in\n" + usage);
    }
  }

  @Test
  void httpsFlagsGoTogetherSensibly() {
    assertEquals(
        "--http-redirect-port needs HTTPS (--tls-cert or --https-self-signed)",
        assertThrows(
                ServerConfig.InvalidConfig.class,
                () -> ServerConfig.parse(new String[] {"--http-redirect-port", "80"}, Map.of()))
            .getMessage());
    assertEquals(
        "--https-self-signed and --tls-cert exclude each other",
        assertThrows(
                ServerConfig.InvalidConfig.class,
                () ->
                    ServerConfig.parse(
                        new String[] {
                          "--https-self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem"
                        },
                        Map.of()))
            .getMessage());
    ServerConfig c =
        ServerConfig.parse(
            new String[] {"--https-self-signed", "--public-host", "a.lan,b.lan"},
            Map.of("TRUST_PROXY", "true"));
    org.junit.jupiter.api.Assertions.assertTrue(c.https() && c.trustProxy());
    assertEquals(java.util.List.of("a.lan", "b.lan"), c.publicHosts());
  }

  @Test
  void helpReturnsNull() {
    assertNull(ServerConfig.parse(new String[] {"--help"}, Map.of()));
  }
}
