package dev.videocall.web.app;

/**
 * The freezes of one remote camera as its viewer sees them: a frame painted after an interval over
 * max(3 × the usual interval, the usual + 150 ms), the usual being the mean of the last 30
 * intervals (the definition of WebRTC's {@code freezeCount}, so numbers compare with other
 * products'). Measured where frames are painted, not by whoever polls the page: a test or a
 * diagnostics panel that reads late does not lengthen a freeze or hide one. Pure, for the JVM
 * tests.
 */
final class FreezeMeter {
  /** How many recent freezes are kept for {@link #recent()}. */
  static final int RECENT = 20;

  private static final int USUAL_OF = 30;
  private static final double FREEZE_EXTRA_MS = 150;

  private final double[] intervals = new double[USUAL_OF];
  private int intervalCount;
  private double intervalSum;
  private double lastPaintMs = Double.NaN;
  private int count;
  private double totalMs;
  private double longestMs;
  private final double[] recentEnd = new double[RECENT];
  private final double[] recentLength = new double[RECENT];
  private int recentNext;

  /**
   * A frame was painted at {@code nowMs}; returns the length of the freeze it ended, or 0 if none.
   */
  double painted(double nowMs) {
    double last = lastPaintMs;
    lastPaintMs = nowMs;
    if (Double.isNaN(last) || nowMs < last) {
      return 0;
    }
    double interval = nowMs - last;
    if (intervalCount >= 5) {
      double usual = intervalSum / Math.min(intervalCount, USUAL_OF);
      if (interval > Math.max(3 * usual, usual + FREEZE_EXTRA_MS)) {
        count++;
        totalMs += interval;
        longestMs = Math.max(longestMs, interval);
        recentEnd[recentNext % RECENT] = nowMs;
        recentLength[recentNext % RECENT] = interval;
        recentNext++;
        usual(interval);
        return interval;
      }
    }
    usual(interval);
    return 0;
  }

  /**
   * Every interval joins the usual, freezes too (as WebRTC's): a stream whose rate fell for good (a
   * 15 fps camera cut to its base temporal layer) is usual again after a few frames, not a freeze
   * at every frame.
   */
  private void usual(double interval) {
    int slot = intervalCount % USUAL_OF;
    if (intervalCount >= USUAL_OF) {
      intervalSum -= intervals[slot];
    }
    intervals[slot] = interval;
    intervalSum += interval;
    intervalCount++;
  }

  /**
   * The stream stopped on purpose (the camera was turned off and on): the time until its next frame
   * is no freeze, and its rate may differ.
   */
  void restart() {
    lastPaintMs = Double.NaN;
    intervalCount = 0;
    intervalSum = 0;
  }

  int count() {
    return count;
  }

  double totalMs() {
    return totalMs;
  }

  double longestMs() {
    return longestMs;
  }

  /**
   * The last {@link #RECENT} freezes, oldest first, as "end:length" in whole milliseconds (the end
   * on the page's clock, {@code performance.now()}), separated by spaces.
   */
  String recent() {
    StringBuilder b = new StringBuilder();
    for (int i = Math.max(0, recentNext - RECENT); i < recentNext; i++) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(Math.round(recentEnd[i % RECENT]))
          .append(':')
          .append(Math.round(recentLength[i % RECENT]));
    }
    return b.toString();
  }
}
