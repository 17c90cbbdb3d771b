package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.testkit.ServerProcess;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** videocall-cli streams its test pattern; a Chromium participant sees the pattern's colours. */
class CliStreamE2ETest {
  /** The pattern's bars, left to right (dev.videocall.cli.media.TestPattern.BAR_RGB). */
  private static final int[][] BARS = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

  @Test
  void aBrowserShowsTheCliTestPattern() throws Exception {
    String jar = System.getProperty("videocall.cli.jar", "../cli/target/videocall-cli.jar");
    if (!new File(jar).isFile()) {
      throw new IllegalStateException("videocall-cli not built: " + jar + " (run ./mvnw verify)");
    }
    try (ServerProcess server = ServerProcess.start("cli-e2e");
        Chromium chromium = Chromium.launch()) {
      List<Participant> participants = new ArrayList<>();
      Participant viewer = new Participant(chromium.browser, "viewer");
      participants.add(viewer);
      Process cli = null;
      try {
        viewer.open(server.meetingUrl("viewer", "cli-demo")).connect();
        File log = new File("target/cli-stream.log");
        cli =
            new ProcessBuilder(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-jar",
                    jar,
                    "stream",
                    "--user-id",
                    "camera-bot",
                    "--meeting-id",
                    "cli-demo",
                    "--test-pattern",
                    "--resolution",
                    "640x360",
                    "--fps",
                    "30",
                    "--bitrate-kbps",
                    "500",
                    "--server",
                    "http://127.0.0.1:" + server.httpPort)
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        waitUntil(
            "the browser decodes the CLI's video",
            Duration.ofSeconds(20),
            () -> viewer.framesDecoded("camera-bot") >= 30);
        waitUntil(
            "the browser decodes the CLI's audio",
            Duration.ofSeconds(10),
            () -> viewer.audioFramesDecoded("camera-bot") >= 25);
        for (int bar = 0; bar < BARS.length; bar++) {
          int[] got = viewer.pixelAt("camera-bot", (bar + 0.5) / BARS.length, 0.4);
          for (int c = 0; c < 3; c++) {
            assertTrue(
                Math.abs(got[c] - BARS[bar][c]) <= 48,
                "bar "
                    + bar
                    + ": want "
                    + Arrays.toString(BARS[bar])
                    + ", canvas shows "
                    + Arrays.toString(got));
          }
        }
        cli.destroy(); // SIGTERM, as Ctrl-C: the CLI leaves the meeting from its shutdown hook
        assertTrue(cli.waitFor(10, TimeUnit.SECONDS), "the CLI exits on SIGTERM");
        waitUntil(
            "the CLI's tile goes when it leaves",
            Duration.ofSeconds(5),
            () -> viewer.page.locator("[data-peer-id=\"camera-bot\"]").count() == 0);
      } finally {
        if (cli != null && cli.isAlive()) {
          cli.destroyForcibly();
        }
        Artifacts.save("cli-stream", participants);
        participants.forEach(Participant::close);
      }
    }
  }
}
