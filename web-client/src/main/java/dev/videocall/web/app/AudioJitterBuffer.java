package dev.videocall.web.app;

/**
 * Decides when to play each decoded audio frame: frames keep their timestamp spacing, offset by a
 * small target delay that absorbs network jitter. A frame that would play in the past, or too far
 * ahead (the sender's clock or the network jumped), re-anchors the schedule.
 */
final class AudioJitterBuffer {
  static final double TARGET_DELAY_S = 0.06;
  static final double MAX_DELAY_S = 0.4;
  private static final double MIN_LEAD_S = 0.005;

  private boolean anchored;
  private double anchorContextTime;
  private double anchorTimestampUs;
  private int reanchors;

  /** Context time at which to start the frame with timestamp {@code timestampUs}. */
  double playAt(double timestampUs, double now) {
    if (anchored) {
      double when = anchorContextTime + (timestampUs - anchorTimestampUs) / 1e6;
      if (when >= now + MIN_LEAD_S && when <= now + MAX_DELAY_S) {
        return when;
      }
      reanchors++;
    }
    anchored = true;
    anchorContextTime = now + TARGET_DELAY_S;
    anchorTimestampUs = timestampUs;
    return anchorContextTime;
  }

  /** How often the schedule had to be reset (late or far-ahead frames). */
  int reanchors() {
    return reanchors;
  }
}
