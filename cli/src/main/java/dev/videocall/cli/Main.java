package dev.videocall.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code videocall-cli stream|info|bot ...}: picocli commands, with generated {@code --help} per
 * command, {@code --version} and {@code generate-completion} (bash/zsh). Exit codes: 0 done, 1
 * failed at run time, 2 wrong usage (picocli's, and invalid ids, names or formats).
 */
@Command(
    name = "videocall-cli",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Joins videocall meetings from the command line: streams, load tests, devices.",
    subcommands = {
      StreamCommand.class,
      InfoCommand.class,
      BotCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Without a command: the usage, and exit code 2. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
  }

  /** Runs a command and returns the process exit code: 0 done, 1 failed, 2 wrong usage. */
  static int run(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return 1;
          }
          commandLine.getErr().println("error: " + (e.getMessage() == null ? e : e.getMessage()));
          // invalid ids, names, frame formats: what the person typed (2); the rest happened (1)
          return e instanceof IllegalArgumentException ? 2 : 1;
        });
    return cli.execute(args);
  }

  /** The jar's version (its manifest), or "development build" from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"videocall-cli " + (v == null ? "(development build)" : v)};
    }
  }
}
