package dev.videocall.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --name value} and {@code --switch} options; unknown options are errors. */
final class Args {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> switches = new HashSet<>();

  /** Thrown for anything the user typed wrong; the message says what. */
  static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  Args(List<String> args, Set<String> valued, Set<String> flags) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a.startsWith("--") ? a.substring(2) : null;
      String inline = null;
      if (name != null && name.contains("=")) {
        inline = name.substring(name.indexOf('=') + 1);
        name = name.substring(0, name.indexOf('='));
      }
      if (name != null && flags.contains(name) && inline == null) {
        switches.add(name);
      } else if (name != null && valued.contains(name)) {
        if (inline == null && i + 1 >= args.size()) {
          throw new UsageError("--" + name + " needs a value");
        }
        values.put(name, inline != null ? inline : args.get(++i));
      } else {
        throw new UsageError("unknown option " + a);
      }
    }
  }

  boolean has(String name) {
    return switches.contains(name) || values.containsKey(name);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageError("--" + name + " is required");
    }
    return v;
  }

  int integer(String name, int fallback, int min, int max) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new UsageError(
            "--" + name + " must be between " + min + " and " + max + ", got " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageError("--" + name + " must be a number, got " + v);
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  Duration duration(String name, Duration fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw new UsageError("--" + name + " must look like 60s, 500ms or 2m, got " + v);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /** {@code WIDTHxHEIGHT}, both even. */
  int[] resolution(String name, String fallback) {
    String v = string(name, fallback);
    Matcher m = Pattern.compile("(\\d{2,5})x(\\d{2,5})").matcher(v);
    if (!m.matches()) {
      throw new UsageError("--" + name + " must look like 1280x720, got " + v);
    }
    int w = Integer.parseInt(m.group(1));
    int h = Integer.parseInt(m.group(2));
    if (w % 2 != 0 || h % 2 != 0 || w > 7680 || h > 4320) {
      throw new UsageError("--" + name + " must be even and at most 7680x4320, got " + v);
    }
    return new int[] {w, h};
  }
}
