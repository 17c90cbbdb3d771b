package dev.videocall.server;

import static dev.videocall.server.Peer.isMedia;
import static dev.videocall.server.Peer.media;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.VideoCodec;
import dev.videocall.server.tls.ServerCertificate;
import dev.videocall.types.Packets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page port over HTTPS/WSS ("HTTPS for the meeting page" issue), in-process servers. */
class HttpsIntegrationTest {
  private static URI https(VideocallServer s) {
    return URI.create("https://localhost:" + s.httpPort());
  }

  private static ServerCertificate certificate(Path dir, String name) throws Exception {
    ServerCertificate c =
        ServerCertificate.generate(Duration.ofDays(30), List.of("localhost", "127.0.0.1", name));
    c.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    return c;
  }

  private static VideocallClient client(
      VideocallServer s, String user, String transport, X509Certificate trusted, List<String> got)
      throws Exception {
    return VideocallClient.to(https(s))
        .user(user)
        .meeting("secure")
        .transport(transport)
        .trust(trusted)
        .onPacket(
            w -> {
              if (isMedia(w, MediaType.VIDEO)) {
                got.add(media(w).getData().toStringUtf8());
              }
            })
        .connect()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void wssAndWebTransportRelayLikeWsWithTheOperatorsCertificate(@TempDir Path dir)
      throws Exception {
    ServerCertificate cert = certificate(dir, "meet.test");
    try (VideocallServer s =
        TestServer.start(
            "--tls-cert", dir.resolve("cert.pem").toString(),
            "--tls-key", dir.resolve("key.pem").toString())) {
      List<String> toAlice = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<String> toBob = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (VideocallClient alice = client(s, "alice", "websocket", cert.certificate(), toAlice);
          VideocallClient bob = client(s, "bob", "webtransport", cert.certificate(), toBob)) {
        alice.send(frame("over wss"));
        bob.send(frame("over webtransport"));
        waitFor(() -> toBob.contains("over wss") && toAlice.contains("over webtransport"));
      }
      // the operator's certificate is checked, not pinned: /api/webtransport gives no hash
      String api = get(s, "/api/webtransport", cert.certificate());
      assertFalse(api.contains("certificateHash"), api);
      assertTrue(api.contains("\"httpsSpkiSha256\":\"" + cert.spkiSha256Base64() + "\""), api);
      // without the certificate trusted, a client refuses the server
      assertThrows(
          Exception.class,
          () ->
              VideocallClient.to(https(s))
                  .user("mallory")
                  .meeting("secure")
                  .connect()
                  .get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aSelfSignedCertificateIsKeptInTheDataDirectoryAndReused(@TempDir Path dir) throws Exception {
    byte[] first;
    try (VideocallServer s =
        TestServer.start("--https-self-signed", "--data-dir", dir.toString())) {
      first = servedCertificate(s.httpPort());
      assertTrue(Files.isRegularFile(dir.resolve("https-cert.pem")));
      assertTrue(Files.isRegularFile(dir.resolve("https-key.pem")));
      X509Certificate served =
          ServerCertificate.fromPem(dir.resolve("https-cert.pem"), dir.resolve("https-key.pem"))
              .certificate();
      assertArrayEquals(served.getEncoded(), first);
      assertTrue(get(s, "/healthz", served).contains("\"ok\""));
    }
    try (VideocallServer s =
        TestServer.start("--https-self-signed", "--data-dir", dir.toString())) {
      assertArrayEquals(first, servedCertificate(s.httpPort()), "the same after a restart");
    }
  }

  @Test
  void aChangedCertificateFileIsServedWithoutARestart(@TempDir Path dir) throws Exception {
    certificate(dir, "first.test");
    try (VideocallServer s =
        TestServer.start(
            "--tls-cert", dir.resolve("cert.pem").toString(),
            "--tls-key", dir.resolve("key.pem").toString())) {
      byte[] before = servedCertificate(s.httpPort());
      Thread.sleep(1100); // a different modification time, whatever the file system's resolution
      ServerCertificate renewed = certificate(dir, "second.test");
      waitFor(
          () -> {
            try {
              return java.util.Arrays.equals(
                  servedCertificate(s.httpPort()), renewed.certificate().getEncoded());
            } catch (Exception e) {
              return false;
            }
          },
          Duration.ofSeconds(25));
      assertFalse(java.util.Arrays.equals(before, servedCertificate(s.httpPort())));
      String api = get(s, "/api/webtransport", renewed.certificate());
      assertTrue(
          api.contains(renewed.spkiSha256Base64()), "WebTransport has the new one too: " + api);
    }
  }

  @Test
  void plainHttpOnTheRedirectPortGoesToHttps(@TempDir Path dir) throws Exception {
    certificate(dir, "meet.test");
    try (VideocallServer s =
        TestServer.start(
            "--tls-cert", dir.resolve("cert.pem").toString(),
            "--tls-key", dir.resolve("key.pem").toString(),
            "--http-redirect-port", "0")) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://localhost:" + s.redirectPort() + "/meeting/alice/demo?x=1"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(308, r.statusCode(), r.body());
      assertEquals(
          "https://localhost:" + s.httpPort() + "/meeting/alice/demo?x=1",
          r.headers().firstValue("Location").orElse(""));
    }
  }

  @Test
  void forwardedAddressesCountOnlyWhenTheProxyIsTrusted() throws Exception {
    try (VideocallServer trusting =
            TestServer.start("--trust-proxy", "--max-sessions-per-ip", "2");
        VideocallServer ignoring = TestServer.start("--max-sessions-per-ip", "2")) {
      // behind a trusted proxy: the forwarded address is the client's
      assertTrue(connects(trusting, "a1", "10.0.0.1"));
      assertTrue(connects(trusting, "a2", "10.0.0.1"));
      assertFalse(connects(trusting, "a3", "10.0.0.1"), "a third session of 10.0.0.1");
      assertTrue(connects(trusting, "b1", "10.0.0.2"), "another client behind the proxy");
      // without --trust-proxy a client cannot dodge its limit with a header
      assertTrue(connects(ignoring, "c1", "10.0.0.1"));
      assertTrue(connects(ignoring, "c2", "10.0.0.2"));
      assertFalse(connects(ignoring, "c3", "10.0.0.3"), "all three come from 127.0.0.1");
    }
  }

  private static final List<WebSocket> open = new java.util.ArrayList<>();

  /** A WebSocket session with an X-Forwarded-For header, kept open; false if refused. */
  private static boolean connects(VideocallServer s, String user, String forwardedFor) {
    try {
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("X-Forwarded-For", forwardedFor)
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + s.httpPort() + "/lobby/" + user + "/m"),
                  new WebSocket.Listener() {})
              .get(5, TimeUnit.SECONDS);
      open.add(ws);
      Thread.sleep(100);
      return s.relay().sessionCount() > 0 && !ws.isInputClosed();
    } catch (java.util.concurrent.ExecutionException e) {
      return false;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static dev.videocall.proto.PacketWrapper frame(String text) {
    return Packets.media(
        Packets.videoFrame(text.getBytes(StandardCharsets.UTF_8), true, 1, 0, VideoCodec.VP8));
  }

  /** The certificate a TLS client is shown on the port, whatever it is. */
  private static byte[] servedCertificate(int port) throws Exception {
    javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0].getEncoded();
    }
  }

  private static String get(VideocallServer s, String path, X509Certificate trusted)
      throws Exception {
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("t", trusted);
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(ssl)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(https(s) + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
    waitFor(condition, Duration.ofSeconds(10));
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
