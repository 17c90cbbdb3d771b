package dev.videocall.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./mvnw -q -pl bench exec:java -Dexec.args="ladder|fanout|idle [options]"}; build first
 * with {@code ./mvnw -q -DskipTests install}.
 */
public final class Bench {
  /**
   * Every simulated participant connects from this one machine (127.0.0.1): the per-address session
   * cap that protects a real server would refuse them.
   */
  static final String[] ONE_MACHINE = {"--max-sessions-per-ip", "100000"};

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: ladder [--steps 100,200,500,1000,...] [--duration 10s] [--transport websocket]\n"
              + "       fanout [--steps 100,200,400] [--duration 10s] [--transport websocket]\n"
              + "       idle [--sessions 1000] [--transport websocket]\n"
              + "       layered [--steps 10,20,40] [--duration 10s] [--limit-kbps 600]");
      System.exit(2);
    }
    List<Integer> steps = null;
    Duration duration = Duration.ofSeconds(10);
    String transport = "websocket";
    int sessions = 1000;
    int limitKbps = 600;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--steps" -> {
          steps = new ArrayList<>();
          for (String s : args[i + 1].split(",")) {
            steps.add(Integer.parseInt(s.trim()));
          }
        }
        case "--duration" ->
            duration = Duration.ofSeconds(Long.parseLong(args[i + 1].replace("s", "")));
        case "--transport" -> transport = args[i + 1];
        case "--sessions" -> sessions = Integer.parseInt(args[i + 1]);
        case "--limit-kbps" -> limitKbps = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    switch (args[0]) {
      case "ladder" ->
          CapacityLadder.run(
              steps != null ? steps : List.of(100, 200, 500, 1000, 1500, 2000, 3000),
              duration,
              transport);
      case "fanout" ->
          FanoutVersusNats.run(steps != null ? steps : List.of(100, 200, 400), duration, transport);
      case "idle" -> IdleMemory.run(sessions, transport);
      case "layered" ->
          LayeredLadder.run(steps != null ? steps : List.of(10, 20, 40), duration, limitKbps);
      default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
    }
    System.exit(0); // client threads of the measured sessions must not keep Maven waiting
  }
}
