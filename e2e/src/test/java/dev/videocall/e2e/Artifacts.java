package dev.videocall.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Per-scenario screenshots and browser consoles under target/e2e-artifacts/. */
final class Artifacts {
  static final Path DIR = Path.of("target", "e2e-artifacts");

  private Artifacts() {}

  /** One screenshot per participant; the console of each too (always kept, read it on failure). */
  static void save(String scenario, List<Participant> participants) {
    try {
      Files.createDirectories(DIR);
      for (Participant p : participants) {
        try {
          p.screenshot(DIR.resolve(scenario + "-" + p.user + ".png"));
        } catch (RuntimeException e) {
          // a closed page has nothing to show; its console is still written
        }
        List<String> lines;
        synchronized (p.console) {
          lines = new ArrayList<>(p.console);
        }
        Files.write(
            DIR.resolve(scenario + "-" + p.user + "-console.txt"), lines, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void appendReport(String line) {
    try {
      Files.createDirectories(DIR);
      Files.writeString(
          DIR.resolve("report.txt"),
          line + System.lineSeparator(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
