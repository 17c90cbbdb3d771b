package dev.videocall.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known-content camera: barcode round trip, PSNR sensitivity and the Y4M file. */
class TestVideoTest {
  private static final int W = TestVideo.WIDTH;
  private static final int H = TestVideo.HEIGHT;
  private static final int[] SAMPLES = {0, 1, 77, 299};

  @Test
  void intactFrameReadsItsNumberAndMatchesItsReference() {
    for (int n : SAMPLES) {
      byte[] luma = TestVideo.fullRangeLumaOf(n);
      assertEquals(n, TestVideo.readNumber(luma, W, H));
      double psnr = TestVideo.psnr(luma, W, H, n);
      assertTrue(Double.isInfinite(psnr) || psnr > 60, "frame " + n + ": " + psnr + " dB");
    }
  }

  @Test
  void halfSizePictureStillReads() {
    for (int n : SAMPLES) {
      byte[] full = TestVideo.fullRangeLumaOf(n);
      int w = W / 2;
      int h = H / 2;
      byte[] small = new byte[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          // top-left of each 2x2 block, while psnr() samples near the centre: a one-pixel
          // misalignment, roughly what a real scaler's phase difference costs
          small[y * w + x] = full[2 * y * W + 2 * x];
        }
      }
      assertEquals(n, TestVideo.readNumber(small, w, h));
      double psnr = TestVideo.psnr(small, w, h, n);
      assertTrue(psnr > 25, "frame " + n + " at 320x180: " + psnr + " dB");
    }
  }

  @Test
  void aSmallerLayerIsComparedWithTheReferenceScaledTheSameWay() {
    for (int n : SAMPLES) {
      byte[] full = TestVideo.fullRangeLumaOf(n);
      int w = W / 4;
      int h = H / 4;
      byte[] small = new byte[w * h]; // what an encoder's box scaler makes of the camera
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int sum = 0;
          for (int dy = 0; dy < 4; dy++) {
            for (int dx = 0; dx < 4; dx++) {
              sum += full[(4 * y + dy) * W + 4 * x + dx] & 0xFF;
            }
          }
          small[y * w + x] = (byte) Math.round(sum / 16.0);
        }
      }
      assertEquals(n, TestVideo.readNumber(small, w, h));
      double psnr = TestVideo.psnrOfPicture(small, w, h, n, w, h, 1);
      assertTrue(psnr > 45, "frame " + n + " at 160x90: " + psnr + " dB");
      double wrong = TestVideo.psnrOfPicture(small, w, h, n + 37, w, h, 1);
      assertTrue(wrong < 25, "frame " + n + " against " + (n + 37) + ": " + wrong + " dB");
      int step = 4; // at full size, sampled every 4th pixel: the plain comparison
      byte[] sampled = new byte[(W / step) * (H / step)];
      for (int y = 0; y < H / step; y++) {
        for (int x = 0; x < W / step; x++) {
          sampled[y * (W / step) + x] = full[(step * y + 2) * W + step * x + 2];
        }
      }
      assertEquals(
          Double.POSITIVE_INFINITY,
          TestVideo.psnrOfPicture(sampled, W / step, H / step, n, W, H, step));
    }
  }

  @Test
  void corruptedBlockKeepsNumberButDropsPsnr() {
    for (int n : SAMPLES) {
      // Stand-in for codec loss, so "intact" is finite like a real decoded frame.
      byte[] decoded = withNoise(TestVideo.fullRangeLumaOf(n), 3, n);
      double intact = TestVideo.psnr(decoded, W, H, n);
      assertTrue(intact > 38, "frame " + n + " with noise: " + intact + " dB");

      for (int y = 200; y < 264; y++) {
        Arrays.fill(decoded, y * W + 300, y * W + 364, (byte) 255);
      }
      assertEquals(n, TestVideo.readNumber(decoded, W, H));
      double corrupted = TestVideo.psnr(decoded, W, H, n);
      assertTrue(
          intact - corrupted > 10,
          "frame " + n + ": intact " + intact + " dB, corrupted " + corrupted + " dB");
      assertTrue(corrupted < 28, "frame " + n + " corrupted: " + corrupted + " dB");
    }
  }

  @Test
  void neighbouringFrameScoresFarBelowIntact() {
    for (int n : SAMPLES) {
      byte[] decoded = withNoise(TestVideo.fullRangeLumaOf(n), 3, n);
      double intact = TestVideo.psnr(decoded, W, H, n);
      double wrong = TestVideo.psnr(decoded, W, H, n + 1);
      assertTrue(wrong < 25, "frame " + n + " against reference " + (n + 1) + ": " + wrong);
      assertTrue(intact - wrong > 15, "intact " + intact + " dB, wrong frame " + wrong + " dB");
    }
  }

  @Test
  void anyOneOrTwoMisreadCellsFailTheChecksum() {
    for (int n : SAMPLES) {
      byte[] luma = TestVideo.fullRangeLumaOf(n);
      for (int a = 0; a < TestVideo.CELLS; a++) {
        byte[] one = luma.clone();
        flipCell(one, a);
        assertEquals(-1, TestVideo.readNumber(one, W, H), "frame " + n + " cell " + a);
        for (int b = a + 1; b < TestVideo.CELLS; b++) {
          byte[] two = one.clone();
          flipCell(two, b);
          assertEquals(-1, TestVideo.readNumber(two, W, H), "frame " + n + " cells " + a + b);
        }
      }
    }
  }

  @Test
  void blankPicturesDoNotRead() {
    for (int level : new int[] {0, 128, 255}) {
      byte[] blank = new byte[W * H];
      Arrays.fill(blank, (byte) level);
      assertEquals(-1, TestVideo.readNumber(blank, W, H), "uniform " + level);
    }
  }

  @Test
  void everyFrameMovesBelowTheStrip() {
    int below = TestVideo.STRIP_ROWS * W;
    byte[] previous = TestVideo.lumaOf(0);
    for (int n = 1; n < TestVideo.FRAMES; n++) {
      byte[] current = TestVideo.lumaOf(n);
      assertFalse(
          Arrays.equals(previous, below, W * H, current, below, W * H), "frame " + n + " = n-1");
      previous = current;
    }
  }

  @Test
  void framesArePureFunctionsOfTheirNumber() {
    assertArrayEquals(TestVideo.lumaOf(123), TestVideo.lumaOf(123));
    byte[] luma = TestVideo.lumaOf(123);
    for (byte b : luma) {
      int y = b & 0xFF;
      assertTrue(y >= 16 && y <= 235, "limited range: " + y);
    }
  }

  @Test
  void canvasPayloadDecodes() {
    byte[] luma = TestVideo.fullRangeLumaOf(5);
    String base64 = Base64.getEncoder().encodeToString(luma);
    assertEquals(5, TestVideo.readNumber(TestVideo.decodeLuma(base64), W, H));
    assertTrue(TestVideo.CANVAS_LUMA_JS.strip().startsWith("sel =>"));
  }

  @Test
  void writesAWholeY4mFileOnce(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("camera.y4m");
    TestVideo.write(file);

    byte[] header = TestVideo.Y4M_HEADER.getBytes(StandardCharsets.US_ASCII);
    int frameBytes = 6 + W * H * 3 / 2;
    assertEquals(header.length + 300L * frameBytes, Files.size(file));
    assertEquals(TestVideo.FILE_SIZE, Files.size(file));
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(header.length + 6);
      in.read(head, 0);
      assertEquals(
          TestVideo.Y4M_HEADER + "FRAME\n", new String(head.array(), StandardCharsets.US_ASCII));

      int n = 42;
      ByteBuffer frame = ByteBuffer.allocate(frameBytes);
      in.read(frame, header.length + (long) n * frameBytes);
      byte[] bytes = frame.array();
      assertEquals("FRAME\n", new String(bytes, 0, 6, StandardCharsets.US_ASCII));
      int y = 6 + W * H;
      int c = W * H / 4;
      assertArrayEquals(TestVideo.lumaOf(n), Arrays.copyOfRange(bytes, 6, y));
      assertArrayEquals(TestVideo.cbOf(n), Arrays.copyOfRange(bytes, y, y + c));
      assertArrayEquals(TestVideo.crOf(n), Arrays.copyOfRange(bytes, y + c, y + 2 * c));
    }

    // A complete file is reused, not rewritten.
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(file, old);
    TestVideo.write(file);
    assertEquals(old, Files.getLastModifiedTime(file));
  }

  /** Inverts one barcode cell over the full strip height: a misread of that bit. */
  private static void flipCell(byte[] luma, int cell) {
    int x0 = TestVideo.cellStart(cell, W);
    int x1 = TestVideo.cellStart(cell + 1, W);
    for (int y = 0; y < TestVideo.STRIP_ROWS; y++) {
      for (int x = x0; x < x1; x++) {
        luma[y * W + x] = (byte) (255 - (luma[y * W + x] & 0xFF));
      }
    }
  }

  /** Deterministic uniform noise of +-amplitude, clamped. */
  private static byte[] withNoise(byte[] luma, int amplitude, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] out = new byte[luma.length];
    for (int i = 0; i < luma.length; i++) {
      int v = (luma[i] & 0xFF) + random.nextInt(-amplitude, amplitude + 1);
      out[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return out;
  }
}
