package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;

import dev.videocall.testkit.LinkEmulator;
import dev.videocall.testkit.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What a viewer on a weak downlink sees today: a 1:1 call in Chromium where the viewer's page and
 * WebSocket go through {@link LinkEmulator} (a userspace bottleneck on loopback), limited to 300
 * kbit/s once the call runs, then lifted. Frames decoded per second, freezes (no new frame for more
 * than 500 ms) and audio, sampled every 100 ms on the viewer's tile. The baseline for the
 * adaptive-quality issue (simulcast and per-receiver layers): today the server can only drop frames
 * for that viewer and wait for the next keyframe. A benchmark, not part of verify:
 *
 * <pre>
 * ./mvnw -q -DskipTests install &amp;&amp; ./mvnw -q -pl e2e test -Dtest=WeakLinkBenchmark
 * </pre>
 */
class WeakLinkBenchmark {
  private static final long LIMIT_BPS = 300_000;
  private static final Duration LIMITED = Duration.ofSeconds(30);
  private static final Duration LIFTED = Duration.ofSeconds(10);

  /** Frames per second, freezes, the longest freeze and audio frames per second over a window. */
  record Window(double fps, int freezes, long longestFreezeMs, long frozenMs, double audioFps) {}

  @Test
  void measure() throws Exception {
    Path video = Path.of("target", "test-video.y4m");
    TestVideo.write(video);
    TestVideo.warm(video);
    List<Participant> people = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start("weak-link");
        LinkEmulator link = LinkEmulator.tcp(server.httpPort);
        Chromium chromium = Chromium.withCamera(video)) {
      Participant sender = new Participant(chromium.browser, "sender");
      people.add(sender);
      // -Dweak.query=&temporal=0 compares without temporal layers
      String query = "?transport=websocket" + System.getProperty("weak.query", "");
      sender.open(server.meetingUrl("sender", "weak") + query).connect();
      Participant viewer = new Participant(chromium.browser, "viewer");
      people.add(viewer);
      viewer.open("http://localhost:" + link.port() + "/meeting/viewer/weak" + query).connect();
      waitUntil(
          "the viewer decodes", Duration.ofSeconds(15), () -> viewer.framesDecoded("sender") >= 30);
      Window clean = sample(viewer, Duration.ofSeconds(10));
      link.setDown(LinkEmulator.Conditions.rate(LIMIT_BPS).queue(32 * 1024));
      long before = link.downBytes();
      long start = System.nanoTime();
      Window limited = sample(viewer, LIMITED);
      double kbps = (link.downBytes() - before) * 8 / ((System.nanoTime() - start) / 1e9) / 1000;
      link.setDown(LinkEmulator.Conditions.CLEAN);
      Window lifted = sample(viewer, LIFTED);
      String table =
          "| link | seconds | video fps | freezes > 500 ms | longest freeze ms | frozen ms |"
              + " audio frames/s |\n|---|---|---|---|---|---|---|\n"
              + row("clean", 10, clean)
              + row(
                  String.format(Locale.ROOT, "300 kbit/s (%.0f kbit/s carried)", kbps),
                  LIMITED.toSeconds(),
                  limited)
              + row("limit lifted", LIFTED.toSeconds(), lifted);
      String report =
          GlassToGlassBenchmark.Machine.heading("A viewer on a 300 kbit/s downlink, today")
              + ". Command: `./mvnw -q -pl e2e test -Dtest=WeakLinkBenchmark`. 1:1 in Chromium,"
              + " the sender's camera playing the test video (640x360, 30 fps, VP8 at 600 kbit/s),"
              + " the viewer's page and WebSocket through testkit's LinkEmulator, limited to 300"
              + " kbit/s downstream (32 KB queue) once the call runs, then lifted. One sender, one"
              + " layer: the baseline before adaptive layers.\n\n"
              + table;
      GlassToGlassBenchmark.Machine.record(report);
    } finally {
      people.forEach(Participant::close);
    }
  }

  private static String row(String link, long seconds, Window w) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.1f | %d | %d | %d | %.1f |%n",
        link,
        seconds,
        w.fps(),
        w.freezes(),
        w.longestFreezeMs(),
        w.frozenMs(),
        w.audioFps());
  }

  private static Window sample(Participant viewer, Duration length) throws InterruptedException {
    long end = System.nanoTime() + length.toNanos();
    long firstFrames = viewer.framesDecoded("sender");
    long firstAudio = viewer.audioFramesDecoded("sender");
    long lastFrames = firstFrames;
    long lastChangeNanos = System.nanoTime();
    long startNanos = lastChangeNanos;
    int freezes = 0;
    long longest = 0;
    long frozen = 0;
    while (System.nanoTime() < end) {
      Thread.sleep(100);
      long frames = viewer.framesDecoded("sender");
      long now = System.nanoTime();
      if (frames != lastFrames) {
        long gapMs = (now - lastChangeNanos) / 1_000_000;
        if (gapMs > 500) {
          freezes++;
          frozen += gapMs;
          longest = Math.max(longest, gapMs);
        }
        lastFrames = frames;
        lastChangeNanos = now;
      }
    }
    long tailMs = (System.nanoTime() - lastChangeNanos) / 1_000_000;
    if (tailMs > 500) {
      freezes++;
      frozen += tailMs;
      longest = Math.max(longest, tailMs);
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return new Window(
        (lastFrames - firstFrames) / seconds,
        freezes,
        longest,
        frozen,
        (viewer.audioFramesDecoded("sender") - firstAudio) / seconds);
  }
}
