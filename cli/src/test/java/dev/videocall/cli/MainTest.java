package dev.videocall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Clear errors and exit codes for what a person can get wrong. */
class MainTest {
  private record Outcome(int exit, String err) {}

  private static Outcome run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return new Outcome(Main.run(args), buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void anInvalidMeetingIdIsAUsageError() {
    Outcome o = run("stream", "--user-id", "u", "--meeting-id", "no/slash", "--test-pattern");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("meeting id must match"), o.err());
  }

  @Test
  void anUnreachableServerSaysSo() {
    Outcome o =
        run(
            "stream",
            "--user-id",
            "u",
            "--meeting-id",
            "m",
            "--test-pattern",
            "--server",
            "http://127.0.0.1:1",
            "--transport",
            "websocket",
            "--connect-timeout",
            "2s");
    assertEquals(1, o.exit());
    assertTrue(o.err().contains("server unreachable"), o.err());
    // hardening issue, item 12: a busy or starting server gets more than one chance
    assertTrue(o.err().contains("trying again"), o.err());
    assertTrue(o.err().contains("gave up after 2 s"), o.err());
  }

  @Test
  void anUnknownCameraListsWhatThereIs() {
    Outcome o = run("stream", "--user-id", "u", "--meeting-id", "m", "--video-device-index", "57");
    assertEquals(1, o.exit());
    assertTrue(o.err().contains("no camera 57"), o.err());
  }

  @Test
  void badResolutionsAndFormatsAreRefusedWithTheChoices() {
    Outcome res =
        run(
            "stream",
            "--user-id",
            "u",
            "--meeting-id",
            "m",
            "--test-pattern",
            "--resolution",
            "big");
    assertEquals(2, res.exit());
    assertTrue(res.err().contains("1280x720"), res.err());
    Outcome fmt =
        run(
            "stream",
            "--user-id",
            "u",
            "--meeting-id",
            "m",
            "--video-device-index",
            "0",
            "--frame-format",
            "RGB");
    assertEquals(2, fmt.exit());
    assertTrue(fmt.err().contains("NV12, YUYV or MJPEG"), fmt.err());
  }

  @Test
  void needsExactlyOneVideoSource() {
    assertEquals(2, run("stream", "--user-id", "u", "--meeting-id", "m").exit());
    assertEquals(2, run("bot").exit());
    assertEquals(2, run("frobnicate").exit());
  }

  private static String out(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run(args), String.join(" ", args));
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void helpIsGeneratedForTheProgramAndEachCommandWithVersionAndCompletion() {
    String top = out("--help");
    assertTrue(top.contains("Usage: videocall-cli"), top);
    for (String command : new String[] {"stream", "info", "bot", "generate-completion"}) {
      assertTrue(top.contains(command), command + " listed: " + top);
    }
    String stream = out("stream", "--help");
    assertTrue(stream.contains("Usage: videocall-cli stream"), stream);
    assertTrue(stream.contains("--name=NAME"), stream);
    assertTrue(stream.contains("--resolution=WxH"), stream);
    assertTrue(stream.contains("default: 1280x720"), stream);
    assertTrue(out("bot", "--help").contains("--meeting-id=M"));
    assertTrue(out("--version").startsWith("videocall-cli "));
    assertTrue(out("generate-completion").contains("complete -F"), "a bash completion script");
  }

  @Test
  void aBadDurationIsAUsageErrorWithTheForm() {
    Outcome o = run("bot", "--meeting-id", "m", "--duration", "soon");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("60s, 500ms or 2m"), o.err());
    Outcome range = run("bot", "--meeting-id", "m", "--fps", "500");
    assertEquals(2, range.exit());
    assertTrue(range.err().contains("--fps must be between 1 and 120"), range.err());
  }
}
