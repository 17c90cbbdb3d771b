package dev.videocall.bench;

import dev.videocall.client.VideocallClient;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** (c) Server memory per idle connected participant: 1000 sessions, 10 per meeting. */
final class IdleMemory {
  private IdleMemory() {}

  static void run(int sessions, String transport) throws Exception {
    try (ServerProcess server = ServerProcess.start("bench-idle", Bench.ONE_MACHINE)) {
      ProcessStats stats = new ProcessStats(server.pid());
      // warm the server's code paths with a few sessions first, then measure from a clean heap
      List<VideocallClient> warm = join(server, 50, "warm", transport);
      warm.forEach(VideocallClient::close);
      Thread.sleep(1000);
      long heap0 = stats.heapUsedAfterGcBytes();
      long rss0 = stats.rssBytes();
      List<VideocallClient> idle = join(server, sessions, "idle", transport);
      Thread.sleep(5000); // a few heartbeats each
      long heap1 = stats.heapUsedAfterGcBytes();
      long rss1 = stats.rssBytes();
      idle.forEach(VideocallClient::close);
      String body =
          String.format(
              Locale.ROOT,
              "| sessions | heap after GC, before → after | per session (heap) | RSS before → after |"
                  + " per session (RSS) |%n|---|---|---|---|---|%n"
                  + "| %d (%s, 10 per meeting, heartbeats every 2 s) | %.1f MB → %.1f MB | **%.1f KB**"
                  + " | %.0f MB → %.0f MB | %.1f KB |%n",
              sessions,
              transport,
              heap0 / 1e6,
              heap1 / 1e6,
              (heap1 - heap0) / 1024.0 / sessions,
              rss0 / 1e6,
              rss1 / 1e6,
              (rss1 - rss0) / 1024.0 / sessions);
      Report.publish(
          "Memory per idle participant (c)",
          "./mvnw -q -pl bench exec:java -Dexec.args=\"idle\"",
          body
              + "\nHeap after a full GC (jcmd GC.run, GC.heap_info) is the retained cost; RSS"
              + " also holds heap the JVM has not returned to the OS.\n");
    }
  }

  private static List<VideocallClient> join(
      ServerProcess server, int n, String prefix, String transport) {
    List<CompletableFuture<VideocallClient>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(
          VideocallClient.to(server.url())
              .user(prefix + "-" + i)
              .meeting(prefix + "-m" + (i / 10))
              .transport(transport)
              .heartbeats(Duration.ofSeconds(2))
              .connect()
              .orTimeout(30, TimeUnit.SECONDS));
      if (pending.size() % 50 == 0) {
        pending.get(pending.size() - 1).join(); // keep the connect rate reasonable
      }
    }
    List<VideocallClient> out = new ArrayList<>();
    pending.forEach(f -> out.add(f.join()));
    return out;
  }
}
