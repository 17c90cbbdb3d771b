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

  Room(String meetingId, String creatorId, boolean e2ee) {
    this.meetingId = meetingId;
    this.creatorId = creatorId;
    this.e2ee = e2ee;
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

  /** Hands the packet to every local session but its sender, or only to its target. */
  void deliver(Packet p) {
    for (Session s : sessions) {
      if (s.id() == p.senderSessionId()) {
        continue;
      }
      if (p.targetSessionId() == 0 || p.targetSessionId() == s.id()) {
        s.outbox().offer(p);
      }
    }
  }

  Session[] sessions() {
    return sessions;
  }

  Session findUser(String userId) {
    for (Session s : sessions) {
      if (s.userId().equals(userId)) {
        return s;
      }
    }
    return null;
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
