package dev.videocall.server.core;

import dev.videocall.types.ConnectionAttempt;
import java.util.concurrent.atomic.AtomicBoolean;

/** One participant's connection to one meeting, whatever the transport. */
public final class Session {
  private final long id;
  private final String userId;
  private final String meetingId;
  private final String displayName;
  private final SessionLink link;
  private final Outbox outbox;
  private final String address;
  private long controlTokens = -1; // guarded by this; -1: full bucket, set at first use
  private long controlRefilledNanos;
  private final AtomicBoolean left = new AtomicBoolean();
  private volatile long lastSeenNanos = System.nanoTime();
  private final Downlink downlink = new Downlink(Downlink.START_LIMIT_BPS);

  private final ConnectionAttempt attempt;

  /**
   * Its attempt and the newest ones of the pages whose sessions it replaced (directly or through
   * those): an older attempt of any of them is refused. Set once, before the session is in a room.
   */
  private volatile java.util.List<ConnectionAttempt> knownAttempts = java.util.List.of();

  /** One per simulcast sender this session receives: which of its layers it gets. */
  private final java.util.concurrent.ConcurrentHashMap<Long, LayerSelector> selectors =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Per sender whose video comes in one spatial layer: the temporal gates of its camera and its
   * screen (index {@code Stream.ordinal() - 1}) for this session.
   */
  private final java.util.concurrent.ConcurrentHashMap<Long, TemporalGate[]> temporalGates =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** From the last receiver report: sender session id to the height its camera is shown at. */
  private volatile java.util.Map<Long, Integer> tileHeights = java.util.Map.of();

  Session(
      long id,
      String userId,
      String meetingId,
      String displayName,
      SessionLink link,
      java.util.function.Function<Session, Outbox> outboxFactory) {
    this(id, userId, meetingId, displayName, link, null, null, outboxFactory);
  }

  Session(
      long id,
      String userId,
      String meetingId,
      String displayName,
      SessionLink link,
      String address,
      ConnectionAttempt attempt,
      java.util.function.Function<Session, Outbox> outboxFactory) {
    this.address = address;
    this.attempt = attempt;
    this.knownAttempts = ConnectionAttempt.remembered(attempt, java.util.List.of());
    this.id = id;
    this.userId = userId;
    this.meetingId = meetingId;
    this.displayName = displayName;
    this.link = link;
    this.outbox = outboxFactory.apply(this);
  }

  public long id() {
    return id;
  }

  /** Which connection of which page this is, when the client says (else null). */
  public ConnectionAttempt attempt() {
    return attempt;
  }

  /** See {@link #knownAttempts}. */
  java.util.List<ConnectionAttempt> knownAttempts() {
    return knownAttempts;
  }

  /** This session replaces {@code older}: it remembers what that one knew. */
  void replaces(Session older) {
    knownAttempts = ConnectionAttempt.remembered(attempt, older.knownAttempts);
  }

  public String userId() {
    return userId;
  }

  public String meetingId() {
    return meetingId;
  }

  public String displayName() {
    return displayName;
  }

  public SessionLink link() {
    return link;
  }

  public Outbox outbox() {
    return outbox;
  }

  /** The client's address (for per-address limits), or null. */
  public String address() {
    return address;
  }

  /**
   * Takes one control packet from a bucket refilled at {@code perSecond} and holding twice that;
   * false when it is empty.
   */
  synchronized boolean takeControlToken(int perSecond) {
    long now = System.nanoTime();
    long capacity = 2L * perSecond;
    if (controlTokens < 0) {
      controlTokens = capacity;
      controlRefilledNanos = now;
    }
    long elapsed = now - controlRefilledNanos;
    long refill = elapsed * perSecond / 1_000_000_000L;
    if (refill > 0) {
      controlTokens = Math.min(capacity, controlTokens + refill);
      controlRefilledNanos += refill * 1_000_000_000L / perSecond;
    }
    if (controlTokens == 0) {
      return false;
    }
    controlTokens--;
    return true;
  }

  /** What this session's link carries, from its receiver reports. */
  Downlink downlink() {
    return downlink;
  }

  /** The layer selector for {@code sender}'s camera, created (with its layers) on first use. */
  LayerSelector selector(long sender, SenderLayers layers) {
    return selectors.computeIfAbsent(
        sender,
        k -> {
          LayerSelector s = new LayerSelector();
          layers.describe(s);
          if (downlink.reported()) {
            s.startSmall(); // a reporting receiver climbs from the smallest, as after a report
          }
          return s;
        });
  }

  /** The temporal gate for {@code sender}'s camera or screen, created on first use. */
  TemporalGate temporalGate(long sender, Packet.Stream stream) {
    TemporalGate[] gates =
        temporalGates.computeIfAbsent(
            sender, k -> new TemporalGate[] {new TemporalGate(), new TemporalGate()});
    return gates[stream == Packet.Stream.SCREEN ? 1 : 0];
  }

  /** Forgets what this session kept of a sender that left: its selector and temporal gates. */
  void forgetSender(long sender) {
    selectors.remove(sender);
    temporalGates.remove(sender);
  }

  /** The selector for {@code sender}'s camera, or null when this session has none. */
  LayerSelector selectorOrNull(long sender) {
    return selectors.get(sender);
  }

  java.util.Map<Long, LayerSelector> selectors() {
    return selectors;
  }

  void tileHeights(java.util.Map<Long, Integer> heights) {
    tileHeights = heights;
  }

  /**
   * The height at which this session shows {@code sender}'s camera: -1 unknown (no report names
   * it), 0 hidden.
   */
  int tileHeight(long sender) {
    Integer h = tileHeights.get(sender);
    return h == null ? -1 : h;
  }

  void touch() {
    lastSeenNanos = System.nanoTime();
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  /** True exactly once: for the caller that takes the session out of its meeting. */
  boolean markLeft() {
    return left.compareAndSet(false, true);
  }

  public boolean hasLeft() {
    return left.get();
  }

  @Override
  public String toString() {
    return userId + "@" + meetingId + "#" + Long.toHexString(id) + "/" + link.transport();
  }
}
