package dev.videocall.server;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM files and trust for certificates made in tests. */
final class Pem {
  private Pem() {}

  /** Writes a certificate, or a private key as PKCS#8, in PEM form. */
  static void write(Path file, Object certificateOrKey) throws IOException {
    if (certificateOrKey instanceof java.security.PrivateKey key) {
      Files.writeString(
          file,
          "-----BEGIN PRIVATE KEY-----\n"
              + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                  .encodeToString(key.getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
      return;
    }
    try (Writer w = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(certificateOrKey);
    }
  }

  /** A TLS context that trusts exactly {@code cert}. */
  static SSLContext trusting(X509Certificate cert) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("test", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }
}
