package dev.videocall.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The picture-quality harness: with every camera playing {@link TestVideo}, viewers' remote
 * canvases are sampled, each sample's frame number read from its barcode and its luma PSNR computed
 * against the reference of that frame. A frame that was decoded out of order (or from a broken
 * chain) scores far below an intact one (about 12-20 dB against 40+), and its barcode often does
 * not read at all. Reusable by any test whose senders use the test video: camera, screen share,
 * simulcast layers, encrypted media.
 */
final class PictureQuality {
  /**
   * Pictures are sampled at a quarter of their size: corruption covers whole 16-pixel blocks and
   * more, the barcode's cells are 26 pixels wide, and a sixteenth of the bytes to read back lets a
   * loaded 2-core machine take several samples a second per viewer.
   */
  static final int STEP = 4;

  /** Below this, a sampled frame counts as corrupted. */
  static final double CORRUPTED_BELOW_DB = 30;

  /** One sampled picture. */
  record Sample(String viewer, String peer, long atMs, int frame, double psnr) {
    boolean corrupted() {
      return frame < 0 || psnr < CORRUPTED_BELOW_DB;
    }
  }

  /** What the sampling found. */
  record Report(List<Sample> samples, int backwards, List<String> backwardSteps) {
    long corrupted() {
      return samples.stream().filter(Sample::corrupted).count();
    }

    double percentilePsnr(double p) {
      double[] v =
          samples.stream()
              .filter(s -> s.frame() >= 0)
              .mapToDouble(s -> Math.min(99, s.psnr()))
              .sorted()
              .toArray();
      if (v.length == 0) {
        return Double.NaN;
      }
      return v[(int) Math.min(v.length - 1, Math.floor(p / 100 * v.length))];
    }

    String summary() {
      return (backwardSteps.isEmpty() ? "" : "backward steps: " + backwardSteps + "\n")
          + String.format(
              Locale.ROOT,
              "%d samples, %d corrupted (below %.0f dB or unreadable), %d went backwards; PSNR median"
                  + " %.1f dB, p5 %.1f dB, min %.1f dB",
              samples.size(),
              corrupted(),
              CORRUPTED_BELOW_DB,
              backwards,
              percentilePsnr(50),
              percentilePsnr(5),
              samples.stream().mapToDouble(Sample::psnr).min().orElse(Double.NaN));
    }

    String worst(int n) {
      return samples.stream()
          .sorted((a, b) -> Double.compare(a.psnr(), b.psnr()))
          .limit(n)
          .map(Sample::toString)
          .reduce("", (a, b) -> a + "\n  " + b);
    }
  }

  private PictureQuality() {}

  /**
   * Samples, for {@code duration}, the canvas of every peer each viewer watches, round-robin as
   * fast as the browser hands pictures out.
   */
  static Report measure(Map<Participant, List<String>> watching, Duration duration) {
    Map<Participant, Map<String, String>> canvases = new java.util.LinkedHashMap<>();
    for (Map.Entry<Participant, List<String>> e : watching.entrySet()) {
      Map<String, String> bySelector = new java.util.LinkedHashMap<>();
      for (String peer : e.getValue()) {
        bySelector.put(peer, "[data-peer-id=\"" + peer + "\"] canvas:not([hidden])");
      }
      canvases.put(e.getKey(), bySelector);
    }
    return measureCanvases(canvases, duration);
  }

  /**
   * Like {@link #measure}, for any canvases: each viewer's canvases by a name for the report (a
   * peer, "sam's screen") and their CSS selector.
   */
  static Report measureCanvases(Map<Participant, Map<String, String>> watching, Duration duration) {
    List<Sample> samples = new ArrayList<>();
    Map<String, Integer> lastFrame = new HashMap<>();
    Map<String, Long> lastAt = new HashMap<>();
    int backwards = 0;
    List<String> steps = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      for (Map.Entry<Participant, Map<String, String>> e : watching.entrySet()) {
        Participant viewer = e.getKey();
        for (Sample s : sample(viewer, e.getValue())) {
          samples.add(s);
          String key = viewer.user + ">" + s.peer();
          Integer before = lastFrame.get(key);
          if (s.frame() >= 0) {
            // The video loops every 10 s, so a step back can only be told from a step forward
            // through the loop over a short time. That time runs from when the previous frame
            // was first seen: a sender starved for seconds on a loaded machine freezes on one
            // frame, then resumes far ahead.
            long shownMs = before == null ? 0 : s.atMs() - lastAt.get(key);
            boolean comparable = before != null && shownMs < 4000;
            if (before == null || before != s.frame()) {
              lastAt.put(key, s.atMs());
            }
            if (comparable && wentBack(before, s.frame())) {
              backwards++;
              steps.add(
                  key
                      + " "
                      + before
                      + " -> "
                      + s.frame()
                      + " at "
                      + s.atMs()
                      + " (previous frame first seen "
                      + shownMs
                      + " ms before)");
            }
            lastFrame.put(key, s.frame());
          }
        }
      }
    }
    return new Report(samples, backwards, steps);
  }

  /**
   * The longest step back that counts as one, in frames (2 s). A frame shown after a newer one is a
   * reordering: frames overtaking each other on the way, which moves a frame past the few sent
   * around it, not past seconds of video. A longer "step back" is read as a step forward through
   * the loop instead: a viewer whose page had fallen behind catches up by more frames than the wall
   * clock moved (on a loaded machine, one full build saw ben show ana's frame 48, then 199, under 4
   * s apart: 151 forward or 149 back, and the old rule, "back" beyond half the loop, said back).
   */
  static final int LONGEST_STEP_BACK = 60;

  /**
   * True when {@code now} is before {@code before} in the looping video, by at most {@link
   * #LONGEST_STEP_BACK} frames (frame numbers wrap at the end of the file: a jump forward over the
   * wrap is not a step back).
   */
  static boolean wentBack(int before, int now) {
    int back = Math.floorMod(before - now, TestVideo.FRAMES);
    return back > 0 && back <= LONGEST_STEP_BACK;
  }

  /**
   * One picture of each canvas (by name: its selector) in {@code viewer}'s page, taken in one go
   * (at a quarter of the resolution, see {@link #STEP}); canvases with no picture yet are left out.
   */
  @SuppressWarnings("unchecked")
  static List<Sample> sample(Participant viewer, Map<String, String> canvases) {
    List<String> peers = new ArrayList<>(canvases.keySet());
    List<String> selectors = new ArrayList<>(canvases.values());
    List<Object> results =
        (List<Object>)
            viewer.page.evaluate(TestVideo.CANVASES_SCALED_LUMA_JS, List.of(selectors, STEP));
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      if (!(results.get(i) instanceof Map<?, ?> m)) {
        continue;
      }
      Map<String, Object> map = (Map<String, Object>) m;
      int w = ((Number) map.get("w")).intValue();
      int h = ((Number) map.get("h")).intValue();
      byte[] luma = TestVideo.decodeLuma((String) map.get("data"));
      int frame = TestVideo.readNumber(luma, w, h);
      double psnr =
          frame < 0
              ? 0
              : TestVideo.psnrOfPicture(
                  luma,
                  w,
                  h,
                  frame,
                  ((Number) map.get("cw")).intValue(),
                  ((Number) map.get("ch")).intValue(),
                  ((Number) map.get("step")).intValue());
      long at = ((Number) map.get("t")).longValue();
      out.add(new Sample(viewer.user, peers.get(i), at, frame, psnr));
    }
    return out;
  }

  static String histogram(Report r) {
    int[] buckets = new int[8];
    for (Sample s : r.samples()) {
      int b = s.frame() < 0 ? 0 : (int) Math.min(7, Math.max(0, (s.psnr() - 10) / 5 + 1));
      buckets[b]++;
    }
    return "PSNR histogram [unreadable, <15, 15-20, 20-25, 25-30, 30-35, 35-40, 40+]: "
        + Arrays.toString(buckets);
  }
}
