package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.testkit.Ports;
import dev.videocall.testkit.ServerProcess;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "HTTPS for the meeting page": a host name that is not localhost ({@code meet.test}, mapped to
 * this machine by Chromium's host resolver rules). Over HTTPS with a certificate for it (trusted by
 * its public key, as a LAN demo's people would accept it once) two people see and hear each other
 * on both transports; over plain HTTP the page says that camera and microphone need HTTPS and joins
 * to watch and listen.
 */
class HttpsE2ETest {
  private final List<Participant> people = new ArrayList<>();
  private String scenario;

  @AfterEach
  void close() {
    Artifacts.save(scenario, people);
    people.forEach(Participant::close);
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "webtransport"})
  void twoPeopleMeetOverHttpsAtAHostName(String transport, @TempDir Path dir) throws Exception {
    scenario = "https-" + transport;
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    String spki = TestCertificate.write(cert, key, "meet.test");
    int wtPort = Ports.free();
    try (ServerProcess server =
            ServerProcess.start(
                "https-" + transport,
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString(),
                "--webtransport-port",
                String.valueOf(wtPort));
        Chromium chromium =
            Chromium.launch(
                List.of(
                    "--host-resolver-rules=MAP meet.test 127.0.0.1",
                    "--ignore-certificate-errors-spki-list=" + spki,
                    "--origin-to-force-quic-on=meet.test:" + wtPort))) {
      String base = "https://meet.test:" + server.httpPort;
      for (String user : List.of("ines", "jon")) {
        Participant p = new Participant(chromium.browser, user);
        people.add(p);
        p.open(base + "/meeting/" + user + "/lan?transport=" + transport).connect();
        assertEquals(transport, p.page.evaluate("document.documentElement.dataset.transport"));
        assertEquals(true, p.page.evaluate("window.isSecureContext"));
      }
      Participant ines = people.get(0);
      Participant jon = people.get(1);
      for (Participant[] pair : new Participant[][] {{ines, jon}, {jon, ines}}) {
        Participant viewer = pair[0];
        String peer = pair[1].user;
        waitUntil(
            viewer.user + " sees and hears " + peer,
            Duration.ofSeconds(15),
            () -> viewer.framesDecoded(peer) >= 10 && viewer.audioFramesDecoded(peer) >= 10);
        assertTrue(viewer.canvasStats(peer).looksLikeAPicture());
      }
    }
  }

  @Test
  void overPlainHttpThePageSaysWhyAndJoinsToWatchAndListen() throws Exception {
    scenario = "http-insecure";
    try (ServerProcess server = ServerProcess.start("http-insecure");
        Chromium chromium =
            Chromium.launch(List.of("--host-resolver-rules=MAP meet.test 127.0.0.1"))) {
      Participant sender = new Participant(chromium.browser, "kai");
      people.add(sender);
      sender.open(server.meetingUrl("kai", "lan")).connect(); // localhost: a secure context
      Participant watcher = new Participant(chromium.browser, "lea");
      people.add(watcher);
      watcher.page.navigate("http://meet.test:" + server.httpPort + "/meeting/lea/lan");
      watcher.page.waitForSelector("html[data-state=ready]");
      assertEquals("true", watcher.page.evaluate("document.documentElement.dataset.insecure"));
      String message = watcher.page.innerText("#device-message");
      assertTrue(message.contains("need a secure (HTTPS) page"), message);
      assertTrue(message.contains("--https-self-signed"), message);
      // WebCodecs, like the camera, exists only in secure contexts: an insecure page can take part
      // (be seen in the participant list, see who is there) but decode nothing
      watcher.connect();
      assertEquals(
          "websocket", watcher.page.evaluate("document.documentElement.dataset.transport"));
      waitUntil(
          "the watcher sees kai's tile",
          Duration.ofSeconds(10),
          () -> watcher.tile("kai").count() == 1);
      waitUntil(
          "kai sees the watcher's tile, without video",
          Duration.ofSeconds(10),
          () -> sender.tile("lea").count() == 1);
      sleep(1000);
      assertTrue(
          watcher.console.stream().noneMatch(l -> l.startsWith("pageerror")),
          "no errors in the insecure page: " + watcher.console);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A self-signed certificate for a name (and localhost, 127.0.0.1), valid a month, made with the
   * JDK's keytool and written as PEM; returns its SPKI SHA-256 (base64).
   */
  static final class TestCertificate {
    private TestCertificate() {}

    static String write(Path certFile, Path keyFile, String name) throws Exception {
      Path store = certFile.resolveSibling("test.p12");
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      Process p =
          new ProcessBuilder(
                  keytool,
                  "-genkeypair",
                  "-alias",
                  "test",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-validity",
                  "30",
                  "-dname",
                  "CN=" + name,
                  "-ext",
                  "SAN=dns:" + name + ",dns:localhost,ip:127.0.0.1",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  "changeit")
              .redirectErrorStream(true)
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      try (java.io.InputStream in = java.nio.file.Files.newInputStream(store)) {
        ks.load(in, "changeit".toCharArray());
      }
      X509Certificate cert = (X509Certificate) ks.getCertificate("test");
      java.security.PrivateKey key =
          (java.security.PrivateKey) ks.getKey("test", "changeit".toCharArray());
      Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
      java.nio.file.Files.writeString(
          certFile,
          "-----BEGIN CERTIFICATE-----\n"
              + b64.encodeToString(cert.getEncoded())
              + "\n-----END CERTIFICATE-----\n");
      java.nio.file.Files.writeString(
          keyFile,
          "-----BEGIN PRIVATE KEY-----\n"
              + b64.encodeToString(key.getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    }
  }
}
