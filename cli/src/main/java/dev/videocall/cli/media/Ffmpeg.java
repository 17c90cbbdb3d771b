package dev.videocall.cli.media;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.global.avutil;

/** Small helpers around FFmpeg's C error convention. */
public final class Ffmpeg {
  private Ffmpeg() {}

  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  /** Throws with FFmpeg's message when {@code code} is an error. */
  static int check(int code, String what) {
    if (code < 0) {
      throw new MediaException(what + ": " + message(code));
    }
    return code;
  }

  static boolean isAgainOrEof(int code) {
    return code == AVERROR_EAGAIN() || code == AVERROR_EOF;
  }

  static String message(int code) {
    byte[] buf = new byte[256];
    av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A media failure with a message fit for the command line. */
  public static final class MediaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MediaException(String message) {
      super(message);
    }
  }
}
