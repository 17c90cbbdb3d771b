package dev.videocall.server.core;

import java.util.ArrayDeque;

/**
 * What one receiver's link carries, measured end to end. The server counts the bytes it writes to
 * the receiver, with when; the receiver reports the bytes it has received ({@code RECEIVER_REPORT},
 * ten times a second). The first byte written and not yet received says how long data now waits on
 * the way: its age is the queue in every buffer between us, whatever the transport (a WebSocket's
 * kernel buffers take megabytes and complete writes long before the link carries them; QUIC has its
 * own). When that age grows past {@link #CONGESTED_NANOS} above the link's usual, the link is full
 * and what the receiver gets per second is its capacity: {@link #limitBps()}.
 *
 * <p>A limited link is not known to carry more until it does, so it is probed: for {@link
 * #PROBE_NANOS} the server adds filler ({@code PADDING}) up to what the receiver would want, at
 * most 1.5 times the limit (twice after a probe that carried); if no queue builds within {@link
 * #SETTLE_NANOS} after (two reports in a row beyond the usual: one late report is a busy page), the
 * limit rises to that rate, or is forgotten when that was all the receiver wants. A probe starts
 * only on a drained link ({@link #DRAINED_NANOS}). Filler waits behind media in the outbox and is
 * the first thing dropped there. The next probe follows a carried one after {@link
 * #PROBE_AFTER_SUCCESS_NANOS}; a failed probe doubles the pause ({@link #PROBE_EVERY_MIN_NANOS} to
 * {@link #PROBE_EVERY_MAX_NANOS}). Pure: the caller passes the time. Thread-safe.
 *
 * <p>A new link is not known to carry anything either. Made with a start limit (the relay's
 * sessions: {@link #START_LIMIT_BPS}), it is believed to carry that much until probes show more: a
 * receiver climbs as its link proves room, until all it wants fits. Without one (0), a link is
 * unlimited until a queue says otherwise, and a weak link then took every camera's largest layer at
 * once: the kernel's buffers held seconds of it before the first report showed the queue (the
 * layered ladder's p99 3.1 s on 600 kbit/s). (Keeping the proved rate as the limit after all fit
 * made an unlimited viewer step down whenever a layer's measured rate rose a little.)
 */
final class Downlink {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Downlink.class);
  static final long CONGESTED_NANOS = 250_000_000L;
  static final long PROBE_NANOS = 700_000_000L;
  static final long SETTLE_NANOS = 500_000_000L;
  static final long PROBE_EVERY_MIN_NANOS = 1_500_000_000L;
  static final long PROBE_EVERY_MAX_NANOS = 3_000_000_000L;
  static final long PROBE_AFTER_SUCCESS_NANOS = 500_000_000L;

  /** How long reports must stay behind by {@link #CONGESTED_NANOS} to make a full link. */
  static final long BEHIND_NANOS = 500_000_000L;

  /** A queue that shrank by this much in 250 ms is draining, not full. */
  static final long CATCHING_UP_NANOS = 50_000_000L;

  /** A probe fails when it builds a queue this much above the link's usual. */
  static final long PROBE_QUEUE_NANOS = 100_000_000L;

  /**
   * A probe starts only when at most one of the last ten reports saw a queue above this: a link
   * still draining the queue of its last congestion would hide the probe's own queue under its
   * "usual" (it did: a probe "carried" 494 kbit/s on a 300 kbit/s link, see DownlinkTest).
   */
  static final long DRAINED_NANOS = 150_000_000L;

  /** A temporal layer comes back at most once per this, and only this long after a queue. */
  static final long TEMPORAL_UP_NANOS = 1_000_000_000L;

  /**
   * How long the queue a failed probe built is taken for its own: the filler has stopped and it
   * drains by itself. It is no congestion meanwhile (in the browser trial the viewer's link, held
   * at the smallest layer, was then judged full and lost its temporal layers after every failed
   * probe: the picture stuttered every 3.5 s).
   */
  static final long PROBE_DRAIN_NANOS = 1_000_000_000L;

  /** How long after congestion no probe is tried: the queue must have drained first. */
  static final long QUIET_BEFORE_PROBE_NANOS = 1_500_000_000L;

  /**
   * What a new receiver's link is believed to carry before probes show more: enough for a camera's
   * middle layer, or the smallest of several, with audio; a little more than WebRTC's usual start
   * estimate (300 kbit/s), which its first probes double.
   */
  static final long START_LIMIT_BPS = 600_000;

  /** The lowest limit believed: below it, a link carries no video at all. */
  static final long MIN_LIMIT_BPS = 64_000;

  private static final long HISTORY_NANOS = 10_000_000_000L;
  private static final long SAMPLE_NANOS = 5_000_000L;
  private static final long RATE_WINDOW_NANOS = 2_000_000_000L;
  private static final long BASELINE_WINDOW_NANOS = 30_000_000_000L;

  /** (when, bytes written up to then), oldest first, one per {@link #SAMPLE_NANOS} at most. */
  private final ArrayDeque<long[]> written = new ArrayDeque<>();

  private long writtenTotal;
  // read on every frame to every receiver (Room.deliver): volatile, not a lock each time
  private volatile boolean reported;

  /** Everything but camera frames: audio, screen, control, filler. */
  private final WindowRate other = new WindowRate();

  /** Datagrams (WebTransport audio): on the link, not in the receiver's count. */
  private final WindowRate datagrams = new WindowRate();

  /** (when, bytes received) of recent reports, for the receive rate. */
  private final ArrayDeque<long[]> reports = new ArrayDeque<>();

  private long queueAgeNanos;
  private long baselineNanos = Long.MAX_VALUE;
  private final long[] minima = new long[(int) (BASELINE_WINDOW_NANOS / 1_000_000_000L)];
  private final long[] minimaSecond = initialSeconds(minima.length);
  private boolean congested;
  private int behindReports;
  private long lastAgeNanos;
  private long[] behindSince = {0, 0}; // (when, bytes received) at the first report behind
  private boolean probeFailed;
  private volatile int maxTemporal = Packet.Layer.MAX_TEMPORAL;
  private long lastBehindNanos = Long.MIN_VALUE / 2;
  private long lastTemporalUpNanos = Long.MIN_VALUE / 2;
  private long lastCongestedNanos = Long.MIN_VALUE / 2;
  private long probeDrainUntilNanos = Long.MIN_VALUE / 2;
  private long limitBps; // 0: none known

  /** The most the link has been seen to carry (a start limit, a carried probe, a full link). */
  private long provenBps;

  /** A link unlimited until a queue says otherwise. */
  Downlink() {
    this(0);
  }

  /** A link believed to carry {@code startLimitBps} until probes show more (0: unlimited). */
  Downlink(long startLimitBps) {
    limitBps = Math.max(0, startLimitBps);
    provenBps = limitBps;
  }

  private enum Probe {
    IDLE,
    SENDING,
    SETTLING
  }

  private Probe probe = Probe.IDLE;
  private long probeStartNanos;
  private long probeTargetBps;
  private long probeFillerBps;
  private int probeReports;
  private boolean probeHigh; // the last report during the probe was behind: the next decides
  private boolean lastProbeCarried;
  private int reportsAfterProbe;
  private long probeThresholdNanos = PROBE_QUEUE_NANOS;

  /** The queue at the last few reports (about a second): the usual, before a probe. */
  private final long[] recentQueues = new long[10];

  private int recentIndex;
  private long probeMaxQueueNanos;
  private long probeSentBytes;
  private long probeEveryNanos = PROBE_EVERY_MIN_NANOS;
  private long lastProbeEndNanos = Long.MIN_VALUE / 2;

  /**
   * {@code bytes} were written to the receiver's link at {@code now}: a camera frame or anything
   * else (audio, screen, control, filler), which the cameras' share must leave room for.
   */
  synchronized void written(int bytes, boolean camera, boolean reliable, long now) {
    if (!camera) {
      other.add(bytes, now); // a datagram takes its share of the link too
    }
    if (!reliable) {
      // a datagram may be lost: the receiver does not count them, so the queue is measured on
      // the streams alone; but they load the link, and the limit is the whole link's
      datagrams.add(bytes, now);
      return;
    }
    writtenTotal += bytes;

    long[] last = written.peekLast();
    if (last != null && now - last[0] < SAMPLE_NANOS) {
      last[1] = writtenTotal;
    } else {
      written.addLast(new long[] {now, writtenTotal});
    }
    while (written.size() > 2 && now - written.peekFirst()[0] > HISTORY_NANOS) {
      written.pollFirst();
    }
  }

  /**
   * The receiver says it has received {@code received} bytes, now. A claim of more than was written
   * is taken as "everything" (a client cannot make itself look faster than that).
   */
  synchronized void report(long received, long now) {
    reported = true;
    received = Math.min(Math.max(0, received), writtenTotal);
    long[] previous = reports.peekLast();
    if (previous != null && received < previous[1]) {
      return; // reordered or hostile: received bytes never decrease
    }
    reports.addLast(new long[] {now, received});
    while (reports.size() > 2 && now - reports.peekFirst()[0] > RATE_WINDOW_NANOS) {
      reports.pollFirst();
    }
    queueAgeNanos = oldestUndeliveredAge(received, now);
    baseline(queueAgeNanos, now);
    long queue = queueAgeNanos - baselineNanos;
    // Behind for BEHIND_NANOS in every report, and not catching up: a page busy for a moment (a
    // 2-core machine starting decoders) reads late and then catches up at once; behind a full
    // link, the queue stays or grows (or shrinks slowly: by less than a fifth of the time).
    long sinceLast = previous == null ? 0 : now - previous[0];
    boolean behind =
        queue > CONGESTED_NANOS
            && queueAgeNanos >= lastAgeNanos - sinceLast / (250_000_000L / CATCHING_UP_NANOS)
            && now >= probeDrainUntilNanos;
    lastAgeNanos = queueAgeNanos;
    if (!behind) {
      behindReports = 0;
    } else if (behindReports++ == 0) {
      behindSince = new long[] {now, received};
    }
    congested = behindReports >= 2 && now - behindSince[0] >= BEHIND_NANOS;
    // Congestion takes temporal layers first, one per report, and they come back one a second
    // once no report is behind. (Back one per report, every keyframe brought them all back onto a
    // link that could not carry them: a bot viewer at 600 kbit/s had p50 600 ms. Taken at the
    // first report behind, before the link is judged full, the bot viewer had p50 108 ms, but
    // the browser trial's viewers got 15 of 30 fps: a busy page's late reads count as behind.)
    if (behind) {
      lastBehindNanos = now;
    }
    if (congested && probe == Probe.IDLE) {
      // (a probe's own queue is no reason: it ends the probe, and the filler stops)
      maxTemporal = Math.max(0, maxTemporal - 1);
    } else if (!behind
        && maxTemporal < Packet.Layer.MAX_TEMPORAL
        && now - lastBehindNanos >= TEMPORAL_UP_NANOS
        && now - lastTemporalUpNanos >= TEMPORAL_UP_NANOS) {
      maxTemporal++;
      lastTemporalUpNanos = now;
    }
    if (probe != Probe.IDLE) {
      probeReports++;
      probeMaxQueueNanos = Math.max(probeMaxQueueNanos, queue);
      if (now - probeStartNanos >= PROBE_NANOS) {
        reportsAfterProbe++;
      }
      // A report behind by more than the threshold is a queue the probe built, or a busy page
      // that read late once (probes failed falsely on a free link for that). Reports come ten
      // times a second and a page's stall delays one (its timer waits too): a queue in two
      // reports in a row is the link's.
      if (probeHigh && queue > probeThresholdNanos) {
        probeFailed = true;
        probeDrainUntilNanos = now + PROBE_DRAIN_NANOS;
      }
      probeHigh = queue > probeThresholdNanos;
    }
    recentQueues[recentIndex++ % recentQueues.length] = queue;
    long rate = receiveRateBps();
    long behindFor = now - behindSince[0];
    if (congested && behindFor >= 400_000_000L) {
      // while the link was full; the smaller of the two: a page that was late at the start of
      // either window counts a burst as it catches up, and a limit set too high makes layers flap
      long whileFull = (long) ((received - behindSince[1]) * 8e9 / behindFor);
      rate = rate == 0 ? whileFull : Math.min(rate, whileFull);
    }
    if (rate > 0) {
      rate += datagrams.bps(now); // what the link carried besides the streams
    }
    if (congested) {
      lastCongestedNanos = now;
      lastProbeCarried = false; // from a full link, probe carefully again
      if (rate > 0) {
        // what arrived while the link was full, less a margin: reports arrive with the jitter of
        // a busy page, and a limit set too high makes the layers above it flap
        limitBps = Math.max(MIN_LIMIT_BPS, rate * 85 / 100);
        provenBps = limitBps;
      }
    } else if (limitBps > 0
        && rate > limitBps * 11 / 10
        && probe == Probe.IDLE
        && now - lastCongestedNanos >= RATE_WINDOW_NANOS + QUIET_BEFORE_PROBE_NANOS
        && highestRecentQueue() <= DRAINED_NANOS) {
      // the link has carried more than the limit for a whole rate window with no queue (a screen
      // share above the start limit, say): that is not its limit (the start one is a guess).
      // Not right after a congestion: a page catching up on its queue reports a burst.
      limitBps = rate;
      provenBps = rate;
    }
  }

  private long highestRecentQueue() {
    long highest = 0;
    for (long q : recentQueues) {
      highest = Math.max(highest, q);
    }
    return highest;
  }

  /**
   * The link's usual: the smallest age seen over the last {@link #BASELINE_WINDOW_NANOS}, kept as
   * one minimum per second, so that a path that got slower is learnt while a queue that lasts a few
   * seconds is not.
   */
  private void baseline(long age, long now) {
    long second = now / 1_000_000_000L;
    int slot = (int) Math.floorMod(second, (long) minima.length);
    if (minimaSecond[slot] != second) {
      minimaSecond[slot] = second;
      minima[slot] = age;
    } else {
      minima[slot] = Math.min(minima[slot], age);
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < minima.length; i++) {
      if (second - minimaSecond[i] < minima.length) {
        min = Math.min(min, minima[i]);
      }
    }
    baselineNanos = min;
  }

  private static long[] initialSeconds(int n) {
    long[] s = new long[n];
    java.util.Arrays.fill(s, Long.MIN_VALUE / 2); // no second seen yet
    return s;
  }

  /** The age of the first byte written after the {@code received} bytes: 0 if there is none. */
  private long oldestUndeliveredAge(long received, long now) {
    for (long[] sample : written) {
      if (sample[1] > received) {
        return Math.max(0, now - sample[0]);
      }
    }
    return 0;
  }

  /**
   * What flows to the receiver now, bits per second: the least written in any of the last three
   * seconds. Not the last second's: a keyframe just written would shrink a probe's filler (it did,
   * and a probe at 1.1 times a slow link passed); not a longer average: the flow before a
   * congestion, higher, would leave no filler at all.
   */
  private long writtenRateBps(long now) {
    long least = Long.MAX_VALUE;
    for (int second = 0; second < 3; second++) {
      least =
          Math.min(
              least,
              writtenBetween(now - (second + 1) * 1_000_000_000L, now - second * 1_000_000_000L));
    }
    return least == Long.MAX_VALUE ? -1 : least * 8; // -1: not known yet
  }

  /** Bytes written after {@code from} and up to {@code to}, as far as the samples tell. */
  private long writtenBetween(long from, long to) {
    long atFrom = -1;
    long atTo = -1;
    long first = -1;
    for (long[] sample : written) {
      if (first < 0) {
        first = sample[0];
      }
      if (sample[0] <= from) {
        atFrom = sample[1];
      }
      if (sample[0] <= to) {
        atTo = sample[1];
      }
    }
    if (first < 0 || first > from) {
      return Long.MAX_VALUE; // not known that far back: no bound from this second
    }
    return Math.max(0, atTo - atFrom);
  }

  private long receiveRateBps() {
    if (reports.size() < 2) {
      return 0;
    }
    long[] first = reports.peekFirst();
    long[] last = reports.peekLast();
    long span = last[0] - first[0];
    if (span < 500_000_000L) {
      return 0;
    }
    return (last[1] - first[1]) * 8 * 1_000_000_000L / span;
  }

  /**
   * Advances the probe and says how many filler bytes to send now; {@code wantedBps} is what the
   * receiver would take at the sizes it shows (0: nothing more).
   */
  synchronized int probe(long wantedBps, long now) {
    return probe(wantedBps, true, now);
  }

  /**
   * As {@link #probe(long, long)}; a new probe starts only when {@code mayStart}: not while a layer
   * switch waits for its keyframe, which lands on the link in the middle of the probe and fails it
   * (it did, in the browser trial, just after the limit was lifted: the viewer's climb back waited
   * for the next probe, 3 s later, and missed the 10 s).
   */
  synchronized int probe(long wantedBps, boolean mayStart, long now) {
    switch (probe) {
      case IDLE -> {
        if (!mayStart) {
          return 0;
        }
        if (limitBps == 0 && provenBps > 0 && wantedBps > provenBps * 2) {
          // all the receiver wanted fitted, and now it wants much more (cameras came on, a tile
          // grew): it climbs from what the link has carried, not straight to everything. Twice:
          // what a receiver wants moves by a quarter as layers' rates are measured, and at 1.2
          // times the browser trial's viewer on a clean link flapped between layers for 15 s.
          limitBps = provenBps;
        }
        if (limitBps == 0
            || wantedBps <= limitBps
            || now - lastCongestedNanos < QUIET_BEFORE_PROBE_NANOS
            || now - lastProbeEndNanos < probeEveryNanos) {
          return 0;
        }
        // A page that has been late by up to X lately will be late by X during the probe too:
        // only a queue beyond what was usual just before counts against the probe. The usual is
        // the second largest of the last reports: one late report is a page's hiccup, a queue
        // that is draining shows in several.
        long highest = 0;
        long usual = 0;
        for (long q : recentQueues) {
          if (q > highest) {
            usual = highest;
            highest = q;
          } else {
            usual = Math.max(usual, q);
          }
        }
        if (usual > DRAINED_NANOS) {
          return 0; // still draining (or a keyframe just crossed a slow link): not yet
        }
        long flow = writtenRateBps(now);
        if (flow < 0) {
          return 0; // what flows now is not known yet
        }
        probe = Probe.SENDING;
        probeStartNanos = now;
        probeSentBytes = 0;
        probeFailed = false;
        probeReports = 0;
        probeHigh = false;
        reportsAfterProbe = 0;
        // (at most half of it more: on a slow link keyframes make queues of their own, and a
        // threshold that followed them up to 200 ms let a probe at 1.6 times the link pass)
        probeThresholdNanos = PROBE_QUEUE_NANOS + Math.min(usual, PROBE_QUEUE_NANOS) / 2;
        probeMaxQueueNanos = 0;
        // half as much again as the limit; twice the limit right after a probe that carried (the
        // link has shown room: a lifted limit is found in a few steps). Twice at once overloaded
        // a limited link by 0.7 s of filler when the limit before was a little too high, and the
        // viewer's picture froze for as long.
        probeTargetBps = Math.min(wantedBps, lastProbeCarried ? 2 * limitBps : limitBps * 3 / 2);
        // the filler tops up what flows now to the target: the link carries the sum
        probeFillerBps = Math.max(0, probeTargetBps - flow - datagrams.bps(now));
        return 0;
      }
      case SENDING -> {
        if (probeFailed) {
          endProbe(false, wantedBps, now);
          return 0;
        }
        if (now - probeStartNanos >= PROBE_NANOS) {
          probe = Probe.SETTLING;
          return 0;
        }
        // filler for the difference between the target and the limit, paced over the probe
        long due = probeFillerBps / 8 * (now - probeStartNanos) / 1_000_000_000L;
        int bytes = (int) Math.max(0, Math.min(Integer.MAX_VALUE, due - probeSentBytes));
        probeSentBytes += bytes;
        return bytes;
      }
      case SETTLING -> {
        if (probeFailed) {
          endProbe(false, wantedBps, now);
        } else if (now - probeStartNanos
            >= PROBE_NANOS + SETTLE_NANOS + (probeHigh ? 500_000_000L : 0)) {
          // no queue built up: the link carries the probe's rate (a last report behind waits for
          // the next, up to half a second, to tell a queue from a late page). Only if reports
          // said so: a page that stopped reporting (stalled, a background tab, a client that
          // fakes a limit and goes quiet) proves nothing, and the limit must not climb on silence.
          endProbe(!probeHigh && reportsAfterProbe >= 2 && probeReports >= 3, wantedBps, now);
        }
        return 0;
      }
      default -> {
        return 0;
      }
    }
  }

  private void endProbe(boolean carried, long wantedBps, long now) {
    log.debug(
        "probe to {} kbit/s (filler {} kbit/s, {} bytes) {}: max queue {} ms in {} reports,"
            + " limit was {}",
        probeTargetBps / 1000,
        probeFillerBps / 1000,
        probeSentBytes,
        carried ? "carried" : "failed",
        probeMaxQueueNanos / 1_000_000,
        probeReports,
        limitBps / 1000);
    probeHigh = false;
    probe = Probe.IDLE;
    lastProbeEndNanos = now;
    lastProbeCarried = carried;
    if (carried) {
      // the next step up soon: a link that carried this may carry much more (a limit lifted),
      // and climbing from a small layer to the largest takes three doublings
      probeEveryNanos = PROBE_AFTER_SUCCESS_NANOS;
      // all the receiver wants fits: no limit is known any more (until a queue says one)
      // (within 10 %: what the receiver wants moves with the layers' measured rates meanwhile)
      limitBps = probeTargetBps >= wantedBps * 9 / 10 ? 0 : probeTargetBps;
      provenBps = Math.max(provenBps, probeTargetBps);
    } else {
      probeEveryNanos =
          Math.min(PROBE_EVERY_MAX_NANOS, Math.max(PROBE_EVERY_MIN_NANOS, probeEveryNanos * 2));
    }
  }

  /** The most this link is known to carry, bits per second; 0: no limit is known. */
  synchronized long limitBps() {
    return limitBps;
  }

  /** Bytes per window of {@link #RATE_WINDOW_NANOS}, as bits per second of the last window. */
  private static final class WindowRate {
    private long bytes;
    private long windowStartNanos = Long.MIN_VALUE / 2; // none yet (nanoTime may be negative)
    private long bps;

    /** The last window's rate; 0 once nothing has come for two windows (a stream stopped). */
    long bps(long now) {
      return now - windowStartNanos > 2 * RATE_WINDOW_NANOS ? 0 : bps;
    }

    void add(int n, long now) {
      if (now - windowStartNanos >= RATE_WINDOW_NANOS) {
        long span = now - windowStartNanos;
        bps = span > 4 * RATE_WINDOW_NANOS ? 0 : bytes * 8 * 1_000_000_000L / span;
        bytes = 0;
        windowStartNanos = now;
      }
      bytes += n;
    }
  }

  /** What is written to this link besides camera frames, bits per second. */
  synchronized long otherRateBps(long now) {
    return other.bps(now);
  }

  /** Whether data waits on the way now (a queue beyond the link's usual). */
  synchronized boolean congested() {
    return congested;
  }

  /**
   * The highest temporal layer this link takes now (see {@link TemporalGate}): 2, less one for each
   * report while the link is congested, back up one a second after the last report behind.
   */
  int maxTemporal() {
    return maxTemporal;
  }

  /** The age of the oldest byte on the way at the last report, above the link's usual. */
  synchronized long queueNanos() {
    return baselineNanos == Long.MAX_VALUE ? 0 : Math.max(0, queueAgeNanos - baselineNanos);
  }

  /** Whether the receiver has sent a report: it knows layers and says what it shows. */
  boolean reported() {
    return reported;
  }
}
