package dev.videocall.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nats-server from PATH on free loopback ports, restartable on the same port. Fails with a
 * clear message, never a skip, when nats-server is not installed.
 */
public final class NatsProcess implements AutoCloseable {
  public final int port;
  public final int monitorPort;
  private final int clusterPort;
  private final int[] routes;
  private final long maxPayload;
  private final String config;
  private Process process;

  /** A single server with default limits. */
  public NatsProcess() throws IOException {
    this(0, 0, new int[0]);
  }

  /**
   * A single server with this configuration file text (authorization, TLS...), started now or only
   * by {@link #start} (to test what happens while NATS is down).
   */
  public static NatsProcess withConfig(String config, boolean startNow) throws IOException {
    return new NatsProcess(0, config, startNow, 0);
  }

  /**
   * A cluster node listening for routes on {@code clusterPort} and routing to the nodes on {@code
   * routes}.
   */
  public NatsProcess(int clusterPort, int... routes) throws IOException {
    this(0, clusterPort, routes);
  }

  private NatsProcess(long maxPayload, int clusterPort, int... routes) throws IOException {
    this(maxPayload, null, true, clusterPort, routes);
  }

  private NatsProcess(
      long maxPayload, String config, boolean startNow, int clusterPort, int... routes)
      throws IOException {
    this.port = Ports.free();
    this.monitorPort = Ports.free();
    this.maxPayload = maxPayload;
    this.config = config;
    this.clusterPort = clusterPort;
    this.routes = routes.clone();
    if (startNow) {
      start();
    }
  }

  /** A single server whose max_payload is {@code bytes} (nats-server's default is 1 MB). */
  public static NatsProcess withMaxPayload(long bytes) throws IOException {
    return new NatsProcess(bytes, 0);
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public void start() throws IOException {
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
    if (maxPayload > 0 || config != null) {
      Path conf = Files.createTempFile("nats-", ".conf");
      conf.toFile().deleteOnExit();
      Files.writeString(
          conf,
          (maxPayload > 0 ? "max_payload: " + maxPayload + "\n" : "")
              + (config == null ? "" : config + "\n"),
          StandardCharsets.UTF_8);
      cmd.addAll(List.of("-c", conf.toString()));
    }
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
    File log = new File("target/nats-server.log");
    log.getParentFile().mkdirs();
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "nats-server is not on PATH: install Debian's nats-server package (.ci/run does)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "nats-server exited with " + process.exitValue() + "; see " + log);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Ports.sleep(50);
      }
    }
    throw new IllegalStateException("nats-server did not start on port " + port);
  }

  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Subscriptions of all client connections together, from /connz. */
  public long subscriptions() throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + monitorPort + "/connz?subs=1&limit=1024"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    // one entry per connection, each with its subscription count
    long n = 0;
    for (JsonNode c : JSON.readTree(body).path("connections")) {
      n += c.path("subscriptions").asLong();
    }
    return n;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A counter of /varz, e.g. "in_msgs". */
  public long varz(String field) throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/varz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    JsonNode v = JSON.readTree(body).get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalStateException("no " + field + " in /varz");
    }
    return v.asLong();
  }

  /** The process id, e.g. for CPU and memory readings. */
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
