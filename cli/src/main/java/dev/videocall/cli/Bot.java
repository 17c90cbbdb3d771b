package dev.videocall.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.types.Packets;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Synthetic participants: publishers send video frames of realistic sizes (a keyframe every 2 s,
 * five times a delta frame) stamped with their send time; everyone receives everything. Measures
 * delivered against expected frames and end-to-end latency (sender and receivers share this
 * machine's clock).
 */
public final class Bot {
  /** What to run. */
  public record Config(
      URI server,
      String meeting,
      int publishers,
      int viewers,
      int bitrateKbps,
      int fps,
      Duration duration,
      Duration warmup,
      String transport) {}

  /** What was measured. */
  public record Result(
      Config config,
      long framesSent,
      long expected,
      long delivered,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double maxMs,
      double seconds,
      long bytesDelivered,
      int sessionsClosed) {
    public double loss() {
      return expected == 0 ? 0 : Math.max(0, expected - delivered) / (double) expected;
    }

    public double deliveredMbitPerSecond() {
      return bytesDelivered * 8 / seconds / 1e6;
    }

    /** The report as one JSON object (Jackson), for scripts. */
    public String json() {
      java.util.Map<String, Object> latency = new java.util.LinkedHashMap<>();
      latency.put("p50", round(p50Ms, 2));
      latency.put("p95", round(p95Ms, 2));
      latency.put("p99", round(p99Ms, 2));
      latency.put("max", round(maxMs, 2));
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("meeting", config.meeting());
      out.put("publishers", config.publishers());
      out.put("viewers", config.viewers());
      out.put("bitrate_kbps", config.bitrateKbps());
      out.put("fps", config.fps());
      out.put("transport", config.transport());
      out.put("seconds", round(seconds, 1));
      out.put("frames_sent", framesSent);
      out.put("expected", expected);
      out.put("delivered", delivered);
      out.put("loss", round(loss(), 6));
      out.put("latency_ms", latency);
      out.put("delivered_mbit_per_s", round(deliveredMbitPerSecond(), 1));
      out.put("sessions_closed", sessionsClosed);
      try {
        return JSON.writeValueAsString(out);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("numbers and strings are always JSON", e);
      }
    }

    private static double round(double v, int decimals) {
      double scale = Math.pow(10, decimals);
      return Math.round(v * scale) / scale;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();

    public String table() {
      return String.format(
          java.util.Locale.ROOT,
          "publishers %d, viewers %d, %d kbit/s at %d fps, %.0f s over %s%n"
              + "frames delivered %d of %d expected (loss %.4f%%), %.1f Mbit/s delivered%n"
              + "latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f; sessions closed early: %d%n",
          config.publishers(),
          config.viewers(),
          config.bitrateKbps(),
          config.fps(),
          seconds,
          config.transport(),
          delivered,
          expected,
          loss() * 100,
          deliveredMbitPerSecond(),
          p50Ms,
          p95Ms,
          p99Ms,
          maxMs,
          sessionsClosed);
    }
  }

  private final Config config;
  private final LatencyHistogram latency = new LatencyHistogram();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong closedEarly = new AtomicLong();
  private volatile boolean running = true;

  /** Frames sent before this wall-clock microsecond are warm-up: neither expected nor measured. */
  private volatile long measureFromUs = Long.MAX_VALUE;

  public Bot(Config config) {
    this.config = config;
  }

  /** The server's API when it has identity on (each bot is a guest with a room token). */
  private dev.videocall.client.GuestAccess access;

  /**
   * Whether the server has identity on; if so the meeting is made sure to exist, with a bot as its
   * host and no waiting room (unless it existed already: then its hosts must have turned the
   * waiting room off, or the bots are refused with a clear message).
   */
  private boolean identityOn() {
    dev.videocall.client.GuestAccess api = new dev.videocall.client.GuestAccess(config.server());
    dev.videocall.client.GuestAccess.Identity host;
    try {
      host = api.guest("bot host");
    } catch (dev.videocall.client.GuestAccess.ApiError e) {
      if ("IDENTITY_OFF".equals(e.code())) {
        return false;
      }
      throw new IllegalStateException("the server refused a guest identity: " + e.getMessage());
    }
    try {
      api.create(host, config.meeting(), "bot " + config.meeting(), false);
    } catch (dev.videocall.client.GuestAccess.ApiError e) {
      if (!"MEETING_EXISTS".equals(e.code())) {
        throw new IllegalStateException(
            "could not create " + config.meeting() + ": " + e.getMessage());
      }
    }
    return true;
  }

  /**
   * How one bot gets in: a room token of its own guest identity, or (no identity) the open path.
   */
  private MeetingEntry.Way way(String user) {
    if (access == null) {
      return new MeetingEntry.Way(null, user, config.meeting(), user);
    }
    try {
      dev.videocall.client.GuestAccess.Join j = access.join(access.guest(user), config.meeting());
      if (!j.admitted()) {
        throw new IllegalStateException(
            config.meeting()
                + " has a waiting room: a host must turn it off (or let every bot in) for bots");
      }
      return new MeetingEntry.Way(j.token(), null, null, user);
    } catch (dev.videocall.client.GuestAccess.ApiError e) {
      throw new IllegalStateException("could not join " + config.meeting() + ": " + e.getMessage());
    }
  }

  /** Joins everyone, publishes for the configured duration, and reports. */
  public Result run(Consumer<String> progress) throws InterruptedException {
    return run(progress, () -> {}, () -> {});
  }

  /**
   * As {@link #run(Consumer)}, calling {@code measuring} when the warm-up ends and {@code done}
   * when publishing stops (e.g. to read the server's CPU time over exactly that window).
   */
  public Result run(Consumer<String> progress, Runnable measuring, Runnable done)
      throws InterruptedException {
    access = identityOn() ? new dev.videocall.client.GuestAccess(config.server()) : null;
    List<VideocallClient> viewers = joinAll("viewer", config.viewers());
    List<VideocallClient> publishers = joinAll("publisher", config.publishers());
    ScheduledExecutorService pacer =
        Executors.newScheduledThreadPool(
            Math.min(4, Math.max(1, config.publishers())),
            r -> {
              Thread t = new Thread(r, "bot-publisher");
              t.setDaemon(true);
              return t;
            });
    List<ScheduledFuture<?>> tasks = new ArrayList<>();
    long warmupStart = System.nanoTime();
    measureFromUs = Packets.nowMicros() + config.warmup().toNanos() / 1000;
    long start = warmupStart + config.warmup().toNanos();
    long periodUs = 1_000_000L / config.fps();
    for (int i = 0; i < publishers.size(); i++) {
      Publisher p = new Publisher(publishers.get(i), i);
      tasks.add(
          pacer.scheduleAtFixedRate(
              p::sendOne, i * periodUs / publishers.size(), periodUs, TimeUnit.MICROSECONDS));
    }
    long end = start + config.duration().toNanos();
    boolean measuringStarted = false;
    while (System.nanoTime() < end) {
      if (!measuringStarted && System.nanoTime() >= start) {
        measuringStarted = true;
        measuring.run();
      }
      Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      long elapsed = (System.nanoTime() - warmupStart) / 1_000_000_000L;
      progress.accept(
          String.format(
              java.util.Locale.ROOT,
              "%3ds sent %d delivered %d/%d p50 %.1f ms p99 %.1f ms closed %d",
              elapsed,
              sent.get(),
              delivered.get(),
              expected(),
              latency.quantileMs(0.5),
              latency.quantileMs(0.99),
              closedEarly.get()));
    }
    tasks.forEach(t -> t.cancel(false));
    done.run();
    pacer.shutdown();
    pacer.awaitTermination(5, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    // let frames in flight arrive
    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (delivered.get() < expected() && System.nanoTime() < drainUntil) {
      Thread.sleep(20);
    }
    running = false;
    Result r =
        new Result(
            config,
            sent.get(),
            expected(),
            delivered.get(),
            latency.quantileMs(0.5),
            latency.quantileMs(0.95),
            latency.quantileMs(0.99),
            latency.maxMs(),
            seconds,
            bytes.get(),
            (int) closedEarly.get());
    viewers.forEach(VideocallClient::close);
    publishers.forEach(VideocallClient::close);
    return r;
  }

  /** Every frame goes to every other participant. */
  private long expected() {
    return sent.get() * (config.viewers() + config.publishers() - 1L);
  }

  private List<VideocallClient> joinAll(String role, int count) throws InterruptedException {
    List<CompletableFuture<VideocallClient>> pending = new ArrayList<>();
    Semaphore concurrent = new Semaphore(32);
    ExecutorService joiner = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < count; i++) {
        String user = role + "-" + i;
        concurrent.acquire();
        CompletableFuture<VideocallClient> c =
            way(user)
                .apply(VideocallClient.to(config.server()))
                .transport(config.transport())
                .heartbeats(Duration.ofSeconds(2))
                .onPacket(this::received)
                .onClose(
                    (code, reason) -> {
                      if (running) {
                        closedEarly.incrementAndGet();
                      }
                    })
                .connect()
                .orTimeout(30, TimeUnit.SECONDS)
                .whenCompleteAsync((x, e) -> concurrent.release(), joiner);
        pending.add(c);
      }
      List<VideocallClient> out = new ArrayList<>();
      for (CompletableFuture<VideocallClient> c : pending) {
        out.add(c.join());
      }
      return out;
    } finally {
      joiner.shutdown();
    }
  }

  private void received(PacketWrapper w) {
    if (w.getPacketType() != PacketWrapper.PacketType.MEDIA
        || w.getMediaKind() != PacketWrapper.MediaKind.VIDEO) {
      return;
    }
    try {
      MediaPacket m = MediaPacket.parseFrom(w.getData());
      if (m.getMediaType() != MediaType.VIDEO || m.getSendTimeUs() < measureFromUs) {
        return;
      }
      latency.record(Packets.nowMicros() - m.getSendTimeUs());
      delivered.incrementAndGet();
      bytes.addAndGet(w.getSerializedSize());
    } catch (InvalidProtocolBufferException e) {
      // counted as not delivered
    }
  }

  /**
   * Frame sizes for a bitrate: a keyframe every 2 s, five times a delta frame, averaging the
   * requested bitrate.
   */
  public record FrameSizes(int deltaBytes, int keyBytes, int keyEvery) {
    public static FrameSizes of(int bitrateKbps, int fps) {
      int keyEvery = fps * 2;
      int average = (int) (bitrateKbps * 1000L / 8 / fps);
      int delta = Math.max(16, average * keyEvery / (keyEvery + 4));
      return new FrameSizes(delta, delta * 5, keyEvery);
    }

    public int bytes(long sequence) {
      return sequence % keyEvery == 0 ? keyBytes : deltaBytes;
    }
  }

  /** One publisher's frame schedule and sizes. */
  private final class Publisher {
    private final VideocallClient client;
    private final byte[] noise;
    private final FrameSizes sizes = FrameSizes.of(config.bitrateKbps(), config.fps());
    private long sequence;

    Publisher(VideocallClient client, int index) {
      this.client = client;
      this.noise = new byte[sizes.keyBytes()];
      new Random(index).nextBytes(noise);
    }

    void sendOne() {
      try {
        boolean key = sequence % sizes.keyEvery() == 0;
        byte[] frame = java.util.Arrays.copyOf(noise, sizes.bytes(sequence));
        MediaPacket m =
            Packets.videoFrame(
                frame, key, sequence, sequence * 1_000_000L / config.fps(), VideoCodec.VP8);
        client.send(Packets.media(m));
        sequence++;
        if (m.getSendTimeUs() >= measureFromUs) {
          sent.incrementAndGet();
        }
      } catch (RuntimeException e) {
        // a closed session: counted by closedEarly, its frames are simply not sent
      }
    }
  }
}
