package dev.videocall.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The facts a benchmark result is meaningless without. */
final class Machine {
  private Machine() {}

  static String describe() {
    return String.format(
        "%s, %d cores, %.0f GB RAM, %s, Java %s (%s)",
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        memTotalKb() / 1024.0 / 1024.0,
        osName(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static long memTotalKb() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
          .findFirst()
          .orElse(0L);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String osName() {
    try {
      return Files.readAllLines(Path.of("/etc/os-release")).stream()
          .filter(l -> l.startsWith("PRETTY_NAME="))
          .map(l -> l.substring(13).replace("\"", ""))
          .findFirst()
          .orElse(System.getProperty("os.name"));
    } catch (IOException e) {
      return System.getProperty("os.name");
    }
  }
}
