package dev.videocall.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificateTest {
  @Test
  void generatedCertificateIsWhatChromiumPinsByHash() throws Exception {
    ServerCertificate cert = ServerCertificate.generate();
    assertTrue(cert.selfSigned());
    assertEquals("SHA256withECDSA", cert.certificate().getSigAlgName());
    ECPublicKey key = (ECPublicKey) cert.certificate().getPublicKey();
    assertEquals(256, key.getParams().getCurve().getField().getFieldSize(), "P-256");
    Duration validity =
        Duration.between(
            cert.certificate().getNotBefore().toInstant(),
            cert.certificate().getNotAfter().toInstant());
    assertTrue(validity.compareTo(Duration.ofDays(14)) < 0, "Chromium's limit: " + validity);
    List<String> names =
        cert.certificate().getSubjectAlternativeNames().stream()
            .map(n -> String.valueOf(n.get(1)))
            .collect(Collectors.toList());
    assertTrue(names.contains("localhost") && names.contains("127.0.0.1"), names.toString());
    assertArrayEquals(
        MessageDigest.getInstance("SHA-256").digest(cert.certificate().getEncoded()),
        cert.sha256());
    assertEquals(64, cert.sha256Hex().length());
  }

  @Test
  void renewalIsDueTwoDaysBeforeExpiryForSelfSignedOnly() {
    ServerCertificate cert = ServerCertificate.generate();
    Instant expiry = cert.notAfter();
    Duration margin = Duration.ofDays(2);
    assertFalse(cert.dueForRenewal(Instant.now(), margin));
    assertFalse(cert.dueForRenewal(expiry.minus(Duration.ofDays(3)), margin));
    assertTrue(cert.dueForRenewal(expiry.minus(Duration.ofDays(1)), margin));
    ServerCertificate configured = new ServerCertificate(cert.certificate(), cert.key(), false);
    assertFalse(configured.dueForRenewal(expiry.minus(Duration.ofDays(1)), margin));
  }

  @Test
  void readsAConfiguredCertificateAndKeyFromPem(@TempDir Path dir) throws Exception {
    ServerCertificate generated = ServerCertificate.generate();
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    Files.writeString(certFile, pem("CERTIFICATE", generated.certificate().getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", generated.key().getEncoded()));
    ServerCertificate loaded = ServerCertificate.fromPem(certFile, keyFile);
    assertFalse(loaded.selfSigned());
    assertArrayEquals(generated.sha256(), loaded.sha256());
    assertArrayEquals(generated.key().getEncoded(), loaded.key().getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
