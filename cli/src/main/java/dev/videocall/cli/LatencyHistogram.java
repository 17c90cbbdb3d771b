package dev.videocall.cli;

import java.util.concurrent.atomic.AtomicLongArray;

/** Lock-free latency counts in 50 microsecond buckets up to 10 s (later ones land in the last). */
public final class LatencyHistogram {
  private static final long BUCKET_US = 50;
  private static final int BUCKETS = 200_000;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final java.util.concurrent.atomic.AtomicLong maxUs =
      new java.util.concurrent.atomic.AtomicLong();

  public void record(long micros) {
    long us = Math.max(0, micros);
    counts.incrementAndGet((int) Math.min(BUCKETS - 1, us / BUCKET_US));
    maxUs.accumulateAndGet(us, Math::max);
  }

  public long count() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The {@code q} quantile (0..1) in milliseconds, at the bucket's upper edge. */
  public double quantileMs(double q) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return (i + 1) * BUCKET_US / 1000.0;
      }
    }
    return maxMs();
  }

  public double maxMs() {
    return maxUs.get() / 1000.0;
  }
}
