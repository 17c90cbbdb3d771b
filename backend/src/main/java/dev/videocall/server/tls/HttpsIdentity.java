package dev.videocall.server.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS identity of the page port (HTTPS, WSS), kept current while the server runs: either the
 * operator's PEM files ({@code --tls-cert}, {@code --tls-key}), re-read when they change on disk (a
 * renewal by certbot or a secret mount), or a self-signed certificate ({@code --https-self-signed})
 * kept in the data directory, so that the browser exception a person accepts once survives
 * restarts, and renewed here before it ends. Listeners hear of every new certificate.
 */
public final class HttpsIdentity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpsIdentity.class);

  /** A generated page certificate lasts a year and is renewed a month before it ends. */
  static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(365);

  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  static final String CERT_FILE = "https-cert.pem";
  static final String KEY_FILE = "https-key.pem";

  private final Path certFile;
  private final Path keyFile;
  private final boolean generated;
  private final List<String> names;
  private final List<Consumer<ServerCertificate>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService watcher;
  private volatile ServerCertificate current;
  private FileTime certTime;
  private FileTime keyTime;

  private HttpsIdentity(
      Path certFile, Path keyFile, boolean generated, List<String> names, Duration checkEvery) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.generated = generated;
    this.names = names;
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tls-certificate-watch");
              t.setDaemon(true);
              return t;
            });
    long ms = checkEvery.toMillis();
    watcher.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The operator's files, checked every {@code checkEvery} for changes. */
  public static HttpsIdentity fromFiles(Path certFile, Path keyFile, Duration checkEvery) {
    HttpsIdentity id = new HttpsIdentity(certFile, keyFile, false, List.of(), checkEvery);
    try {
      id.load();
    } catch (RuntimeException e) {
      id.close();
      throw e;
    }
    return id;
  }

  /**
   * A self-signed certificate for this machine's names and addresses and {@code extraNames}, kept
   * in {@code dataDir} (made if missing): reused while it is valid for more than a month and covers
   * every name, else made anew.
   */
  public static HttpsIdentity selfSigned(Path dataDir, List<String> extraNames) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
    }
    List<String> names = machineNames(extraNames);
    HttpsIdentity id =
        new HttpsIdentity(
            dataDir.resolve(CERT_FILE),
            dataDir.resolve(KEY_FILE),
            true,
            names,
            Duration.ofHours(6));
    try {
      id.reuseOrGenerate();
    } catch (RuntimeException e) {
      id.close();
      throw e;
    }
    return id;
  }

  public ServerCertificate current() {
    return current;
  }

  /** Told (on the watcher thread) of every new certificate after the first. */
  public void onChange(Consumer<ServerCertificate> listener) {
    listeners.add(listener);
  }

  /** Where the certificate is: for the page's "how to trust it" help and the logs. */
  public Path certificateFile() {
    return certFile;
  }

  private void load() {
    current = ServerCertificate.fromPem(certFile, keyFile);
    certTime = modified(certFile);
    keyTime = modified(keyFile);
  }

  private void reuseOrGenerate() {
    if (Files.isRegularFile(certFile) && Files.isRegularFile(keyFile)) {
      try {
        ServerCertificate existing = ServerCertificate.fromPem(certFile, keyFile);
        ServerCertificate asGenerated =
            new ServerCertificate(existing.certificate(), existing.key(), true);
        if (!asGenerated.dueForRenewal(Instant.now(), RENEW_BEFORE)
            && normalized(existing.names()).containsAll(normalized(names))) {
          current = asGenerated;
          log.info("https: using the self-signed certificate in {}", certFile);
          return;
        }
      } catch (RuntimeException e) {
        log.warn("https: {} is not usable ({}); making a new one", certFile, e.getMessage());
      }
    }
    current = generateAndSave();
  }

  private ServerCertificate generateAndSave() {
    ServerCertificate cert = ServerCertificate.generate(SELF_SIGNED_VALIDITY, names);
    try {
      cert.writePem(certFile, keyFile);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + certFile + ": " + e.getMessage(), e);
    }
    log.info(
        "https: made a self-signed certificate for {} (in {}, valid until {}; browsers warn once:"
            + " see the README's HTTPS section)",
        names,
        certFile,
        cert.notAfter());
    return cert;
  }

  /** Re-reads changed files, or renews a generated certificate that is due. */
  void check() {
    try {
      ServerCertificate next = null;
      if (generated) {
        if (current.dueForRenewal(Instant.now(), RENEW_BEFORE)) {
          next = generateAndSave();
        }
      } else if (!modified(certFile).equals(certTime) || !modified(keyFile).equals(keyTime)) {
        FileTime c = modified(certFile);
        FileTime k = modified(keyFile);
        next = ServerCertificate.fromPem(certFile, keyFile); // half-written files throw: next time
        certTime = c;
        keyTime = k;
        log.info(
            "https: {} changed; new connections get the certificate valid until {}",
            certFile,
            next.notAfter());
      }
      if (next != null) {
        current = next;
        for (Consumer<ServerCertificate> l : listeners) {
          l.accept(next);
        }
      }
    } catch (RuntimeException e) {
      log.warn("https: certificate not reloaded: {}", e.getMessage());
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** Names with IP addresses in one spelling ("::1" and "0:0:0:0:0:0:0:1" are one address). */
  static Set<String> normalized(List<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      if (n.contains(":") || n.matches("[0-9.]+")) {
        try {
          out.add(InetAddress.getByName(n).getHostAddress()); // a literal: no lookup
          continue;
        } catch (IOException e) {
          // not an address after all
        }
      }
      out.add(n.toLowerCase(java.util.Locale.ROOT));
    }
    return out;
  }

  /** localhost, this host's names, every address of its interfaces, and the extra names. */
  static List<String> machineNames(List<String> extraNames) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    try {
      InetAddress self = InetAddress.getLocalHost();
      names.add(self.getHostName());
      names.add(self.getCanonicalHostName());
    } catch (IOException e) {
      // a host without a resolvable name: addresses only
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          String text = a.getHostAddress();
          int scope = text.indexOf('%');
          names.add(scope < 0 ? text : text.substring(0, scope));
        }
      }
    } catch (IOException e) {
      // no interface list: the names above
    }
    names.addAll(extraNames);
    return new ArrayList<>(names);
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }
}
