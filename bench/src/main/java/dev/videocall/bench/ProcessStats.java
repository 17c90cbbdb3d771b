package dev.videocall.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and memory of another process, from /proc (Linux). */
final class ProcessStats {
  /** Clock ticks per second of /proc/PID/stat; 100 on Linux x86_64. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final long pid;

  ProcessStats(long pid) {
    this.pid = pid;
  }

  /** User plus system CPU seconds used so far. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command: state(0) ... utime(11) stime(12)
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read CPU time of " + pid, e);
    }
  }

  /** Resident set size in bytes. */
  long rssBytes() {
    return statusKb("VmRSS:") * 1024;
  }

  private long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read memory of " + pid, e);
    }
    throw new IllegalStateException("no " + field + " for " + pid);
  }

  /** Heap in use after a full GC, via jcmd (JDK tool next to this JVM, else on PATH). */
  long heapUsedAfterGcBytes() {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("unexpected GC.heap_info output: " + info);
    }
    return Long.parseLong(m.group(2)) * 1024;
  }

  private String jcmd(String command) {
    Path here = Path.of(ProcessHandle.current().info().command().orElse("java")).getParent();
    String tool =
        here != null && Files.exists(here.resolve("jcmd"))
            ? here.resolve("jcmd").toString()
            : "jcmd";
    try {
      Process p =
          new ProcessBuilder(tool, String.valueOf(pid), command).redirectErrorStream(true).start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("jcmd failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
