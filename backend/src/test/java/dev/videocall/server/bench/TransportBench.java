package dev.videocall.server.bench;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.types.Packets;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connect time and relay throughput of the Java client over WebSocket and WebTransport, against the
 * packaged server jar started as its own process on loopback. Prints a table and appends it, with
 * the machine's facts, to docs/PERFORMANCE.md. Run (from the repository root, after {@code ./mvnw
 * -DskipTests install}):
 *
 * <pre>
 * ./mvnw -q -pl backend exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.videocall.server.bench.TransportBench
 * </pre>
 */
public final class TransportBench {
  private static final int CONNECTS = 30;
  private static final int FRAMES = 3000;
  private static final int FRAME_BYTES = 10 * 1024;
  private static final int WINDOW = 32;

  /** Runs before measuring: the JIT compiles the QUIC paths late and takes a core meanwhile. */
  private static final int WARM_UP_RUNS = 6;

  private static final int RUNS = 5;

  private TransportBench() {}

  public static void main(String[] args) throws Exception {
    // the repository root: given, or the working directory (Maven's, when run as documented)
    Path root =
        (args.length > 0
                ? Path.of(args[0])
                : Files.isDirectory(Path.of("backend")) ? Path.of("") : Path.of(".."))
            .toAbsolutePath()
            .normalize();
    File jar = root.resolve("backend/target/videocall-server.jar").toFile();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process server =
        new ProcessBuilder(
                "java",
                "-jar",
                jar.getPath(),
                "--bind",
                "127.0.0.1",
                "--http-port",
                String.valueOf(port),
                "--webtransport-port",
                "0",
                "--auth",
                "none")
            .redirectErrorStream(true)
            .redirectOutput(new File("target/bench-server.log"))
            .start();
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
      awaitHealthy(base, server);
      StringBuilder table = new StringBuilder();
      table
          .append("| transport | connect median (ms) | connect p90 (ms) | relay MB/s (median of ")
          .append(RUNS)
          .append(") | frames/s |\n|---|---|---|---|---|\n");
      for (String transport : new String[] {"websocket", "webtransport"}) {
        connectTimes(base, transport, 5); // warm-up
        List<Double> connects = connectTimes(base, transport, CONNECTS);
        List<double[]> runs = new ArrayList<>();
        for (int i = 0; i < WARM_UP_RUNS + RUNS; i++) {
          double[] run = throughput(base, transport, i);
          System.err.printf(
              Locale.ROOT,
              "%s run %d%s: %.1f MB/s%n",
              transport,
              i,
              i < WARM_UP_RUNS ? " (warm-up)" : "",
              run[0]);
          if (i >= WARM_UP_RUNS) {
            runs.add(run);
          }
        }
        runs.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] median = runs.get(RUNS / 2);
        table.append(
            String.format(
                Locale.ROOT,
                "| %s | %.1f | %.1f | %.1f | %.0f |%n",
                transport,
                percentile(connects, 50),
                percentile(connects, 90),
                median[0],
                median[1]));
      }
      String facts =
          String.format(
              Locale.ROOT,
              "%s, %d cores, %d MB max heap, JDK %s, %s",
              LocalDate.now(),
              Runtime.getRuntime().availableProcessors(),
              Runtime.getRuntime().maxMemory() >> 20,
              System.getProperty("java.version"),
              ManagementFactory.getOperatingSystemMXBean().getName());
      String section =
          "\n### Transports: connect time and relay throughput ("
              + facts
              + ")\n\n"
              + "One sender and one receiver of the Java client in one meeting, server jar on"
              + " loopback; connect = connect() until SESSION_ASSIGNED ("
              + CONNECTS
              + " sequential, after 5 warm-up); throughput = "
              + FRAMES
              + " video frames of "
              + FRAME_BYTES
              + " bytes with at most "
              + WINDOW
              + " in flight end to end, median of "
              + RUNS
              + " runs after "
              + WARM_UP_RUNS
              + " warm-up runs (the sender waits on a semaphore, it does not spin).\n\n"
              + table;
      System.out.print(section);
      Path doc = root.resolve("docs/PERFORMANCE.md");
      if (!Files.exists(doc)) {
        Files.writeString(
            doc,
            "# Performance\n\nMeasured results, newest last. Commands are in" + " each section.\n",
            StandardCharsets.UTF_8);
      }
      Files.writeString(doc, section, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  private static List<Double> connectTimes(URI base, String transport, int n) throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      VideocallClient c =
          VideocallClient.to(base)
              .user("c" + i)
              .meeting("connect-" + transport)
              .transport(transport)
              .connect()
              .get(10, TimeUnit.SECONDS);
      ms.add((System.nanoTime() - start) / 1e6);
      c.close();
    }
    return ms;
  }

  /** Returns {MB/s, frames/s}. */
  private static double[] throughput(URI base, String transport, int run) throws Exception {
    String meeting = "tp-" + transport + "-" + run;
    AtomicLong received = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    // the window: the sender blocks (not spins: this machine has 2 cores) until frames arrive
    Semaphore window = new Semaphore(WINDOW);
    VideocallClient receiver =
        VideocallClient.to(base)
            .user("rx")
            .meeting(meeting)
            .transport(transport)
            .onPacket(
                p -> {
                  if (p.getPacketType() == PacketWrapper.PacketType.MEDIA
                      && p.getMediaKind() == PacketWrapper.MediaKind.VIDEO) {
                    bytes.addAndGet(p.getSerializedSize());
                    received.incrementAndGet();
                    window.release();
                  }
                })
            .connect()
            .get(10, TimeUnit.SECONDS);
    VideocallClient sender =
        VideocallClient.to(base)
            .user("tx")
            .meeting(meeting)
            .transport(transport)
            .connect()
            .get(10, TimeUnit.SECONDS);
    byte[] payload = new byte[FRAME_BYTES];
    long start = System.nanoTime();
    for (int i = 0; i < FRAMES; i++) {
      if (!window.tryAcquire(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("stalled at " + received.get() + " of " + FRAMES);
      }
      MediaPacket frame = Packets.videoFrame(payload, true, i, i, VideoCodec.VP8);
      sender.send(Packets.media(frame));
    }
    while (received.get() < FRAMES) {
      Thread.sleep(1);
      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
        throw new IllegalStateException("received only " + received.get() + " of " + FRAMES);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    sender.close();
    receiver.close();
    return new double[] {bytes.get() / 1e6 / seconds, FRAMES / seconds};
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void awaitHealthy(URI base, Process server) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 300; i++) {
      if (!server.isAlive()) {
        throw new IllegalStateException("server exited; see target/bench-server.log");
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("server not healthy");
  }
}
