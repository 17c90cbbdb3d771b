package dev.videocall.bench;

import dev.videocall.cli.Bot.FrameSizes;
import dev.videocall.cli.LatencyHistogram;
import dev.videocall.types.Packets;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bot's workload straight on a nats-server: publishers' frames (same sizes and rates, send time
 * in the first 8 bytes) to subscribers with a connection each, as participants would have.
 */
final class NatsFanout {
  record Result(long expected, long delivered, double p50, double p99, double seconds, long bytes) {
    double mbitPerSecond() {
      return bytes * 8 / seconds / 1e6;
    }

    double framesPerSecond() {
      return delivered / seconds;
    }
  }

  private NatsFanout() {}

  static Result run(
      String url,
      int publishers,
      int viewers,
      int kbps,
      int fps,
      Duration warmup,
      Duration duration)
      throws Exception {
    LatencyHistogram latency = new LatencyHistogram();
    AtomicLong delivered = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    // set once everyone is connected: frames before it are warm-up
    AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
    List<Connection> connections = new ArrayList<>();
    Options.Builder options = new Options.Builder().server(url).maxReconnects(0);
    try {
      for (int i = 0; i < viewers; i++) {
        Connection c = Nats.connect(options.connectionName("viewer-" + i).build());
        connections.add(c);
        c.createDispatcher(
                msg -> {
                  byte[] d = msg.getData();
                  long at = ByteBuffer.wrap(d).getLong();
                  if (at >= measureFrom.get()) {
                    latency.record(Packets.nowMicros() - at);
                    delivered.incrementAndGet();
                    bytes.addAndGet(d.length);
                  }
                })
            .subscribe("bench.m.*");
      }
      List<Connection> pubs = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        Connection c = Nats.connect(options.connectionName("publisher-" + i).build());
        connections.add(c);
        pubs.add(c);
      }
      for (Connection c : connections) {
        c.flush(Duration.ofSeconds(5)); // every subscription is registered
      }
      FrameSizes sizes = FrameSizes.of(kbps, fps);
      ScheduledExecutorService pacer = Executors.newScheduledThreadPool(Math.min(4, publishers));
      long periodUs = 1_000_000L / fps;
      long start = System.nanoTime();
      long measureFromUs = Packets.nowMicros() + warmup.toNanos() / 1000 + 2_000_000;
      measureFrom.set(measureFromUs);
      for (int i = 0; i < publishers; i++) {
        Connection c = pubs.get(i);
        String subject = "bench.m.p" + i;
        byte[] noise = new byte[sizes.keyBytes()];
        new Random(i).nextBytes(noise);
        long[] sequence = {0};
        pacer.scheduleAtFixedRate(
            () -> {
              byte[] frame = java.util.Arrays.copyOf(noise, sizes.bytes(sequence[0]++));
              long now = Packets.nowMicros();
              ByteBuffer.wrap(frame).putLong(now);
              c.publish(subject, frame);
              if (now >= measureFromUs) {
                sent.incrementAndGet();
              }
            },
            i * periodUs / publishers,
            periodUs,
            TimeUnit.MICROSECONDS);
      }
      // joins take the bot longer than NATS connects: 2 s more of warm-up keeps both fair
      Thread.sleep(warmup.toMillis() + 2000 + duration.toMillis());
      pacer.shutdown();
      pacer.awaitTermination(5, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9 - warmup.toMillis() / 1e3 - 2;
      long expected = sent.get() * viewers;
      long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (delivered.get() < expected && System.nanoTime() < drainUntil) {
        Thread.sleep(20);
      }
      return new Result(
          expected,
          delivered.get(),
          latency.quantileMs(0.5),
          latency.quantileMs(0.99),
          seconds,
          bytes.get());
    } finally {
      for (Connection c : connections) {
        c.close();
      }
    }
  }
}
