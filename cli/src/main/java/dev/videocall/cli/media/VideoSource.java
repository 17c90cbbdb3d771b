package dev.videocall.cli.media;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/** Where frames come from: a camera or a generated pattern, as YUV420P of the stream's size. */
public interface VideoSource extends AutoCloseable {
  /** The next frame, blocking until it is due (a camera) or at once (a pattern). */
  AVFrame next();

  @Override
  void close();
}
