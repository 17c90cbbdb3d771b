package dev.videocall.server;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real nats-server from PATH on free loopback ports, restartable on the same port. */
final class NatsProcess implements AutoCloseable {
  final int port;
  final int monitorPort;
  final int clusterPort;
  private final int[] routes;
  private Process process;

  /** A single server. */
  NatsProcess() throws IOException {
    this(0, new int[0]);
  }

  /**
   * A cluster node listening for routes on {@code clusterPort} (0: not clustered) and routing to
   * the nodes on {@code routes}.
   */
  NatsProcess(int clusterPort, int... routes) throws IOException {
    this.port = freePort();
    this.monitorPort = freePort();
    this.clusterPort = clusterPort;
    this.routes = routes.clone();
    start();
  }

  static int freeClusterPort() throws IOException {
    return freePort();
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  void start() throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "nats-server",
                "-a",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-m",
                String.valueOf(monitorPort)));
    if (clusterPort > 0) {
      cmd.addAll(
          List.of("--cluster_name", "videocall", "--cluster", "nats://127.0.0.1:" + clusterPort));
      StringBuilder r = new StringBuilder();
      for (int route : routes) {
        r.append(r.length() == 0 ? "" : ",").append("nats://127.0.0.1:").append(route);
      }
      if (r.length() > 0) {
        cmd.addAll(List.of("--routes", r.toString()));
      }
    }
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/nats-server.log")))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "nats-server is not on PATH: install Debian's nats-server package (.ci/run does)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        sleep(50);
      }
    }
    throw new IllegalStateException("nats-server did not start on port " + port);
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** A counter of /varz, e.g. "in_msgs". */
  long varz(String field) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/varz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("\"" + field + "\":\\s*(\\d+)").matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no " + field + " in /varz");
    }
    return Long.parseLong(m.group(1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
