package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;

import dev.videocall.testkit.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Glass-to-glass latency of a 1:1 call in Chromium, per transport: both cameras play the test video
 * whose frames carry their number. The sender's page notes when each numbered frame is shown in its
 * own preview ({@code requestVideoFrameCallback}); the viewer's page notes when that number is
 * first drawn on the remote tile's canvas. Both pages live in one browser, so one clock ({@code
 * Date.now()}) serves both. A benchmark, not part of {@code ./mvnw verify}:
 *
 * <pre>
 * ./mvnw -q -DskipTests install &amp;&amp; ./mvnw -q -pl e2e test -Dtest=GlassToGlassBenchmark
 * </pre>
 *
 * It prints p50/p95/p99 per transport and appends them to docs/PERFORMANCE.md.
 */
class GlassToGlassBenchmark {
  private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("g2g.seconds", 30));

  /**
   * Installed in every page before its scripts: the barcode reader (the same layout and CRC as
   * {@link TestVideo}), a hook on canvas drawImage that records the first time each frame number is
   * drawn on a remote tile, and a requestVideoFrameCallback loop on the self preview that records
   * when each number was shown to the sender.
   */
  private static final String PROBE =
      """
      (() => {
        const CELLS = 24;
        const crc = n => {
          let c = 0;
          for (const b of [(n >>> 8) & 255, n & 255]) {
            c ^= b;
            for (let i = 0; i < 8; i++) c = (c & 128) ? ((c << 1) ^ 7) & 255 : (c << 1) & 255;
          }
          return c ^ 0x55;
        };
        const read = (row, w) => {
          let code = 0;
          for (let i = 0; i < CELLS; i++) {
            const x0 = Math.floor(i * w / CELLS), x1 = Math.floor((i + 1) * w / CELLS);
            let sum = 0, n = 0;
            for (let x = x0 + ((x1 - x0) >> 2); x < x1 - ((x1 - x0) >> 2); x++, n++) {
              const o = x * 4;
              sum += 0.299 * row[o] + 0.587 * row[o + 1] + 0.114 * row[o + 2];
            }
            code = code * 2 + (sum >= 128 * n ? 1 : 0);
          }
          const number = Math.floor(code / 256);
          return (code & 255) === crc(number) ? number : -1;
        };
        window.__g2g = {shown: {}, drawn: {}};
        const original = CanvasRenderingContext2D.prototype.drawImage;
        CanvasRenderingContext2D.prototype.drawImage = function (...args) {
          const result = original.apply(this, args);
          const c = this.canvas;
          const tile = c.closest && c.closest('[data-peer-id]');
          if (tile && c.width > 0) {
            const y = Math.floor(20 * c.height / 360);
            const n = read(this.getImageData(0, y, c.width, 1).data, c.width);
            if (n >= 0) {
              const peer = tile.dataset.peerId;
              const seen = window.__g2g.drawn[peer] || (window.__g2g.drawn[peer] = {});
              if (!(n in seen)) seen[n] = Date.now();
            }
          }
          return result;
        };
        const probe = document.createElement('canvas');
        probe.width = 640; probe.height = 1;
        const pctx = probe.getContext('2d', {willReadFrequently: true});
        const watch = () => {
          const v = document.querySelector('[data-self] video');
          if (!v || !v.requestVideoFrameCallback) { setTimeout(watch, 100); return; }
          const onFrame = () => {
            if (v.videoWidth > 0) {
              pctx.drawImage(v, 0, Math.floor(20 * v.videoHeight / 360), v.videoWidth, 1,
                  0, 0, 640, 1);
              const n = read(pctx.getImageData(0, 0, 640, 1).data, 640);
              if (n >= 0 && !(n in window.__g2g.shown)) window.__g2g.shown[n] = Date.now();
            }
            v.requestVideoFrameCallback(onFrame);
          };
          v.requestVideoFrameCallback(onFrame);
        };
        watch();
      })();
      """;

  @Test
  void measure() throws Exception {
    Path video = Path.of("target", "test-video.y4m");
    TestVideo.write(video);
    TestVideo.warm(video);
    StringBuilder table = new StringBuilder();
    try (ServerProcess server = ServerProcess.start("g2g");
        Chromium chromium = Chromium.withCamera(video)) {
      for (String transport : List.of("websocket", "webtransport")) {
        for (boolean e2ee : new boolean[] {false, true}) {
          table.append(run(server, chromium, transport, e2ee));
        }
      }
    }
    String report =
        "\n## Glass-to-glass latency in Chromium, 1:1 ("
            + ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT))
            + " UTC)\n\n"
            + "Machine: "
            + Machine.describe()
            + ". Command: `./mvnw -q -pl e2e test -Dtest=GlassToGlassBenchmark` (after `./mvnw -q"
            + " -DskipTests install`). Two Chromium pages on this machine, both cameras playing"
            + " the numbered test video (640x360, 30 fps, VP8 at 600 kbit/s); a frame's latency is"
            + " from the moment the sender's own preview shows it (requestVideoFrameCallback) to"
            + " the moment the viewer's page draws it on the remote tile, one clock for both. "
            + MEASURE.toSeconds()
            + " s per transport, after the first frames; without and with end-to-end encryption"
            + " (SFrame on WebCrypto in both pages).\n\n"
            + "| transport | E2EE | frames | p50 ms | p95 ms | p99 ms | max ms |\n"
            + "|---|---|---|---|---|---|---|\n"
            + table;
    Machine.record(report);
  }

  @SuppressWarnings("unchecked")
  private static String run(ServerProcess server, Chromium chromium, String transport, boolean e2ee)
      throws IOException {
    List<Participant> people = new ArrayList<>();
    try {
      for (String user : List.of("sender", "viewer")) {
        Participant p = new Participant(chromium.browser, user);
        p.context.addInitScript(PROBE);
        people.add(p);
        p.open(
                server.meetingUrl(user, "g2g-" + transport + (e2ee ? "-e2ee" : ""))
                    + "?transport="
                    + transport
                    + (e2ee ? "&e2ee=1" : ""))
            .connect();
      }
      Participant sender = people.get(0);
      Participant viewer = people.get(1);
      waitUntil(
          "the viewer decodes the sender",
          Duration.ofSeconds(15),
          () -> viewer.framesDecoded("sender") >= 30);
      // start clean: only frames shown and drawn from now on count
      sender.page.evaluate("window.__g2g.shown = {}");
      viewer.page.evaluate("window.__g2g.drawn = {}");
      try {
        Thread.sleep(MEASURE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Map<String, Object> shown = (Map<String, Object>) sender.page.evaluate("window.__g2g.shown");
      Map<String, Object> drawn =
          (Map<String, Object>) viewer.page.evaluate("window.__g2g.drawn['sender'] || {}");
      List<Double> latencies = new ArrayList<>();
      for (Map.Entry<String, Object> e : drawn.entrySet()) {
        Object at = shown.get(e.getKey());
        if (at != null) {
          double ms = ((Number) e.getValue()).doubleValue() - ((Number) at).doubleValue();
          // the video loops every 10 s: a number drawn before it was last shown is from a loop ago
          if (ms >= 0 && ms < 5000) {
            latencies.add(ms);
          }
        }
      }
      double[] v = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (v.length == 0) {
        return String.format(
            Locale.ROOT, "| %s | %s | 0 | - | - | - | - |%n", transport, e2ee ? "on" : "off");
      }
      return String.format(
          Locale.ROOT,
          "| %s | %s | %d | %.0f | %.0f | %.0f | %.0f |%n",
          transport,
          e2ee ? "on" : "off",
          v.length,
          pct(v, 50),
          pct(v, 95),
          pct(v, 99),
          v[v.length - 1]);
    } finally {
      people.forEach(Participant::close);
    }
  }

  private static double pct(double[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
  }

  /** The machine, as PERFORMANCE.md records it. */
  static final class Machine {
    private Machine() {}

    /** A benchmark's section heading: its title, the time (UTC) and this machine. */
    static String heading(String title) {
      return "\n## "
          + title
          + " ("
          + java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
              .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT))
          + " UTC)\n\nMachine: "
          + describe();
    }

    /** Prints a benchmark's report and appends it to docs/PERFORMANCE.md. */
    static void record(String report) throws IOException {
      System.out.print(report);
      Files.writeString(
          Path.of("..", "docs", "PERFORMANCE.md"),
          report,
          java.nio.charset.StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    }

    static String describe() {
      String cpu = "unknown CPU";
      try {
        cpu =
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst()
                .orElse(cpu);
      } catch (IOException e) {
        // keep "unknown"
      }
      return cpu
          + ", "
          + Runtime.getRuntime().availableProcessors()
          + " cores, Java "
          + System.getProperty("java.version")
          + ", "
          + String.join(
              " ", Arrays.asList(System.getProperty("os.name"), System.getProperty("os.version")));
    }
  }
}
