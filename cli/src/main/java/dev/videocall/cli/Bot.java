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
 *
 * <p>With {@code layers} 2 or 3 each publisher is a simulcast camera as the page's: the same frame
 * at up to three sizes (the page's heights and bitrate shares), each layer numbered and keyframed
 * on its own; it answers keyframe requests per layer and pauses the layers no receiver gets
 * (dynacast). Viewers then send receiver reports as the page does (bytes received, ten times a
 * second), so the server measures their links and picks a layer for each. The first {@code
 * limitedViewers} connect through {@code limitedVia} (e.g. a link emulator in front of the server).
 *
 * <p>With {@code temporal} each layer also comes in three temporal layers as the page's L1T3 (0 2 1
 * 2 after each keyframe, with the per-layer counts), and viewers report too, so the server can take
 * upper temporal layers away from a congested viewer.
 */
public final class Bot {
  /** L1T3's temporal layers by position after the keyframe (which is position 0). */
  private static final int[] TEMPORAL_PATTERN = {0, 2, 1, 2};

  /** The page's layer sizes for a 640x360 camera, smallest first (CameraPublisher). */
  static final int[] LAYER_HEIGHTS = {90, 180, 360};

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
      String transport,
      int layers,
      int limitedViewers,
      URI limitedVia,
      boolean temporal) {
    public Config {
      if (layers < 1 || layers > LAYER_HEIGHTS.length) {
        throw new IllegalArgumentException("layers must be 1 to " + LAYER_HEIGHTS.length);
      }
      if (limitedViewers < 0
          || limitedViewers > viewers
          || (limitedViewers > 0) != (limitedVia != null)) {
        throw new IllegalArgumentException("limited viewers need a way in, and no more than all");
      }
    }

    /** One layer per publisher, every viewer straight to the server. */
    public Config(
        URI server,
        String meeting,
        int publishers,
        int viewers,
        int bitrateKbps,
        int fps,
        Duration duration,
        Duration warmup,
        String transport) {
      this(
          server,
          meeting,
          publishers,
          viewers,
          bitrateKbps,
          fps,
          duration,
          warmup,
          transport,
          1,
          0,
          null,
          false);
    }

    /** Whether viewers send receiver reports: with layers of either kind, as the page does. */
    boolean reports() {
      return layers > 1 || temporal;
    }
  }

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
      int sessionsClosed,
      java.util.List<Long> unlimitedFramesByLayer,
      java.util.List<Long> limitedFramesByLayer,
      java.util.List<Long> limitedFramesByTemporal,
      double limitedP50Ms,
      double limitedP99Ms,
      long limitedWorstMs) {
    /** Layer shares of what one group of viewers received, e.g. "0 / 12 / 88 %". */
    public static String shares(java.util.List<Long> frames) {
      long all = frames.stream().mapToLong(Long::longValue).sum();
      StringBuilder out = new StringBuilder();
      for (long f : frames) {
        out.append(out.length() == 0 ? "" : " / ")
            .append(all == 0 ? "-" : Math.round(100.0 * f / all));
      }
      return out + " %";
    }

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
      if (config.layers() > 1) {
        out.put("layers", config.layers());
        out.put("unlimited_frames_by_layer", unlimitedFramesByLayer);
        out.put("limited_viewers", config.limitedViewers());
        out.put("limited_frames_by_layer", limitedFramesByLayer);
        out.put(
            "limited_latency_ms",
            java.util.Map.of("p50", round(limitedP50Ms, 2), "p99", round(limitedP99Ms, 2)));
      }
      if (config.temporal()) {
        out.put("limited_frames_by_temporal_layer", limitedFramesByTemporal);
      }
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

  /** The limited viewers' own latency (the others' is {@link #latency}). */
  private final LatencyHistogram limitedLatency = new LatencyHistogram();

  /** The limited viewers' longest latency from the first frame on, warm-up included. */
  private final AtomicLong limitedWorstMs = new AtomicLong();

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong closedEarly = new AtomicLong();

  /** Frames the limited viewers got, per temporal layer. */
  private final java.util.concurrent.atomic.AtomicLongArray limitedByTemporal =
      new java.util.concurrent.atomic.AtomicLongArray(3);

  private final java.util.concurrent.atomic.AtomicLongArray framesByLayer =
      new java.util.concurrent.atomic.AtomicLongArray(2 * LAYER_HEIGHTS.length);
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
    List<Viewer> viewerStates = new ArrayList<>();
    for (int i = 0; i < config.viewers(); i++) {
      viewerStates.add(new Viewer(i < config.limitedViewers()));
    }
    List<VideocallClient> viewers =
        joinAll(
            "viewer",
            config.viewers(),
            i -> viewerStates.get(i)::received,
            i -> i < config.limitedViewers());
    if (config.reports()) {
      for (int i = 0; i < viewers.size(); i++) {
        viewerStates.get(i).report(viewers.get(i)); // a page reports at once when it is in
      }
    }
    java.util.concurrent.atomic.AtomicReferenceArray<Publisher> pubs =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(config.publishers());
    List<VideocallClient> publishers =
        joinAll(
            "publisher",
            config.publishers(),
            i ->
                packet -> {
                  received(packet, null);
                  Publisher p = pubs.get(i);
                  if (p != null) {
                    p.control(packet);
                  }
                },
            i -> false);
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
    // the viewers' reports on a thread of their own: they must not delay the publishers' frames
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bot-reports");
              t.setDaemon(true);
              return t;
            });
    if (config.reports()) {
      for (int i = 0; i < viewers.size(); i++) {
        VideocallClient c = viewers.get(i);
        Viewer v = viewerStates.get(i);
        tasks.add(
            reporter.scheduleAtFixedRate(
                () -> v.report(c), REPORT_MS, REPORT_MS, TimeUnit.MILLISECONDS));
      }
    }
    for (int i = 0; i < publishers.size(); i++) {
      Publisher p = new Publisher(publishers.get(i), i);
      pubs.set(i, p);
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
    reporter.shutdown();
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
            (int) closedEarly.get(),
            layerCounts(0),
            layerCounts(1),
            java.util.List.of(
                limitedByTemporal.get(0), limitedByTemporal.get(1), limitedByTemporal.get(2)),
            limitedLatency.quantileMs(0.5),
            limitedLatency.quantileMs(0.99),
            limitedWorstMs.get());
    viewers.forEach(VideocallClient::close);
    publishers.forEach(VideocallClient::close);
    return r;
  }

  private java.util.List<Long> layerCounts(int group) {
    java.util.List<Long> out = new ArrayList<>();
    for (int l = 0; l < config.layers(); l++) {
      out.add(framesByLayer.get(group * LAYER_HEIGHTS.length + l));
    }
    return out;
  }

  /** Every frame goes to every other participant (one layer of it, with layers). */
  private long expected() {
    return sent.get() * (config.viewers() + config.publishers() - 1L);
  }

  private List<VideocallClient> joinAll(
      String role,
      int count,
      java.util.function.IntFunction<VideocallClient.PacketListener> listener,
      java.util.function.IntPredicate limited)
      throws InterruptedException {
    List<CompletableFuture<VideocallClient>> pending = new ArrayList<>();
    Semaphore concurrent = new Semaphore(32);
    ExecutorService joiner = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < count; i++) {
        String user = role + "-" + i;
        concurrent.acquire();
        CompletableFuture<VideocallClient> c =
            way(user)
                .apply(VideocallClient.to(limited.test(i) ? config.limitedVia() : config.server()))
                .transport(config.transport())
                .heartbeats(Duration.ofSeconds(2))
                .onPacket(listener.apply(i))
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

  /** A video frame received by a viewer (limited: through the limited way in) or a publisher. */
  private void received(PacketWrapper w, Boolean limited) {
    if (w.getPacketType() != PacketWrapper.PacketType.MEDIA
        || w.getMediaKind() != PacketWrapper.MediaKind.VIDEO) {
      return;
    }
    try {
      MediaPacket m = MediaPacket.parseFrom(w.getData());
      if (Boolean.TRUE.equals(limited) && m.getMediaType() == MediaType.VIDEO) {
        long ms = (Packets.nowMicros() - m.getSendTimeUs()) / 1000;
        limitedWorstMs.accumulateAndGet(ms, Math::max); // the warm-up's too: a climb happens there
      }
      if (m.getMediaType() != MediaType.VIDEO || m.getSendTimeUs() < measureFromUs) {
        return;
      }
      (Boolean.TRUE.equals(limited) ? limitedLatency : latency)
          .record(Packets.nowMicros() - m.getSendTimeUs());
      delivered.incrementAndGet();
      bytes.addAndGet(w.getSerializedSize());
      if (limited != null) {
        int layer = Math.min(LAYER_HEIGHTS.length - 1, m.getVideoMetadata().getSpatialLayer());
        framesByLayer.incrementAndGet((limited ? LAYER_HEIGHTS.length : 0) + layer);
        if (limited) {
          limitedByTemporal.incrementAndGet(
              Math.max(0, Math.min(2, m.getVideoMetadata().getTemporalLayer())));
        }
      }
    } catch (InvalidProtocolBufferException e) {
      // counted as not delivered
    }
  }

  /** How often a viewer reports what it received, as the page does (MeetingConnection). */
  static final long REPORT_MS = 100;

  /** One viewer: what it received, for its receiver reports. */
  private final class Viewer {
    private final boolean limited;
    private final AtomicLong bytesIn = new AtomicLong();

    Viewer(boolean limited) {
      this.limited = limited;
    }

    void received(PacketWrapper w) {
      bytesIn.addAndGet(w.getSerializedSize()); // everything, the server's filler too
      Bot.this.received(w, limited);
    }

    /** What arrived on this connection (no tile sizes: any size will do). */
    void report(VideocallClient c) {
      try {
        c.send(
            PacketWrapper.newBuilder()
                .setPacketType(PacketWrapper.PacketType.RECEIVER_REPORT)
                .setData(
                    dev.videocall.proto.ReceiverReport.newBuilder()
                        .setBytesReceived(bytesIn.get())
                        .build()
                        .toByteString())
                .build());
      } catch (RuntimeException e) {
        // a closed session: counted by closedEarly
      }
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

  /**
   * One publisher's frame schedule and sizes; with layers, one camera frame at each size each tick,
   * every layer numbered and keyframed on its own.
   */
  private final class Publisher {
    private final VideocallClient client;
    private final byte[] noise;
    private final FrameSizes[] sizes;
    private final long[] sequence;
    private final long[] sinceKey;
    private final long[] sequenceT0;
    private final long[] sequenceT1;
    private final LayerControl control;
    private long ticks;

    Publisher(VideocallClient client, int index) {
      this.client = client;
      int layers = config.layers();
      control = new LayerControl(layers);
      sizes = new FrameSizes[layers];
      for (int l = 0; l < layers; l++) {
        sizes[l] =
            FrameSizes.of(
                (int)
                    Math.max(
                        10, config.bitrateKbps() * LayerControl.LAYER_BITRATE_SHARE[layers - 1][l]),
                config.fps());
      }
      sequence = new long[layers];
      sinceKey = new long[layers];
      sequenceT0 = new long[layers];
      sequenceT1 = new long[layers];
      java.util.Arrays.fill(sinceKey, -1); // each layer starts with a keyframe
      this.noise = new byte[sizes[layers - 1].keyBytes()];
      new Random(index).nextBytes(noise);
    }

    /** What the server asks of this publisher: keyframes (per layer) and, with layers, dynacast. */
    void control(PacketWrapper w) {
      control.onPacket(w, -1); // the server sends each bot only what is addressed to it
    }

    void sendOne() {
      try {
        long now = System.nanoTime();
        int wanted = control.keyframesDue(now);
        long timestamp = ticks * 1_000_000L / config.fps();
        boolean measured = false;
        for (int l = 0; l < sizes.length; l++) {
          if (!control.running(l, now)) {
            sinceKey[l] = -1; // resumes with a keyframe
            continue;
          }
          boolean key =
              sinceKey[l] < 0 || sinceKey[l] >= sizes[l].keyEvery() || (wanted & (1 << l)) != 0;
          sinceKey[l] = key ? 1 : sinceKey[l] + 1;
          byte[] frame =
              java.util.Arrays.copyOf(noise, key ? sizes[l].keyBytes() : sizes[l].deltaBytes());
          MediaPacket m =
              Packets.layeredVideoFrame(
                  frame,
                  key,
                  sequence[l]++,
                  timestamp,
                  VideoCodec.VP8,
                  LAYER_HEIGHTS[l] * 16 / 9,
                  LAYER_HEIGHTS[l],
                  l,
                  sizes.length);
          if (config.temporal()) {
            // the page's L1T3: 0 at the keyframe, then 2 1 2 0 2 1 2 ...
            int t = key ? 0 : TEMPORAL_PATTERN[(int) ((sinceKey[l] - 1) % 4)];
            sequenceT0[l] += t == 0 ? 1 : 0;
            sequenceT1[l] += t <= 1 ? 1 : 0;
            m = Packets.withTemporalLayer(m, t, 3, sequenceT0[l], sequenceT1[l]);
          }
          client.send(Packets.media(m));
          measured |= m.getSendTimeUs() >= measureFromUs;
        }
        ticks++;
        if (measured) {
          sent.incrementAndGet(); // one camera frame, whatever the layers it went out in
        }
      } catch (RuntimeException e) {
        // a closed session: counted by closedEarly, its frames are simply not sent
      }
    }
  }
}
