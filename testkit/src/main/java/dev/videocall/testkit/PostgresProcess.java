package dev.videocall.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (Debian's {@code postgresql} package) in a fresh temporary cluster on a free
 * loopback port, stopped and deleted on close. PostgreSQL refuses to run as root: as root (CI) the
 * cluster belongs to the {@code postgres} user and its programs run through {@code runuser}. Fails
 * with a clear message, never a skip, when PostgreSQL is not installed.
 */
public final class PostgresProcess implements AutoCloseable {
  public final int port;
  private final Path dir;
  private final Path data;
  private final Process process;

  private PostgresProcess(int port, Path dir, Path data, Process process) {
    this.port = port;
    this.dir = dir;
    this.data = data;
    this.process = process;
  }

  /**
   * The JDBC URL of the cluster's {@code postgres} database, user {@code videocall}, no password.
   */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public String user() {
    return "videocall";
  }

  public static PostgresProcess start(String name) throws IOException {
    Path bin = binDir();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("videocall-pg-" + name + "-");
    Path data = dir.resolve("data");
    if (root) {
      UserPrincipal postgres =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    run(
        root,
        dir.resolve("initdb.log").toFile(),
        bin.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        "videocall",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-sync");
    int port = Ports.free();
    List<String> cmd =
        command(
            root,
            bin.resolve("postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            String.valueOf(port),
            "-k",
            dir.toString(),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off");
    File log = dir.resolve("postgres.log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    PostgresProcess pg = new PostgresProcess(port, dir, data, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "PostgreSQL exited at start: " + Files.readString(log.toPath()));
      }
      if (accepts(port) && Files.readString(log.toPath()).contains("ready to accept")) {
        return pg;
      }
      sleep(100);
    }
    pg.close();
    throw new IllegalStateException("PostgreSQL did not start within 30 s: " + log);
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Debian keeps each major version in /usr/lib/postgresql/N/bin: the newest. */
  private static Path binDir() throws IOException {
    String given = System.getProperty("postgres.bin");
    if (given != null) {
      return Path.of(given);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Path newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                .max(Comparator.comparing(v -> version(v.getFileName().toString())))
                .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      }
    }
    throw new IllegalStateException(
        "PostgreSQL not found under /usr/lib/postgresql: install it (apt-get install postgresql)"
            + " or pass -Dpostgres.bin=DIR");
  }

  private static int version(String name) {
    try {
      return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static List<String> command(boolean root, String... args) {
    List<String> cmd = new ArrayList<>();
    if (root) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void run(boolean root, File log, String... args) throws IOException {
    Process p =
        new ProcessBuilder(command(root, args))
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", args) + " failed: " + Files.readString(log.toPath()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Fast shutdown (SIGINT to the postmaster, by the PID it wrote), then the files go. */
  @Override
  public void close() {
    try {
      Path pidFile = data.resolve("postmaster.pid");
      if (Files.exists(pidFile)) {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        new ProcessBuilder("kill", "-INT", String.valueOf(pid))
            .start()
            .waitFor(5, TimeUnit.SECONDS);
      }
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the OS cleans up what is left
    }
  }
}
