package dev.videocall.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged server jar, started as a separate process on a free port. */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  final int httpPort;

  private ServerProcess(Process process, int httpPort) {
    this.process = process;
    this.httpPort = httpPort;
  }

  static ServerProcess start(String name, String... extraArgs) throws IOException {
    String jar =
        System.getProperty("videocall.server.jar", "../backend/target/videocall-server.jar");
    if (!new File(jar).isFile()) {
      throw new IllegalStateException("server jar not built: " + jar + " (run ./mvnw verify)");
    }
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-jar",
            jar,
            "--bind",
            "127.0.0.1",
            "--http-port",
            String.valueOf(port),
            "--webtransport-port",
            "0"));
    cmd.addAll(List.of(extraArgs));
    File log = new File("target/" + name + "-server.log");
    log.getParentFile().mkdirs();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    ServerProcess server = new ServerProcess(p, port);
    server.awaitHealthy();
    return server;
  }

  /** The page URL a person would open; "localhost" keeps the page a secure context. */
  String meetingUrl(String user, String meeting) {
    return "http://localhost:" + httpPort + "/meeting/" + user + "/" + meeting;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitHealthy() {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz"))
                    .build(),
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
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
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
