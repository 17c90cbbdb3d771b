package dev.videocall.cli;

import dev.videocall.cli.media.Ffmpeg;
import java.util.Arrays;
import java.util.List;

/** {@code videocall-cli stream|info|bot ...}. */
public final class Main {
  private static final String USAGE =
      "usage:\n"
          + StreamCommand.USAGE.indent(2)
          + InfoCommand.USAGE.indent(2)
          + BotCommand.USAGE.indent(2);

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command and returns the process exit code: 0 done, 1 failed, 2 wrong usage. */
  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      return switch (args[0]) {
        case "stream" -> new StreamCommand().run(rest);
        case "info" -> new InfoCommand().run(rest);
        case "bot" -> new BotCommand().run(rest);
        default -> throw new Args.UsageError("unknown command " + args[0]);
      };
    } catch (Args.UsageError e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    } catch (Ffmpeg.MediaException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (Exception e) {
      System.err.println("error: " + e);
      return 1;
    }
  }
}
