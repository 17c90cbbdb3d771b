package dev.videocall.server.core;

/**
 * One simulcast sender's camera layers as this instance sees them: how tall each is and the bitrate
 * it runs at, measured over windows of one keyframe interval. A layer that stops (dynacast paused
 * it) keeps its last measured rate; one never measured gets a default for its place. Thread-safe.
 */
final class SenderLayers {
  /** Before a layer is measured: about what the page's encoders are set to. */
  static final long[] DEFAULT_BPS = {50_000, 210_000, 600_000};

  /** As long as a group of pictures (a keyframe every 3 s), so each window holds one keyframe. */
  private static final long WINDOW_NANOS = 3_000_000_000L;

  private static final int MIN_FRAMES = 10;

  private final int[] heights = new int[LayerSelector.MAX_SPATIAL];
  private final long[] rates = new long[LayerSelector.MAX_SPATIAL];
  private final long[] previousRates = new long[LayerSelector.MAX_SPATIAL];
  private final long[] bytes = new long[LayerSelector.MAX_SPATIAL];
  private final int[] frames = new int[LayerSelector.MAX_SPATIAL];
  private int count = 1;
  private final long[] since = new long[LayerSelector.MAX_SPATIAL];
  private final long[] last = new long[LayerSelector.MAX_SPATIAL];
  private boolean anyFrame;
  private long lastFrameNanos;

  /** No frame of any layer for this long: the camera is off, or its sender gone. */
  static final long SENDING_NANOS = 2_000_000_000L;

  /** A layer with no frame for this long was paused. */
  private static final long PAUSE_NANOS = 500_000_000L;

  /**
   * A frame of this sender's camera, of {@code layer}, {@code size} bytes, arrived at {@code now}.
   */
  synchronized void frame(Packet.Layer layer, int size, long now) {
    count = layer.count();
    anyFrame = true;
    lastFrameNanos = now;
    int i = layer.spatial();
    if (layer.height() > 0) {
      heights[i] = layer.height();
    }
    if (frames[i] > 0 && now - last[i] > PAUSE_NANOS) {
      frames[i] = 0; // the layer was paused (dynacast): a window across the pause says nothing
      bytes[i] = 0;
    }
    last[i] = now;
    if (frames[i] == 0) {
      since[i] = now; // each layer's window starts at its own frame: it may just have resumed
    }
    long span = now - since[i];
    if (span >= WINDOW_NANOS) {
      if (frames[i] >= MIN_FRAMES) {
        previousRates[i] = rates[i];
        rates[i] = bytes[i] * 8 * 1_000_000_000L / span; // the bytes before this frame
      }
      bytes[i] = 0;
      frames[i] = 0;
      since[i] = now;
    }
    bytes[i] += size;
    frames[i]++;
  }

  /** Hands the layers to a selector. */
  synchronized void describe(LayerSelector selector) {
    long[] bitrates = new long[LayerSelector.MAX_SPATIAL];
    for (int l = 0; l < bitrates.length; l++) {
      bitrates[l] = bitrate(l);
    }
    selector.layers(count, heights.clone(), bitrates);
  }

  /**
   * Whether a frame of any layer arrived within {@link #SENDING_NANOS} of {@code now}: a camera
   * turned off, or a sender gone (a frame racing its leave can recreate these), takes no share of
   * anyone's link and gets no demands.
   */
  synchronized boolean sending(long now) {
    return anyFrame && now - lastFrameNanos <= SENDING_NANOS;
  }

  /**
   * The layer's rate: the larger of its last two windows (an encoder that dynacast just resumed
   * starts low, and a receiver went up to a middle layer "at 120 kbit/s" that ran at 200 and filled
   * its link); before any window, the default.
   */
  synchronized long bitrate(int layer) {
    long rate = Math.max(rates[layer], previousRates[layer]);
    return rate > 0 ? rate : DEFAULT_BPS[layer];
  }

  synchronized int count() {
    return count;
  }
}
