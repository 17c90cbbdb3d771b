package dev.videocall.cli;

import dev.videocall.cli.media.Devices;
import java.util.List;
import java.util.Set;

/** {@code videocall-cli info}: the machine's cameras and their formats. */
final class InfoCommand {
  static final String USAGE =
      """
      videocall-cli info --list-cameras
      videocall-cli info --list-formats N
        Lists V4L2 cameras (/dev/videoN), or the pixel formats and frame sizes camera N offers.""";

  int run(List<String> argv) {
    Args a = new Args(argv, Set.of("list-formats"), Set.of("list-cameras"));
    if (a.has("list-cameras") == a.has("list-formats")) {
      throw new Args.UsageError("give --list-cameras or --list-formats N");
    }
    if (a.has("list-cameras")) {
      List<Devices.CameraInfo> cameras = Devices.cameras();
      if (cameras.isEmpty()) {
        System.out.println("no cameras found (no /dev/video* devices); --test-pattern needs none");
      }
      for (Devices.CameraInfo c : cameras) {
        System.out.println(c.index() + "  " + c.device() + "  " + c.name());
      }
      return 0;
    }
    int index = a.integer("list-formats", 0, 0, 255);
    String formats = Devices.formats(index);
    System.out.println("camera " + index + ":");
    System.out.println(formats);
    return 0;
  }
}
