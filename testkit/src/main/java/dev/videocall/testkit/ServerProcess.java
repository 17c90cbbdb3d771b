package dev.videocall.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A videocall server in its own process on a free port, so it can also be killed outright. */
public final class ServerProcess implements AutoCloseable {
  private static final String MAIN = "dev.videocall.server.Main";

  private final Process process;
  public final int httpPort;
  private final File log;
  private final String scheme;

  private ServerProcess(Process process, int httpPort, File log, String scheme) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
    this.scheme = scheme;
  }

  /**
   * The packaged jar ({@code videocall.server.jar} system property, else the backend's target),
   * logging to {@code target/NAME-server.log}.
   */
  public static ServerProcess start(String name, String... extraArgs) throws IOException {
    return launch(name, List.of("-jar", jar()), extraArgs);
  }

  /** The packaged jar with JVM options (e.g. a small heap) before {@code -jar}. */
  public static ServerProcess startWithJvmOptions(
      String name, List<String> jvmOptions, String... extraArgs) throws IOException {
    List<String> what = new ArrayList<>(jvmOptions);
    what.add("-jar");
    what.add(jar());
    return launch(name, what, extraArgs);
  }

  private static String jar() {
    String jar =
        System.getProperty("videocall.server.jar", "../backend/target/videocall-server.jar");
    if (!new File(jar).isFile()) {
      throw new IllegalStateException("server jar not built: " + jar + " (run ./mvnw verify)");
    }
    return jar;
  }

  /** How a server process that was expected to fail ended. */
  public record Exit(int code, Duration took, String output) {}

  /**
   * Runs the packaged jar with exactly {@code args} and waits up to {@code timeout} for it to exit
   * (start-up failures); a process still running then is killed and reported with code -1.
   */
  public static Exit runExpectingExit(Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-jar");
    cmd.add(jar());
    cmd.addAll(List.of(args));
    if (!List.of(args).contains("--data-dir")) {
      // never the default ./videocall-data in the working tree
      cmd.add("--data-dir");
      cmd.add(java.nio.file.Files.createTempDirectory("videocall-exit").toString());
    }
    long start = System.nanoTime();
    File out = File.createTempFile("videocall-exit", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
      boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (!exited) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      return new Exit(
          exited ? p.exitValue() : -1,
          took,
          java.nio.file.Files.readString(out.toPath(), java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      out.delete();
    }
  }

  /**
   * The server's main class from this JVM's own class path (for tests that run before packaging).
   */
  public static ServerProcess fromClassPath(String name, String... extraArgs) throws IOException {
    return launch(name, List.of("-cp", System.getProperty("java.class.path"), MAIN), extraArgs);
  }

  private static ServerProcess launch(String name, List<String> what, String... extraArgs)
      throws IOException {
    int port = Ports.free();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.addAll(what);
    cmd.addAll(
        List.of(
            "--bind",
            "127.0.0.1",
            "--http-port",
            String.valueOf(port),
            "--webtransport-port",
            "0"));
    List<String> asked = List.of(extraArgs);
    if (!asked.contains("--auth")) {
      // tests of media, transports and the page name their users in the URL; tests of
      // identity, hosts and waiting rooms ask for --auth guest
      cmd.addAll(List.of("--auth", "none"));
    }
    if (!asked.contains("--data-dir")) {
      // a directory of its own: two servers of one test must not share an H2 file
      cmd.addAll(
          List.of("--data-dir", new File("target/" + name + "-data-" + port).getAbsolutePath()));
    }
    cmd.addAll(asked);
    File log = new File("target/" + name + "-server.log");
    log.getParentFile().mkdirs();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    List<String> given = List.of(extraArgs);
    String scheme =
        given.contains("--tls-cert") || given.contains("--https-self-signed") ? "https" : "http";
    ServerProcess server = new ServerProcess(p, port, log, scheme);
    server.awaitHealthy();
    return server;
  }

  /** The base URL for API clients. */
  public URI url() {
    return URI.create(scheme + "://127.0.0.1:" + httpPort);
  }

  /** The page URL a person would open; "localhost" keeps the page a secure context. */
  public String meetingUrl(String user, String meeting) {
    return scheme + "://localhost:" + httpPort + "/meeting/" + user + "/" + meeting;
  }

  /**
   * An HTTP client for this server's own endpoints (health, metrics): over HTTPS it accepts the
   * server's certificate whatever it is, as tests start servers with throw-away certificates.
   */
  HttpClient http() {
    if (!"https".equals(scheme)) {
      return HttpClient.newHttpClient();
    }
    try {
      javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
      ssl.init(
          null,
          new javax.net.ssl.TrustManager[] {
            new javax.net.ssl.X509TrustManager() {
              @Override
              public void checkClientTrusted(
                  java.security.cert.X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(
                  java.security.cert.X509Certificate[] chain, String authType) {}

              @Override
              public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
              }
            }
          },
          null);
      javax.net.ssl.SSLParameters params = new javax.net.ssl.SSLParameters();
      params.setEndpointIdentificationAlgorithm(""); // names are not checked either
      return HttpClient.newBuilder().sslContext(ssl).sslParameters(params).build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Everything the server printed so far. */
  public String log() throws IOException {
    return java.nio.file.Files.readString(log.toPath(), java.nio.charset.StandardCharsets.UTF_8);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The server's {@code /metrics} value of {@code metric}, or -1 when it is not there. */
  public long metric(String metric) throws IOException, InterruptedException {
    String body =
        http()
            .send(
                HttpRequest.newBuilder(URI.create(url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : body.split("\n")) {
      if (line.startsWith(metric + " ")) {
        return (long) Double.parseDouble(line.substring(metric.length() + 1).trim());
      }
    }
    return -1;
  }

  /** The server's WebTransport (UDP) port, as its discovery endpoint gives it to pages. */
  public int webTransportPort() throws IOException, InterruptedException {
    String body =
        http()
            .send(
                HttpRequest.newBuilder(URI.create(url() + "/api/webtransport")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"url\"\\s*:\\s*\"https://[^:\"]+:(\\d+)").matcher(body);
    if (!m.find()) {
      throw new IOException("no WebTransport url in " + body);
    }
    return Integer.parseInt(m.group(1));
  }

  public long pid() {
    return process.pid();
  }

  /** Ends the process with SIGKILL: no goodbye to anyone, as in a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** {@code /healthz}'s body. */
  public String health() throws IOException, InterruptedException {
    return http()
        .send(
            HttpRequest.newBuilder(URI.create(url() + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private void awaitHealthy() {
    HttpClient http = http();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/healthz")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Ports.sleep(100);
    }
    throw new IllegalStateException("server not healthy within 30 s");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
