package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Downlink} on a simulated link: the server writes at some rate, the link carries at most
 * its capacity (a FIFO behind it), and the receiver reports what arrived four times a second.
 */
class DownlinkTest {
  private static final long MS = 1_000_000L;

  /** A bottleneck with a FIFO queue in front of it, fed by the server and read by the receiver. */
  private static final class Link {
    final Downlink downlink = new Downlink();
    long capacityBps;
    long now = 1_000_000_000L;
    double delivered; // bytes out of the bottleneck
    long written;
    long lastReport = now;

    Link(long capacityBps) {
      this.capacityBps = capacityBps;
    }

    /** Runs for {@code ms}, writing {@code bps} (plus any filler the probe asks for). */
    void run(long ms, long bps, long wantedBps) {
      for (int t = 0; t < ms; t += 10) {
        now += 10 * MS;
        int filler = downlink.probe(wantedBps, now);
        int bytes = (int) (bps / 8 / 100) + filler;
        written += bytes;
        downlink.written(bytes, true, true, now);
        double room = capacityBps == 0 ? Double.MAX_VALUE : capacityBps / 8.0 / 100;
        delivered = Math.min(written, delivered + room);
        if (now - lastReport >= 250 * MS) {
          lastReport = now;
          downlink.report((long) delivered, now);
        }
      }
    }
  }

  @Test
  void aLinkThatCarriesEverythingHasNoLimit() {
    Link link = new Link(0);
    link.run(10_000, 800_000, 800_000);
    assertEquals(0, link.downlink.limitBps());
    assertFalse(link.downlink.congested());
  }

  @Test
  void aFullLinkIsFoundAndItsCapacityMeasuredWithAMargin() {
    Link link = new Link(300_000);
    link.run(3_000, 800_000, 800_000);
    assertTrue(link.downlink.congested());
    long limit = link.downlink.limitBps();
    assertTrue(limit >= 200_000 && limit <= 300_000, "limit " + limit);
  }

  @Test
  void probesOnALimitedLinkFailAndNeverRaiseTheLimitAboveIt() {
    Link link = new Link(300_000);
    link.run(3_000, 800_000, 800_000); // found: about 255 kbit/s
    link.delivered = link.written; // the sender went down to what fits; the queue drained
    for (int i = 0; i < 30; i++) {
      link.run(1_000, 150_000, 800_000);
      assertTrue(
          link.downlink.limitBps() <= 300_000 && link.downlink.limitBps() > 0,
          "after " + (i + 1) + " s: " + link.downlink.limitBps());
    }
  }

  @Test
  void whenTheLinkIsFreedProbesFindItWithinSeconds() {
    Link link = new Link(300_000);
    link.run(3_000, 800_000, 800_000);
    link.delivered = link.written;
    link.run(5_000, 150_000, 800_000);
    link.capacityBps = 0; // lifted
    long start = link.now;
    while (link.downlink.limitBps() != 0 && link.now - start < 10_000 * MS) {
      link.run(100, 150_000, 800_000);
    }
    assertEquals(0, link.downlink.limitBps(), "no limit known any more");
    assertTrue(link.now - start <= 6_000 * MS, "took " + (link.now - start) / MS + " ms");
  }

  @Test
  void aPageLateOnceIsNotAFullLink() {
    Link link = new Link(0);
    link.run(2_000, 500_000, 500_000);
    // the receiver's page stalls 600 ms: one report far behind, then it catches up
    link.downlink.report((long) link.delivered - 40_000, link.now + 600 * MS);
    link.now += 600 * MS;
    link.lastReport = link.now;
    link.run(2_000, 500_000, 500_000);
    assertEquals(0, link.downlink.limitBps());
  }

  @Test
  void aReceiverCannotClaimMoreThanWasWrittenOrGoBackwards() {
    Downlink d = new Downlink();
    d.written(1000, true, true, 10 * MS);
    d.written(500, false, false, 11 * MS); // a datagram: not expected in reports
    d.report(Long.MAX_VALUE, 20 * MS);
    d.report(-5, 30 * MS);
    assertEquals(0, d.queueNanos());
    assertFalse(d.congested());
  }
}
