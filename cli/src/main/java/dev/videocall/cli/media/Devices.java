package dev.videocall.cli.media;

import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** Cameras on this machine (V4L2) and what they can capture. */
public final class Devices {
  private static final Pattern VIDEO_NODE = Pattern.compile("video(\\d+)");

  private Devices() {}

  /** A V4L2 capture node. */
  public record CameraInfo(int index, String device, String name) {}

  /** Every /dev/videoN, with the driver's name for it. */
  public static List<CameraInfo> cameras() {
    List<CameraInfo> out = new ArrayList<>();
    Path dev = Path.of("/dev");
    if (!Files.isDirectory(dev)) {
      return out;
    }
    try (Stream<Path> nodes = Files.list(dev)) {
      nodes
          .map(p -> p.getFileName().toString())
          .map(VIDEO_NODE::matcher)
          .filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1)))
          .sorted()
          .forEach(i -> out.add(new CameraInfo(i, Camera.device(i), name(i))));
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  private static String name(int index) {
    Path name = Path.of("/sys/class/video4linux/video" + index + "/name");
    try {
      return Files.readString(name, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "(unknown)";
    }
  }

  /** A sentence to append to "no such camera" errors. */
  static String camerasHint() {
    List<CameraInfo> all = cameras();
    if (all.isEmpty()) {
      return "; this machine has no V4L2 cameras (use --test-pattern)";
    }
    StringBuilder b = new StringBuilder("; cameras here:");
    all.forEach(c -> b.append(' ').append(c.index()).append(" (").append(c.name()).append(')'));
    return b.toString();
  }

  /**
   * What camera {@code index} can capture, as FFmpeg's v4l2 input lists it (pixel formats with
   * their frame sizes).
   */
  public static String formats(int index) {
    String device = Camera.device(index);
    if (!Files.exists(Path.of(device))) {
      throw new Ffmpeg.MediaException(
          "no camera " + index + ": " + device + " does not exist" + camerasHint());
    }
    avdevice.avdevice_register_all();
    StringBuilder lines = new StringBuilder();
    LogCallback capture =
        new LogCallback() {
          @Override
          public void call(int level, BytePointer message) {
            String line = message.getString(StandardCharsets.UTF_8);
            if (line.contains(":")) {
              lines.append(line.replaceFirst("^\\[[^]]*\\]\\s*", ""));
            }
          }
        };
    avutil.av_log_set_level(avutil.AV_LOG_INFO);
    avutil.setLogCallback(capture);
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "list_formats", "all", 0);
    AVFormatContext ctx = avformat_alloc_context();
    try {
      avformat_open_input(ctx, device, av_find_input_format("video4linux2"), options);
    } finally {
      av_dict_free(options);
      avformat_close_input(ctx);
      avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }
    String text = lines.toString().trim();
    return text.isEmpty() ? "  (the driver lists no formats)" : text.indent(2).stripTrailing();
  }
}
