package dev.videocall.cli.media;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Four vertical colour bars (red, green, blue, white) over the top five sixths of the picture and a
 * grey block sliding along the black bottom band, so the picture is recognisable and alive.
 */
public final class TestPattern implements VideoSource {
  /** The bars, left to right, as RGB: what a viewer should see. */
  public static final int[][] BAR_RGB = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

  private final YuvFrame out;
  private final byte[] y;
  private final byte[] u;
  private final byte[] v;
  private final int bandTop;
  private long index;

  public TestPattern(int width, int height) {
    if (width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("the test pattern needs an even width and height");
    }
    out = new YuvFrame(width, height);
    y = new byte[width * height];
    u = new byte[width * height / 4];
    v = new byte[width * height / 4];
    bandTop = (height * 5 / 6) & ~1;
    for (int row = 0; row < height; row++) {
      for (int col = 0; col < width; col++) {
        int[] yuv = row < bandTop ? yuv(BAR_RGB[col * 4 / width]) : new int[] {16, 128, 128};
        y[row * width + col] = (byte) yuv[0];
        if (row % 2 == 0 && col % 2 == 0) {
          u[(row / 2) * (width / 2) + col / 2] = (byte) yuv[1];
          v[(row / 2) * (width / 2) + col / 2] = (byte) yuv[2];
        }
      }
    }
  }

  /** BT.601 limited range, as decoders assume for VP8/VP9 without colour metadata. */
  static int[] yuv(int[] rgb) {
    double r = rgb[0];
    double g = rgb[1];
    double b = rgb[2];
    return new int[] {
      (int) Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b),
      (int) Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b),
      (int) Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b)
    };
  }

  @Override
  public AVFrame next() {
    int w = out.width;
    int h = out.height;
    int block = Math.max(2, (h - bandTop) / 2) & ~1;
    int top = bandTop + ((h - bandTop - block) / 2 & ~1);
    int span = w - block;
    int x = span <= 0 ? 0 : (int) ((index * 8) % span) & ~1;
    int prev = span <= 0 ? 0 : (int) (((index - 1) * 8) % span) & ~1;
    if (index > 0) {
      paint(prev, top, block, (byte) 16);
    }
    paint(x, top, block, (byte) 160);
    index++;
    out.fill(y, u, v);
    return out.frame;
  }

  private void paint(int x, int top, int size, byte luma) {
    for (int row = top; row < top + size && row < out.height; row++) {
      int start = row * out.width;
      java.util.Arrays.fill(y, start + x, start + Math.min(out.width, x + size), luma);
    }
  }

  @Override
  public void close() {
    out.close();
  }
}
