package dev.videocall.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Prints a result and appends it, with the machine's facts, to docs/PERFORMANCE.md. */
final class Report {
  private Report() {}

  static void publish(String title, String command, String body) throws IOException {
    String text =
        "\n## "
            + title
            + " ("
            + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))
            + ")\n\nMachine: "
            + Machine.describe()
            + ". Command: `"
            + command
            + "`\n\n"
            + body.stripTrailing()
            + "\n";
    System.out.print(text);
    Path md = Path.of(System.getProperty("videocall.performance.md", "docs/PERFORMANCE.md"));
    Files.writeString(
        md, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println("(appended to " + md.toAbsolutePath().normalize() + ")");
  }
}
