package dev.videocall.cli.media;

import static dev.videocall.cli.media.Ffmpeg.check;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * A smaller copy of each YUV420P frame, for a simulcast layer (FFmpeg's swscale, area averaging:
 * what a browser's encoder does when asked for a smaller size).
 */
public final class Scaler implements AutoCloseable {
  private final SwsContext sws;
  private final YuvFrame out;
  private final int sourceHeight;

  public Scaler(int sourceWidth, int sourceHeight, int width, int height) {
    this.sourceHeight = sourceHeight;
    sws =
        sws_getContext(
            sourceWidth,
            sourceHeight,
            AV_PIX_FMT_YUV420P,
            width,
            height,
            AV_PIX_FMT_YUV420P,
            SWS_AREA,
            null,
            null,
            (DoublePointer) null);
    if (sws == null) {
      throw new Ffmpeg.MediaException(
          "cannot scale " + sourceWidth + "x" + sourceHeight + " to " + width + "x" + height);
    }
    out = new YuvFrame(width, height);
  }

  /** The frame scaled; the same frame object each time (encode it before the next call). */
  public AVFrame scale(AVFrame source) {
    check(av_frame_make_writable(out.frame), "make a frame writable");
    check(
        sws_scale(
            sws,
            source.data(),
            source.linesize(),
            0,
            sourceHeight,
            out.frame.data(),
            out.frame.linesize()),
        "scale a frame");
    return out.frame;
  }

  @Override
  public void close() {
    sws_freeContext(sws);
    out.close();
  }
}
