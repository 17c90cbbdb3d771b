package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Join latency in Chromium: a newcomer presses Join and waits for the first decoded frame of the
 * person already in the meeting ({@code data-first-frame-ms} of that tile), with identity on (a
 * first visit: a guest identity, then a room token, then the media connection; the meeting has no
 * waiting room, so no person's decision is measured) and without ({@code --auth none}, the open
 * path). Each newcomer is a new browser context (nothing remembered). A benchmark, not part of
 * {@code ./mvnw verify}:
 *
 * <pre>
 * ./mvnw -q -DskipTests install &amp;&amp; ./mvnw -q -pl e2e test -Dtest=JoinLatencyBenchmark
 * </pre>
 *
 * It prints the medians and appends them to docs/PERFORMANCE.md.
 */
class JoinLatencyBenchmark {
  private static final int JOINS = Integer.getInteger("joins", 15);

  @Test
  void measure() throws Exception {
    StringBuilder table = new StringBuilder();
    double[] none = run("none");
    double[] guest = run("guest");
    table.append(row("none (open path)", none)).append(row("guest (identity + room token)", guest));
    String report =
        "\n## Join latency in Chromium: Join pressed to the first remote frame ("
            + ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT))
            + " UTC)\n\n"
            + "Machine: "
            + GlassToGlassBenchmark.Machine.describe()
            + ". Command: `./mvnw -q -pl e2e test -Dtest=JoinLatencyBenchmark` (after `./mvnw -q"
            + " -DskipTests install`). "
            + JOINS
            + " newcomers per mode, each in a new browser context (a first visit), joining a"
            + " meeting where one person publishes the fake camera; the page's default transport"
            + " (WebTransport). With identity the page gets its guest identity while the preview"
            + " shows (POST /api/v1/guests) and a room token when Join is pressed (POST .../join,"
            + " then the token is checked before the upgrade); the meeting has no waiting"
            + " room.\n\n"
            + "| --auth | joins | median ms | p90 ms | min ms | max ms |\n|---|---|---|---|---|---|\n"
            + table
            + String.format(
                Locale.ROOT,
                "\nMedian with identity / without: %.2f.\n",
                median(guest) / median(none));
    GlassToGlassBenchmark.Machine.record(report);
  }

  private static double[] run(String auth) throws Exception {
    List<BrowserContext> contexts = new ArrayList<>();
    double[] ms = new double[JOINS];
    try (ServerProcess server = ServerProcess.start("join-" + auth, "--auth", auth);
        Chromium chromium = Chromium.launch()) {
      String meeting = base(server) + "/meeting/join-bench";
      Page host = Screens.open(chromium, contexts, 1280, 800);
      host.navigate(meeting);
      host.waitForSelector("html[data-state=ready]");
      host.fill("#join-name", "Publisher");
      host.click("#connect");
      host.waitForSelector("html[data-state=connected]");
      if ("guest".equals(auth)) {
        // the meeting's host turns its waiting room off: joins are measured, not decisions
        host.evaluate(
            "() => fetch('/api/v1/meetings/join-bench/settings', {method: 'POST', headers:"
                + " {'Content-Type': 'application/json', 'Authorization': 'Bearer ' +"
                + " localStorage.getItem('videocall.identity')}, body: '{\"waitingRoom\":false}'})"
                + ".then(r => r.status)");
      }
      for (int i = 0; i < JOINS; i++) {
        BrowserContext c =
            chromium.browser.newContext(
                new com.microsoft.playwright.Browser.NewContextOptions()
                    .setPermissions(List.of("camera", "microphone")));
        Page p = c.newPage();
        p.navigate(meeting);
        p.waitForSelector("html[data-state=ready]");
        p.fill("#join-name", "Newcomer " + i);
        p.click("#connect");
        waitUntil(
            "the publisher's first frame",
            Duration.ofSeconds(20),
            () -> p.locator("[data-first-frame-ms]").count() > 0);
        ms[i] = Double.parseDouble(p.getAttribute("[data-first-frame-ms]", "data-first-frame-ms"));
        c.close();
      }
    } finally {
      for (BrowserContext c : contexts) {
        c.close();
      }
    }
    return ms;
  }

  private static String base(ServerProcess server) {
    return "http://localhost:" + server.httpPort;
  }

  private static String row(String what, double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.0f | %.0f | %.0f | %.0f |%n",
        what,
        s.length,
        median(s),
        s[(int) Math.min(s.length - 1, Math.floor(0.9 * s.length))],
        s[0],
        s[s.length - 1]);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
