package dev.videocall.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS identity of the WebTransport endpoint: a configured certificate, or a self-signed ECDSA
 * P-256 one valid for less than 14 days, which is what Chromium accepts through {@code
 * serverCertificateHashes} without any trusted CA.
 *
 * @param certificate the leaf certificate
 * @param key its private key
 * @param selfSigned true when generated here (and so renewed here)
 */
public record ServerCertificate(X509Certificate certificate, PrivateKey key, boolean selfSigned) {
  /** Validity of generated certificates; Chromium refuses hashes of certificates valid 14+ days. */
  public static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(10);

  /** A new self-signed certificate for localhost and 127.0.0.1 (and ::1), valid 10 days. */
  public static ServerCertificate generate() {
    return generate(SELF_SIGNED_VALIDITY, List.of("localhost", "127.0.0.1", "::1"));
  }

  /**
   * A new self-signed ECDSA P-256 certificate valid for {@code validity}, for these host names and
   * IP addresses.
   */
  public static ServerCertificate generate(Duration validity, List<String> names) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=videocall self-signed");
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              name,
              pair.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              names.stream()
                  .distinct()
                  .map(
                      n ->
                          new GeneralName(
                              isIpAddress(n) ? GeneralName.iPAddress : GeneralName.dNSName, n))
                  .toArray(GeneralName[]::new)));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new ServerCertificate(cert, pair.getPrivate(), true);
    } catch (GeneralSecurityException
        | org.bouncycastle.operator.OperatorCreationException
        | IOException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate", e);
    }
  }

  /** A certificate and key from PEM files (--tls-cert, --tls-key). */
  public static ServerCertificate fromPem(Path certFile, Path keyFile) {
    try {
      X509Certificate cert;
      try (var in = Files.newInputStream(certFile)) {
        cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      PrivateKey key;
      try (Reader reader = Files.newBufferedReader(keyFile);
          PEMParser parser = new PEMParser(reader)) {
        Object parsed = parser.readObject();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (parsed instanceof PEMKeyPair pair) {
          key = converter.getKeyPair(pair).getPrivate();
        } else if (parsed instanceof PrivateKeyInfo info) {
          key = converter.getPrivateKey(info);
        } else {
          throw new IllegalArgumentException(keyFile + " holds no private key in PEM form");
        }
      }
      requireMatch(cert, key, certFile, keyFile);
      return new ServerCertificate(cert, key, false);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the TLS certificate or key: " + e.getMessage(), e);
    }
  }

  private static boolean isIpAddress(String name) {
    return name.contains(":") || name.matches("[0-9.]+");
  }

  /** The names (DNS and IP) the certificate is for. */
  public List<String> names() {
    try {
      java.util.Collection<List<?>> alt = certificate.getSubjectAlternativeNames();
      List<String> out = new java.util.ArrayList<>();
      if (alt != null) {
        for (List<?> entry : alt) {
          out.add(String.valueOf(entry.get(1)));
        }
      }
      return out;
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  /** True when a certificate generated here should be replaced: {@code margin} before it ends. */
  public boolean dueForRenewal(Instant now, Duration margin) {
    return selfSigned && now.plus(margin).isAfter(notAfter());
  }

  /** Writes the certificate and its key (PKCS#8) as PEM files, the key readable by its owner. */
  public void writePem(Path certFile, Path keyFile) throws IOException {
    java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
    try {
      Files.writeString(
          certFile,
          "-----BEGIN CERTIFICATE-----\n"
              + b64.encodeToString(certificate.getEncoded())
              + "\n-----END CERTIFICATE-----\n");
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
    Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system
    }
    Files.writeString(
        tmp,
        "-----BEGIN PRIVATE KEY-----\n"
            + b64.encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** An in-memory key store holding this identity, for Jetty. */
  public java.security.KeyStore keyStore(char[] password) {
    try {
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "videocall", key, password, new java.security.cert.Certificate[] {certificate});
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a key store", e);
    }
  }

  /** Refuses a key that is not the certificate's: every TLS handshake would fail later. */
  private static void requireMatch(
      X509Certificate cert, PrivateKey key, Path certFile, Path keyFile)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default ->
              throw new IllegalArgumentException(
                  keyFile + " holds a " + key.getAlgorithm() + " key, which is not supported");
        };
    byte[] probe = "videocall key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.security.Signature signer = java.security.Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
    try {
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (java.security.InvalidKeyException e) {
      // a key of another type than the certificate's: not a match either
    }
    throw new IllegalArgumentException(
        "the private key in " + keyFile + " does not belong to the certificate in " + certFile);
  }

  /** SHA-256 of the certificate's DER encoding: what {@code serverCertificateHashes} wants. */
  public byte[] sha256() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Base64 SHA-256 of the public key (SubjectPublicKeyInfo): what Chromium's
   * --ignore-certificate-errors-spki-list takes.
   */
  public String spkiSha256Base64() {
    try {
      return java.util.Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256());
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }
}
