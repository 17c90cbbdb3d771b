package dev.videocall.server.core;

import dev.videocall.server.bus.Bus;
import java.util.Arrays;

/** The sessions of one meeting connected to this server instance, and fan-out to them. */
final class Room {
  private final String meetingId;
  private final long startedAtMillis = System.currentTimeMillis();
  private final String creatorId;
  private final boolean e2ee;
  private volatile Session[] sessions = new Session[0];
  private Bus.Subscription subscription;
  private final Counters counters;

  /** The simulcast senders of this meeting (on any instance) whose frames reach this room. */
  private final java.util.concurrent.ConcurrentHashMap<Long, SenderLayers> layers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Per simulcast sender: the layer demand last sent to it and when (dynacast). */
  private final java.util.concurrent.ConcurrentHashMap<Long, long[]> demandsSent =
      new java.util.concurrent.ConcurrentHashMap<>();

  Room(String meetingId, String creatorId, boolean e2ee) {
    this(meetingId, creatorId, e2ee, new Counters());
  }

  Room(String meetingId, String creatorId, boolean e2ee, Counters counters) {
    this.meetingId = meetingId;
    this.creatorId = creatorId;
    this.e2ee = e2ee;
    this.counters = counters;
  }

  /** Whether every session encrypts its media end to end (set by the first session). */
  boolean e2ee() {
    return e2ee;
  }

  String meetingId() {
    return meetingId;
  }

  long startedAtMillis() {
    return startedAtMillis;
  }

  String creatorId() {
    return creatorId;
  }

  void subscription(Bus.Subscription subscription) {
    this.subscription = subscription;
  }

  Bus.Subscription subscription() {
    return subscription;
  }

  /**
   * Hands the packet to every local session but its sender, or only to its target. A simulcast
   * camera frame goes only to the sessions whose selector has them on its layer; any other video
   * frame only to those whose link takes its temporal layer now ({@link TemporalGate}).
   */
  void deliver(Packet p) {
    Packet.Layer layer = p.layer();
    SenderLayers sender = null;
    if (layer.simulcast()) {
      sender = layers.computeIfAbsent(p.senderSessionId(), k -> new SenderLayers());
      sender.frame(layer, p.size(), p.arrivedNanos());
    }
    for (Session s : sessions) {
      if (s.id() == p.senderSessionId()) {
        continue;
      }
      if (p.targetSessionId() == 0 || p.targetSessionId() == s.id()) {
        if (sender != null) {
          LayerSelector.Verdict v =
              s.selector(p.senderSessionId(), sender)
                  .onFrame(
                      layer.spatial(), layer.temporal(), p.priority() == Packet.Priority.VIDEO_KEY);
          if (v == LayerSelector.Verdict.DROP) {
            counters.inc(Counters.Name.LAYER_NOT_FORWARDED);
            continue;
          }
          if (v == LayerSelector.Verdict.SWITCH) {
            counters.inc(Counters.Name.LAYER_SWITCHES);
          }
        } else if (p.isVideo()
            && s.downlink().reported()
            && !s.temporalGate(p.senderSessionId(), p.stream())
                .forward(
                    layer.temporal(),
                    p.priority() == Packet.Priority.VIDEO_KEY,
                    s.downlink().maxTemporal())) {
          counters.inc(Counters.Name.TEMPORAL_LAYER_NOT_FORWARDED);
          continue;
        }
        s.outbox().offer(p);
      }
    }
  }

  /** The simulcast senders seen here, by session id. */
  java.util.Map<Long, SenderLayers> layers() {
    return layers;
  }

  /** Per simulcast sender: {demand mask, when sent}; the relay's dynacast bookkeeping. */
  java.util.Map<Long, long[]> demandsSent() {
    return demandsSent;
  }

  /** A sender left the meeting: its layers and every receiver's selector for it go. */
  void forgetSender(long senderSessionId) {
    layers.remove(senderSessionId);
    demandsSent.remove(senderSessionId);
    for (Session s : sessions) {
      s.forgetSender(senderSessionId);
    }
  }

  Session[] sessions() {
    return sessions;
  }

  /**
   * The user's newest session here, or null. Newest: a session being replaced stays in the room for
   * a moment after its replacement joined, and a join in that moment must meet the newer one.
   */
  Session findUser(String userId) {
    Session found = null;
    for (Session s : sessions) {
      if (s.userId().equals(userId)) {
        found = s;
      }
    }
    return found;
  }

  // Membership changes are rare and serialized by the relay; readers see an immutable snapshot.
  void add(Session s) {
    Session[] next = Arrays.copyOf(sessions, sessions.length + 1);
    next[next.length - 1] = s;
    sessions = next;
  }

  /** False when {@code s} was not in the room. */
  boolean remove(Session s) {
    Session[] next = Arrays.stream(sessions).filter(x -> x != s).toArray(Session[]::new);
    boolean removed = next.length != sessions.length;
    sessions = next;
    return removed;
  }

  boolean isEmpty() {
    return sessions.length == 0;
  }
}
