package dev.videocall.cli;

import dev.videocall.cli.media.Devices;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code videocall-cli info}: the machine's cameras and their formats. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Lists V4L2 cameras (/dev/videoN), or the pixel formats and frame sizes camera N"
            + " offers.")
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Exactly one of the two. */
  static final class What {
    @Option(names = "--list-cameras", required = true, description = "the cameras")
    boolean cameras;

    @Option(
        names = "--list-formats",
        paramLabel = "N",
        required = true,
        description = "the formats of camera N")
    Integer formatsOf;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  @Override
  public Integer call() {
    if (what.cameras) {
      List<Devices.CameraInfo> cameras = Devices.cameras();
      if (cameras.isEmpty()) {
        System.out.println("no cameras found (no /dev/video* devices); --test-pattern needs none");
      }
      for (Devices.CameraInfo c : cameras) {
        System.out.println(c.index() + "  " + c.device() + "  " + c.name());
      }
      return 0;
    }
    int index = CliTypes.range(spec, "--list-formats", what.formatsOf, 0, 255);
    String formats = Devices.formats(index);
    System.out.println("camera " + index + ":");
    System.out.println(formats);
    return 0;
  }
}
