package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;

import dev.videocall.testkit.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What simulcast costs: the sender's CPU for one camera layer against three, and the server's CPU
 * per packet it delivers with the forwarder on. ana sends from her own Chromium (the fake camera
 * playing the test video); ben and cat watch from another, cameras off, tiles large (so they get
 * the largest layer and dynacast pauses nothing). Each run measures {@link #WINDOW} after a
 * warm-up; the runs alternate one layer / three layers, {@link #ROUNDS} of each, and the medians go
 * to docs/PERFORMANCE.md. ana's CPU is that of her whole Chromium (browser, GPU and renderer
 * processes: capture, encoders, page), read from /proc through {@link ProcessHandle}. A benchmark,
 * not part of verify:
 *
 * <pre>
 * ./mvnw -q -DskipTests install &amp;&amp; ./mvnw -q -pl e2e test -Dtest=SimulcastCpuBenchmark
 * </pre>
 */
class SimulcastCpuBenchmark {
  private static final Duration WARM_UP = Duration.ofSeconds(8);
  private static final Duration WINDOW = Duration.ofSeconds(20);
  private static final int ROUNDS = 3;

  /** One measured window. */
  record Run(
      boolean simulcast,
      double senderCpuPercent,
      double serverCpuPercent,
      double serverMicrosPerPacket,
      double viewerFps,
      String layerFrames) {}

  @Test
  void measure() throws Exception {
    Path video = Path.of("target", "test-video.y4m");
    TestVideo.write(video);
    TestVideo.warm(video);
    List<Run> runs = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start("simulcast-cpu")) {
      Set<Long> before = chromiumRoots();
      try (Chromium anaBrowser = Chromium.withCamera(video)) {
        Set<Long> anaRoots = chromiumRoots();
        anaRoots.removeAll(before);
        try (Chromium viewers = Chromium.launch()) {
          // round 0 warms up the server's JIT and the browsers (its server figures were twice
          // the later ones): not a result
          for (int round = 0; round <= ROUNDS; round++) {
            for (boolean simulcast : new boolean[] {false, true}) {
              Run r = run(server, anaBrowser, viewers, anaRoots, simulcast, round);
              System.out.println((round == 0 ? "warm-up: " : "") + r);
              if (round > 0) {
                runs.add(r);
              }
            }
          }
        }
      }
    }
    Run single = median(runs, false);
    Run layered = median(runs, true);
    StringBuilder table =
        new StringBuilder(
            "| sender | runs | sender's Chromium CPU % (median) | server CPU % | server µs per"
                + " delivered packet | viewers' fps | frames per layer in the last run |\n"
                + "|---|---|---|---|---|---|---|\n");
    for (Run r : new Run[] {single, layered}) {
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.0f | %.1f | %.1f | %.1f | %s |%n",
              r.simulcast() ? "three layers (?simulcast=1)" : "one layer",
              ROUNDS,
              r.senderCpuPercent(),
              r.serverCpuPercent(),
              r.serverMicrosPerPacket(),
              r.viewerFps(),
              r.layerFrames()));
    }
    String report =
        GlassToGlassBenchmark.Machine.heading(
                "Simulcast's cost: sender CPU for 1 vs 3 layers, server CPU per packet")
            + ". Command: `./mvnw -q -pl e2e test -Dtest=SimulcastCpuBenchmark`. One sender (the"
            + " test video, 640x360 at 30 fps) and two viewers with large tiles, "
            + WINDOW.toSeconds()
            + " s per run after "
            + WARM_UP.toSeconds()
            + " s of warm-up, runs alternating after a first pair that is not counted; CPU % is of"
            + " one core; dynacast pauses the middle layer when no viewer needs it (its frames in"
            + " the last column). Ratio three layers / one"
            + String.format(
                Locale.ROOT,
                " layer: sender %.2fx, server per packet %.2fx.\n\n",
                layered.senderCpuPercent() / single.senderCpuPercent(),
                layered.serverMicrosPerPacket() / single.serverMicrosPerPacket())
            + table;
    GlassToGlassBenchmark.Machine.record(report);
  }

  private static Run run(
      ServerProcess server,
      Chromium anaBrowser,
      Chromium viewers,
      Set<Long> anaRoots,
      boolean simulcast,
      int round)
      throws Exception {
    String meeting = "cpu-" + (simulcast ? "s" : "1") + round;
    List<Participant> people = new ArrayList<>();
    try {
      Participant ana = new Participant(anaBrowser.browser, "ana");
      people.add(ana);
      ana.open(server.meetingUrl("ana", meeting) + (simulcast ? "?simulcast=1" : "")).connect();
      Participant ben = new Participant(viewers.browser, "ben");
      people.add(ben);
      ben.open(server.meetingUrl("ben", meeting)).connectWithoutCamera();
      Participant cat = new Participant(viewers.browser, "cat");
      people.add(cat);
      cat.open(server.meetingUrl("cat", meeting)).connectWithoutCamera();
      waitUntil(
          "both viewers decode ana",
          Duration.ofSeconds(30),
          () -> ben.framesDecoded("ana") >= 30 && cat.framesDecoded("ana") >= 30);
      Thread.sleep(WARM_UP.toMillis());
      Map<Long, Long> senderBefore = cpuNanos(anaRoots);
      long serverBefore = cpuNanos(server.pid());
      long packetsBefore = server.metric("videocall_packets_delivered_total");
      long framesBefore = ben.framesDecoded("ana") + cat.framesDecoded("ana");
      long start = System.nanoTime();
      Thread.sleep(WINDOW.toMillis());
      double seconds = (System.nanoTime() - start) / 1e9;
      long senderNanos = delta(senderBefore, cpuNanos(anaRoots));
      long serverNanos = cpuNanos(server.pid()) - serverBefore;
      long packets = server.metric("videocall_packets_delivered_total") - packetsBefore;
      long frames = ben.framesDecoded("ana") + cat.framesDecoded("ana") - framesBefore;
      return new Run(
          simulcast,
          senderNanos / 1e9 / seconds * 100,
          serverNanos / 1e9 / seconds * 100,
          serverNanos / 1e3 / Math.max(1, packets),
          frames / 2.0 / seconds,
          ana.js("document.documentElement.dataset.cameraLayerFrames"));
    } finally {
      Artifacts.save("simulcast-cpu-" + meeting, people);
      people.forEach(Participant::close);
    }
  }

  /** Chromium browser processes (not their children) started by this JVM, now. */
  private static Set<Long> chromiumRoots() {
    Set<Long> roots = new HashSet<>();
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().command().orElse("").contains("chromium"))
        .filter(
            p ->
                p.parent()
                    .map(parent -> !parent.info().command().orElse("").contains("chromium"))
                    .orElse(true))
        .forEach(p -> roots.add(p.pid()));
    return roots;
  }

  /** CPU time of each process in the trees under {@code roots}, by pid. */
  private static Map<Long, Long> cpuNanos(Set<Long> roots) {
    Map<Long, Long> out = new HashMap<>();
    for (long root : roots) {
      ProcessHandle.of(root)
          .ifPresent(
              r -> {
                out.put(r.pid(), cpuNanos(r.pid()));
                r.descendants().forEach(d -> out.put(d.pid(), cpuNanos(d.pid())));
              });
    }
    return out;
  }

  private static long cpuNanos(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos)
        .orElse(0L);
  }

  /** CPU used between two readings: processes in both, and what new ones used since they began. */
  private static long delta(Map<Long, Long> before, Map<Long, Long> after) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return sum;
  }

  private static Run median(List<Run> runs, boolean simulcast) {
    List<Run> of = runs.stream().filter(r -> r.simulcast() == simulcast).toList();
    return new Run(
        simulcast,
        median(of.stream().mapToDouble(Run::senderCpuPercent).toArray()),
        median(of.stream().mapToDouble(Run::serverCpuPercent).toArray()),
        median(of.stream().mapToDouble(Run::serverMicrosPerPacket).toArray()),
        median(of.stream().mapToDouble(Run::viewerFps).toArray()),
        of.get(of.size() - 1).layerFrames());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
