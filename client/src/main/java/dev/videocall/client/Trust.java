package dev.videocall.client;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS trust: the JVM's CAs plus certificates the caller names (self-signed or private CAs). */
final class Trust {
  private Trust() {}

  static TrustManagerFactory trustManagerFactory(List<X509Certificate> extra) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (extra.isEmpty()) {
        tmf.init((KeyStore) null);
        return tmf;
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c : extra) {
        ks.setCertificateEntry("trusted-" + i++, c);
      }
      tmf.init(ks);
      return tmf;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot set up TLS trust", e);
    }
  }

  /**
   * For QUIC: the chain checks of {@link #trustManagerFactory} without the host name check the
   * JDK's trust manager adds when it is handed the TLS engine (Netty's QUIC engine names no peer
   * host, and would fail every handshake); the name is checked here against {@code host}.
   */
  static javax.net.ssl.X509ExtendedTrustManager forQuic(List<X509Certificate> extra, String host) {
    javax.net.ssl.X509TrustManager jdk = null;
    for (javax.net.ssl.TrustManager tm : trustManagerFactory(extra).getTrustManagers()) {
      if (tm instanceof javax.net.ssl.X509TrustManager x) {
        jdk = x;
      }
    }
    javax.net.ssl.X509TrustManager chain = jdk;
    return new javax.net.ssl.X509ExtendedTrustManager() {
      @Override
      public void checkServerTrusted(
          X509Certificate[] certs, String authType, java.net.Socket socket)
          throws java.security.cert.CertificateException {
        checkServerTrusted(certs, authType);
      }

      @Override
      public void checkServerTrusted(
          X509Certificate[] certs, String authType, javax.net.ssl.SSLEngine engine)
          throws java.security.cert.CertificateException {
        checkServerTrusted(certs, authType);
      }

      @Override
      public void checkClientTrusted(
          X509Certificate[] certs, String authType, java.net.Socket socket)
          throws java.security.cert.CertificateException {
        checkClientTrusted(certs, authType);
      }

      @Override
      public void checkClientTrusted(
          X509Certificate[] certs, String authType, javax.net.ssl.SSLEngine engine)
          throws java.security.cert.CertificateException {
        checkClientTrusted(certs, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] certs, String authType)
          throws java.security.cert.CertificateException {
        chain.checkServerTrusted(certs, authType);
        if (!names(certs[0]).contains(host.toLowerCase(java.util.Locale.ROOT))) {
          throw new java.security.cert.CertificateException(
              "the server's certificate is not for " + host + " but for " + names(certs[0]));
        }
      }

      @Override
      public void checkClientTrusted(X509Certificate[] certs, String authType)
          throws java.security.cert.CertificateException {
        throw new java.security.cert.CertificateException("not a server");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
      }
    };
  }

  /** The DNS names and IP addresses a certificate is for, normalized. */
  static java.util.Set<String> names(X509Certificate cert)
      throws java.security.cert.CertificateParsingException {
    java.util.Set<String> out = new java.util.HashSet<>();
    java.util.Collection<List<?>> alt = cert.getSubjectAlternativeNames();
    if (alt != null) {
      for (List<?> entry : alt) {
        String n = String.valueOf(entry.get(1)).toLowerCase(java.util.Locale.ROOT);
        out.add(n);
        if (((Integer) entry.get(0)) == 7) { // an IP address: also in its shortest spelling
          try {
            out.add(java.net.InetAddress.getByName(n).getHostAddress());
          } catch (java.net.UnknownHostException e) {
            // keep it as written
          }
        }
      }
    }
    return out;
  }

  static SSLContext sslContext(List<X509Certificate> extra) {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, trustManagerFactory(extra).getTrustManagers(), null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }
}
