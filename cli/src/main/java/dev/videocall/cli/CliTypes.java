package dev.videocall.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The option types of the commands (picocli converters) and their range checks. */
final class CliTypes {
  private CliTypes() {}

  /** {@code 60s}, {@code 500ms}, {@code 2m}; a bare number is seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

    @Override
    public Duration convert(String v) {
      Matcher m = DURATION.matcher(v);
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException("must look like 60s, 500ms or 2m, got " + v);
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      };
    }
  }

  /** A picture size. */
  record Resolution(int width, int height) {}

  /** {@code WIDTHxHEIGHT}, both even, at most 8K. */
  static final class ResolutionConverter implements CommandLine.ITypeConverter<Resolution> {
    private static final Pattern SIZE = Pattern.compile("(\\d{2,5})x(\\d{2,5})");

    @Override
    public Resolution convert(String v) {
      Matcher m = SIZE.matcher(v);
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException("must look like 1280x720, got " + v);
      }
      int w = Integer.parseInt(m.group(1));
      int h = Integer.parseInt(m.group(2));
      if (w % 2 != 0 || h % 2 != 0 || w > 7680 || h > 4320) {
        throw new CommandLine.TypeConversionException(
            "must be even and at most 7680x4320, got " + v);
      }
      return new Resolution(w, h);
    }
  }

  /** A usage error (exit code 2, with the command's usage). */
  static CommandLine.ParameterException usage(CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** {@code value} within {@code [min, max]}, else a usage error naming {@code option}. */
  static int range(CommandSpec spec, String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw usage(spec, option + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
