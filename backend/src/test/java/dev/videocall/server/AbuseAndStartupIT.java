package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.server.tls.ServerCertificate;
import dev.videocall.testkit.Ports;
import dev.videocall.testkit.ServerProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening issue, items 10 and 11, against the packaged jar: slow request heads, many sessions
 * from one address, and every way of failing to start (clear one-line message, exit code 1, within
 * 5 s, nothing left running).
 */
class AbuseAndStartupIT {
  private static final Duration START_BUDGET = Duration.ofSeconds(5);

  @Test
  void aSlowRequestHeadIsClosedAtTheHeaderTimeout() throws Exception {
    try (ServerProcess server = ServerProcess.start("slowloris", "--header-timeout-ms", "1000");
        Socket s = new Socket("127.0.0.1", server.httpPort)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      boolean closed = false;
      for (int i = 0; i < 40 && !closed; i++) {
        Thread.sleep(250);
        try {
          out.write(("X-Slow-" + i + ": still coming\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (java.io.IOException e) {
          closed = true;
        }
        if (!closed && in.available() == 0) {
          s.setSoTimeout(1);
          try {
            closed = in.read() < 0;
          } catch (java.net.SocketTimeoutException stillOpen) {
            // keeps going
          } catch (java.io.IOException reset) {
            closed = true;
          }
          s.setSoTimeout(10_000);
        }
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(closed, "a header line every 250 ms kept the connection open for " + ms + " ms");
      assertTrue(ms < 4000, "closed after " + ms + " ms");
      assertEquals(1, server.metric("videocall_http_slow_requests_closed_total"));
      // a normal request still works
      assertTrue(server.health().contains("\"ok\""));
    }
  }

  @Test
  void sessionsFromOneAddressAreCapped() throws Exception {
    List<Peer> peers = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start("per-ip", "--max-sessions-per-ip", "5")) {
      for (int i = 0; i < 5; i++) {
        peers.add(Peer.join(server.url(), "u" + i, "m" + i));
      }
      assertThrows(Exception.class, () -> Peer.join(server.url(), "one-too-many", "m"));
      assertTrue(server.metric("videocall_refused_sessions_per_ip_total") >= 1);
      peers.remove(0).close();
      Thread.sleep(300);
      peers.add(Peer.join(server.url(), "next", "m"));
      assertEquals(5, peers.size());
    } finally {
      peers.forEach(Peer::close);
    }
  }

  @Test
  void aTcpPortInUseStopsTheServerWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      ServerProcess.Exit exit =
          ServerProcess.runExpectingExit(
              START_BUDGET,
              "--bind",
              "127.0.0.1",
              "--http-port",
              String.valueOf(taken.getLocalPort()),
              "--webtransport-port",
              "0");
      assertFailedCleanly(exit, "--http-port");
    }
  }

  @Test
  void aUdpPortInUseStopsTheServerWithAClearMessage() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      ServerProcess.Exit exit =
          ServerProcess.runExpectingExit(
              START_BUDGET,
              "--bind",
              "127.0.0.1",
              "--http-port",
              String.valueOf(Ports.free()),
              "--webtransport-port",
              String.valueOf(taken.getLocalPort()));
      assertFailedCleanly(exit, "--webtransport-port");
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsTheServer(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Pem.write(cert, ServerCertificate.generate().certificate());
    Pem.write(key, ServerCertificate.generate().key());
    ServerProcess.Exit exit =
        ServerProcess.runExpectingExit(
            START_BUDGET,
            "--bind",
            "127.0.0.1",
            "--http-port",
            "0",
            "--webtransport-port",
            "0",
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString());
    assertFailedCleanly(exit, "does not belong to the certificate");
  }

  @Test
  void anUnreadableCertificateStopsTheServer(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Files.writeString(cert, "not a certificate");
    Pem.write(key, ServerCertificate.generate().key());
    ServerProcess.Exit exit =
        ServerProcess.runExpectingExit(
            START_BUDGET,
            "--bind",
            "127.0.0.1",
            "--http-port",
            "0",
            "--webtransport-port",
            "0",
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString());
    assertFailedCleanly(exit, "cannot read the TLS certificate");
  }

  private static void assertFailedCleanly(ServerProcess.Exit exit, String mentions) {
    assertEquals(1, exit.code(), "exit code; output:\n" + exit.output());
    assertTrue(exit.took().compareTo(START_BUDGET) < 0, "took " + exit.took());
    String error =
        exit.output()
            .lines()
            .filter(l -> l.startsWith("error: "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no 'error:' line in\n" + exit.output()));
    assertTrue(error.contains(mentions), error);
    assertTrue(!exit.output().contains("\tat "), "no stack trace:\n" + exit.output());
  }
}
