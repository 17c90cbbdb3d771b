package dev.videocall.cli.media;

import static dev.videocall.cli.media.Ffmpeg.check;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/** A YUV420P frame that Java fills plane by plane. */
final class YuvFrame implements AutoCloseable {
  final AVFrame frame = av_frame_alloc();
  final int width;
  final int height;

  YuvFrame(int width, int height) {
    this.width = width;
    this.height = height;
    frame.format(AV_PIX_FMT_YUV420P);
    frame.width(width);
    frame.height(height);
    check(av_frame_get_buffer(frame, 0), "allocate a frame");
  }

  /** Copies whole planes (tightly packed: width x height, then two of width/2 x height/2). */
  void fill(byte[] y, byte[] u, byte[] v) {
    check(av_frame_make_writable(frame), "make a frame writable");
    copy(y, 0, width, height);
    copy(u, 1, width / 2, height / 2);
    copy(v, 2, width / 2, height / 2);
  }

  private void copy(byte[] plane, int index, int w, int h) {
    BytePointer dst = frame.data(index);
    int stride = frame.linesize(index);
    if (stride == w) {
      dst.position(0).put(plane, 0, w * h);
      return;
    }
    for (int row = 0; row < h; row++) {
      dst.position((long) row * stride).put(plane, row * w, w);
    }
    dst.position(0);
  }

  @Override
  public void close() {
    av_frame_free(frame);
  }
}
