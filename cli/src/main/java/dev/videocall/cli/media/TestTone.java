package dev.videocall.cli.media;

/** A 440 Hz sine at a quarter of full scale. */
public final class TestTone implements AudioSource {
  private long sample;

  @Override
  public void read(short[] block) {
    for (int i = 0; i < block.length; i++, sample++) {
      block[i] = (short) (Math.sin(2 * Math.PI * 440 * sample / AudioEncoder.SAMPLE_RATE) * 8192);
    }
  }

  @Override
  public void close() {}
}
