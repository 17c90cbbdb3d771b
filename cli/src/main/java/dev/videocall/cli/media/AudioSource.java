package dev.videocall.cli.media;

/** 20 ms blocks of 48 kHz mono 16-bit samples. */
public interface AudioSource extends AutoCloseable {
  /** Fills {@code block} with the next {@link AudioEncoder#FRAME_SAMPLES} samples. */
  void read(short[] block);

  @Override
  void close();
}
