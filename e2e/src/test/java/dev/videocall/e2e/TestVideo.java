package dev.videocall.e2e;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Base64;

/**
 * A deterministic "known-content camera" for picture-quality tests in real Chromium.
 *
 * <p>{@link #write} produces a Y4M file for {@code --use-file-for-fake-video-capture}. Every frame
 * is a pure function of its frame number n, so a test that reads a decoded picture back from a
 * canvas can tell which frame it is looking at ({@link #readNumber}) and how faithfully it was
 * delivered ({@link #psnr}), without having to keep or transfer the original.
 *
 * <p>Frame layout (640x360, limited-range BT.601 I420, 30 fps, 300 frames; Chromium loops it):
 *
 * <pre>
 *  rows 0..39    barcode strip: 24 equal cells across the full width (cell i spans
 *                x = i*640/24 .. (i+1)*640/24). Cells 0..15 hold n &amp; 0xFFFF, MSB first,
 *                cells 16..23 hold a CRC-8 of those 16 bits. 1 = white (Y 235), 0 = black (Y 16).
 *                Chroma is neutral.
 *  rows 40..359  a smooth diagonal grey gradient (Y 90..150) whose phase moves 4 px per frame,
 *                a slowly drifting dark blue circle (r 64), and three solid tinted rectangles
 *                (96x64, 64x96, 80x80) with distinct luma that bounce around at 3..7 px/frame.
 * </pre>
 *
 * <p>The content is chosen for VP8 at a few hundred kbit/s: big flat areas and smooth gradients
 * compress almost perfectly, so an intact frame scores a high PSNR, while the sharp-edged moving
 * rectangles make a stale, wrong or half-decoded frame stand out. There is deliberately no fine
 * texture: it would cost bits and lower the PSNR of intact frames, blurring that distinction.
 *
 * <p>PSNR is measured on luma only. A canvas only gives back RGB, and its luma (BT.601 weights, see
 * {@link #CANVAS_LUMA_JS}) equals the source Y exactly only where chroma is neutral or the browser
 * converted with the BT.601 matrix; that is why the colours are kept mild and inside the RGB gamut,
 * and why the gradient and strip are grey.
 */
final class TestVideo {
  public static final int WIDTH = 640;
  public static final int HEIGHT = 360;
  public static final int FPS = 30;

  /** 10 s; Chromium's fake capture device loops the file, so frame numbers repeat. */
  public static final int FRAMES = 300;

  /** Height of the barcode strip at the top of the frame. */
  static final int STRIP_ROWS = 40;

  /** 16 number bits followed by 8 checksum bits. */
  static final int CELLS = 24;

  static final String Y4M_HEADER = "YUV4MPEG2 W640 H360 F30:1 Ip A1:1 C420jpeg\n";

  private static final byte[] FRAME_MARKER = "FRAME\n".getBytes(StandardCharsets.US_ASCII);
  private static final int LUMA_BYTES = WIDTH * HEIGHT;
  private static final int CHROMA_BYTES = (WIDTH / 2) * (HEIGHT / 2);

  /** Exact size of the file {@link #write} produces; also how it recognises a finished file. */
  static final long FILE_SIZE =
      Y4M_HEADER.length() + (long) FRAMES * (FRAME_MARKER.length + LUMA_BYTES + 2 * CHROMA_BYTES);

  private static final int BLACK = 16;
  private static final int WHITE = 235;
  private static final int NEUTRAL_CHROMA = 128;

  /** Limited-range Y to what a perfect decoder + canvas would show, precomputed for speed. */
  private static final byte[] TO_FULL_RANGE = new byte[256];

  static {
    for (int y = 0; y < 256; y++) {
      long full = Math.round((y - 16) * 255.0 / 219.0);
      TO_FULL_RANGE[y] = (byte) Math.max(0, Math.min(255, full));
    }
  }

  /**
   * For Playwright's {@code page.evaluate(CANVAS_LUMA_JS, cssSelector)}: returns {@code {w, h,
   * data}} with data the base64 of a w*h luma plane (BT.601 weights, rounded) of the canvas, or
   * null while the canvas has no size yet (or is not a 2d canvas). Base64 because Playwright
   * serialises typed arrays poorly; built from 8 KiB slices because String.fromCharCode.apply over
   * the whole plane would exceed the argument limit / stack.
   */
  static final String CANVAS_LUMA_JS =
      """
      sel => {
        const c = document.querySelector(sel);
        if (!c || !(c.width > 0) || !(c.height > 0)) return null;
        const ctx = c.getContext('2d');
        if (!ctx) return null;
        const w = c.width, h = c.height;
        const px = ctx.getImageData(0, 0, w, h).data;
        const luma = new Uint8Array(w * h);
        for (let i = 0, j = 0; i < luma.length; i++, j += 4) {
          luma[i] = Math.round(0.299 * px[j] + 0.587 * px[j + 1] + 0.114 * px[j + 2]);
        }
        let bin = '';
        for (let i = 0; i < luma.length; i += 8192) {
          bin += String.fromCharCode.apply(null, luma.subarray(i, i + 8192));
        }
        return {w: w, h: h, data: btoa(bin)};
      }
      """;

  /**
   * Like {@link #CANVAS_LUMA_JS} for several canvases at once ({@code [selectors, step]}) and at
   * 1/step of the resolution: the pixel at (step*i + step/2, step*j + step/2) for each (i, j),
   * which is where {@link #psnr} samples the reference for a picture of that smaller size. Fewer
   * bytes to move and convert, so a test can sample many more pictures in the same time. Each
   * result carries {@code t}, the page's Date.now() when its picture was read.
   */
  static final String CANVASES_SCALED_LUMA_JS =
      """
      ([sels, fullStep]) => sels.map(sel => {
        const c = document.querySelector(sel);
        if (!c || !(c.width >= 16) || !(c.height >= 16)) return null;
        const ctx = c.getContext('2d');
        if (!ctx) return null;
        // a smaller picture (a simulcast layer) is sampled more densely: the same grid in the end
        const step = Math.max(1, Math.round(fullStep * c.width / 640));
        const w = Math.floor(c.width / step), h = Math.floor(c.height / step), half = step >> 1;
        const t = Date.now();
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        const luma = new Uint8Array(w * h);
        for (let j = 0; j < h; j++) {
          const row = (step * j + half) * c.width;
          for (let i = 0; i < w; i++) {
            const o = (row + step * i + half) * 4;
            luma[j * w + i] = Math.round(0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2]);
          }
        }
        let bin = '';
        for (let i = 0; i < luma.length; i += 8192) {
          bin += String.fromCharCode.apply(null, luma.subarray(i, i + 8192));
        }
        return {w: w, h: h, t: t, data: btoa(bin), cw: c.width, ch: c.height, step: step};
      })
      """;

  private TestVideo() {}

  /**
   * Reads the file once, so that the browser's fake cameras find it in the page cache: three
   * cameras each reading 10 MB/s from a cold disk starved the first test of the run.
   */
  static void warm(Path file) throws IOException {
    byte[] buffer = new byte[1 << 20];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      while (in.read(buffer) > 0) {
        // only the reading matters
      }
    }
  }

  /**
   * Writes the Y4M file unless a complete one is already there (it is ~104 MB, and several tests
   * may share it). The file is written under a temporary name and renamed, so a concurrent or
   * interrupted writer never leaves a half file that a browser could pick up.
   */
  static void write(Path file) throws IOException {
    if (Files.isRegularFile(file) && Files.size(file) == FILE_SIZE) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        out.write(Y4M_HEADER.getBytes(StandardCharsets.US_ASCII));
        byte[] y = new byte[LUMA_BYTES];
        byte[] u = new byte[CHROMA_BYTES];
        byte[] v = new byte[CHROMA_BYTES];
        for (int n = 0; n < FRAMES; n++) {
          render(n, y, u, v);
          out.write(FRAME_MARKER);
          out.write(y);
          out.write(u);
          out.write(v);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The reference Y plane (640x360, limited range 16..235) of frame n. */
  static byte[] lumaOf(int n) {
    byte[] y = new byte[LUMA_BYTES];
    render(n, y, null, null);
    return y;
  }

  /** The reference U (Cb) plane (320x180) of frame n. */
  static byte[] cbOf(int n) {
    byte[] u = new byte[CHROMA_BYTES];
    render(n, new byte[LUMA_BYTES], u, null);
    return u;
  }

  /** The reference V (Cr) plane (320x180) of frame n. */
  static byte[] crOf(int n) {
    byte[] v = new byte[CHROMA_BYTES];
    render(n, new byte[LUMA_BYTES], null, v);
    return v;
  }

  /** Frame n's luma as a perfect decoder + canvas would show it: full range 0..255. */
  static byte[] fullRangeLumaOf(int n) {
    byte[] y = lumaOf(n);
    for (int i = 0; i < y.length; i++) {
      y[i] = TO_FULL_RANGE[y[i] & 0xFF];
    }
    return y;
  }

  /**
   * The frame number shown in a decoded picture, or -1 if the barcode does not check out (not our
   * video, not drawn yet, torn or badly corrupted). {@code luma} is a full-range plane of any size
   * showing the whole frame; coordinates scale proportionally from 640x360 (so a letterboxed or
   * cropped picture will not read). Only the central half of each cell (both axes) is averaged, so
   * codec ringing and scaler blur at cell edges do not matter.
   */
  static int readNumber(byte[] luma, int width, int height) {
    checkPlane(luma, width, height);
    int stripBottom = Math.max(1, STRIP_ROWS * height / HEIGHT);
    int y0 = stripBottom / 4;
    int y1 = Math.max(y0 + 1, stripBottom - stripBottom / 4);
    int code = 0;
    for (int cell = 0; cell < CELLS; cell++) {
      int cx0 = cellStart(cell, width);
      int cx1 = cellStart(cell + 1, width);
      int x0 = cx0 + (cx1 - cx0) / 4;
      int x1 = Math.max(x0 + 1, cx1 - (cx1 - cx0) / 4);
      long sum = 0;
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          sum += luma[y * width + x] & 0xFF;
        }
      }
      long count = (long) (y1 - y0) * (x1 - x0);
      code = (code << 1) | (sum >= 128 * count ? 1 : 0);
    }
    int number = code >>> 8;
    return (code & 0xFF) == checksum(number) ? number : -1;
  }

  /**
   * PSNR in dB of pixels sampled from a picture of {@code canvasWidth} x {@code canvasHeight}
   * (sample (x, y) is picture pixel (step x + step / 2, step y + step / 2)) against frame n's
   * reference: each picture pixel against the mean of the reference pixels it covers, which is what
   * an encoder scaling the camera to a smaller layer shows. At 640x360 it is {@link #psnr}.
   */
  static double psnrOfPicture(
      byte[] luma, int width, int height, int n, int canvasWidth, int canvasHeight, int step) {
    checkPlane(luma, width, height);
    byte[] ref = fullRangeLumaOf(n);
    int half = step / 2;
    long sse = 0;
    for (int y = 0; y < height; y++) {
      int cy = step * y + half;
      int ry0 = (int) ((long) cy * HEIGHT / canvasHeight);
      int ry1 = Math.max(ry0 + 1, (int) ((long) (cy + 1) * HEIGHT / canvasHeight));
      for (int x = 0; x < width; x++) {
        int cx = step * x + half;
        int rx0 = (int) ((long) cx * WIDTH / canvasWidth);
        int rx1 = Math.max(rx0 + 1, (int) ((long) (cx + 1) * WIDTH / canvasWidth));
        long sum = 0;
        for (int ry = ry0; ry < Math.min(HEIGHT, ry1); ry++) {
          for (int rx = rx0; rx < Math.min(WIDTH, rx1); rx++) {
            sum += ref[ry * WIDTH + rx] & 0xFF;
          }
        }
        long count = (long) (Math.min(HEIGHT, ry1) - ry0) * (Math.min(WIDTH, rx1) - rx0);
        int d = (luma[y * width + x] & 0xFF) - (int) Math.round((double) sum / count);
        sse += (long) d * d;
      }
    }
    if (sse == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double mse = (double) sse / ((long) width * height);
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }

  /**
   * PSNR in dB of a full-range luma plane against frame n's reference (converted to full range),
   * over every pixel including the strip. A picture of another size is compared with the reference
   * sampled nearest-neighbour at each pixel's centre. Infinity means identical.
   */
  static double psnr(byte[] luma, int width, int height, int n) {
    checkPlane(luma, width, height);
    byte[] ref = fullRangeLumaOf(n);
    long sse = 0;
    for (int y = 0; y < height; y++) {
      // Pixel centres, in integer math: (y + 0.5) * HEIGHT / height. Identity at 640x360.
      int refRow = (int) ((2L * y + 1) * HEIGHT / (2L * height)) * WIDTH;
      for (int x = 0; x < width; x++) {
        int refX = (int) ((2L * x + 1) * WIDTH / (2L * width));
        int d = (luma[y * width + x] & 0xFF) - (ref[refRow + refX] & 0xFF);
        sse += (long) d * d;
      }
    }
    if (sse == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double mse = (double) sse / ((long) width * height);
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }

  /** The luma plane carried in {@link #CANVAS_LUMA_JS}'s {@code data} field. */
  static byte[] decodeLuma(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  /**
   * CRC-8/I-432-1 (poly 0x07, xorout 0x55) of the number's two bytes. A CRC rather than something
   * like (n*31+7) mod 256 because it catches every single- and double-cell misread (that sum cannot
   * see flips in the high byte, since 31*256 is 0 mod 256); the xorout keeps an all-black or
   * all-white picture (blank canvas, camera not started) from reading as a valid number.
   */
  static int checksum(int number) {
    int crc = 0;
    for (int b : new int[] {(number >>> 8) & 0xFF, number & 0xFF}) {
      crc ^= b;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
      }
    }
    return crc ^ 0x55;
  }

  /** Left edge of a barcode cell in a picture {@code width} wide; cell CELLS is the right edge. */
  static int cellStart(int cell, int width) {
    return cell * width / CELLS;
  }

  private static void checkPlane(byte[] luma, int width, int height) {
    if (width <= 0 || height <= 0 || luma.length < width * height) {
      throw new IllegalArgumentException(
          "luma plane of " + luma.length + " bytes is not " + width + "x" + height);
    }
  }

  /** A solid shape, in luma coordinates. Even x/y/size keep edges on chroma sample boundaries. */
  private record Shape(int x, int y, int w, int h, boolean round, int luma, int cb, int cr) {

    boolean contains(int px, int py) {
      if (px < x || py < y || px >= x + w || py >= y + h) {
        return false;
      }
      if (!round) {
        return true;
      }
      // Doubled coordinates so the centre of an even-sized box is an integer.
      int dx = 2 * (px - x) + 1 - w;
      int dy = 2 * (py - y) + 1 - h;
      return dx * dx + dy * dy <= w * w;
    }
  }

  /**
   * The moving shapes of frame n, in painting order. Speeds are co-prime-ish and the ranges differ,
   * so the arrangement does not repeat within the 300-frame loop. Colours are mild and inside the
   * RGB gamut (see the class comment); luma levels are far from each other and from the 90..150
   * background so edges stay visible.
   */
  private static Shape[] shapes(int n) {
    int r = 64;
    return new Shape[] {
      // slowly drifting dark blue circle
      new Shape(
          bounce(40, 2, n, 0, WIDTH - 2 * r),
          bounce(30, 1, n, STRIP_ROWS, HEIGHT - 2 * r),
          2 * r,
          2 * r,
          true,
          60,
          150,
          116),
      // orange
      new Shape(
          bounce(0, 5, n, 0, WIDTH - 96),
          bounce(20, 3, n, STRIP_ROWS, HEIGHT - 64),
          96,
          64,
          false,
          180,
          96,
          160),
      // near-black, neutral
      new Shape(
          bounce(300, 4, n, 0, WIDTH - 64),
          bounce(100, 6, n, STRIP_ROWS, HEIGHT - 96),
          64,
          96,
          false,
          24,
          136,
          124),
      // pale green
      new Shape(
          bounce(150, 7, n, 0, WIDTH - 80),
          bounce(200, 2, n, STRIP_ROWS, HEIGHT - 80),
          80,
          80,
          false,
          225,
          120,
          120),
    };
  }

  /** Position on a path bouncing between min and max (both even), rounded down to even. */
  private static int bounce(int start, int speed, int n, int min, int max) {
    int range = max - min;
    int p = Math.floorMod(start + speed * n, 2 * range);
    return (min + (p <= range ? p : 2 * range - p)) & ~1;
  }

  /**
   * Grey level of the background at diagonal d = x + y: a triangle wave with a 256 px period, so it
   * has no hard edges, moving 4 px along the diagonal per frame.
   */
  private static int gradient(int d, int n) {
    int t = Math.floorMod(2 * d + 8 * n, 512);
    int tri = t < 256 ? t : 511 - t;
    return 90 + tri * 60 / 255;
  }

  /** Renders frame n into the given planes; u and v may be null when not needed. */
  private static void render(int n, byte[] y, byte[] u, byte[] v) {
    if (n < 0) {
      throw new IllegalArgumentException("negative frame number " + n);
    }
    int number = n & 0xFFFF;
    int code = (number << 8) | checksum(number);
    for (int cell = 0; cell < CELLS; cell++) {
      boolean one = ((code >>> (CELLS - 1 - cell)) & 1) != 0;
      byte level = (byte) (one ? WHITE : BLACK);
      int x0 = cellStart(cell, WIDTH);
      int x1 = cellStart(cell + 1, WIDTH);
      for (int row = 0; row < STRIP_ROWS; row++) {
        Arrays.fill(y, row * WIDTH + x0, row * WIDTH + x1, level);
      }
    }

    for (int row = STRIP_ROWS; row < HEIGHT; row++) {
      int off = row * WIDTH;
      for (int x = 0; x < WIDTH; x++) {
        y[off + x] = (byte) gradient(x + row, n);
      }
    }

    Shape[] shapes = shapes(n);
    for (Shape s : shapes) {
      for (int row = Math.max(STRIP_ROWS, s.y()); row < Math.min(HEIGHT, s.y() + s.h()); row++) {
        int off = row * WIDTH;
        for (int x = Math.max(0, s.x()); x < Math.min(WIDTH, s.x() + s.w()); x++) {
          if (s.contains(x, row)) {
            y[off + x] = (byte) s.luma();
          }
        }
      }
    }

    if (u != null) {
      paintChroma(u, shapes, true);
    }
    if (v != null) {
      paintChroma(v, shapes, false);
    }
  }

  /**
   * Each chroma sample takes the colour of the shape covering the top-left luma pixel of its 2x2
   * block; exact for the even-aligned rectangles, close enough for the circle's rim.
   */
  private static void paintChroma(byte[] plane, Shape[] shapes, boolean cb) {
    Arrays.fill(plane, (byte) NEUTRAL_CHROMA);
    int cw = WIDTH / 2;
    int ch = HEIGHT / 2;
    for (Shape s : shapes) {
      byte value = (byte) (cb ? s.cb() : s.cr());
      for (int row = Math.max(STRIP_ROWS / 2, s.y() / 2);
          row < Math.min(ch, (s.y() + s.h()) / 2);
          row++) {
        for (int x = Math.max(0, s.x() / 2); x < Math.min(cw, (s.x() + s.w()) / 2); x++) {
          if (s.contains(2 * x, 2 * row)) {
            plane[row * cw + x] = value;
          }
        }
      }
    }
  }
}
