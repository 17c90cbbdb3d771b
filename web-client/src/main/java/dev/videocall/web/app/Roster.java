package dev.videocall.web.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is in the meeting, as this page knows it: one entry per remote session, from MEETING events
 * and heartbeats, with what people see of each other (name, camera, microphone, screen share,
 * raised hand). A user id holds one session at a time: a newer session replaces an older one (a
 * reload). Sessions announced as left are remembered for a while, so that their last media,
 * arriving on another stream after the announcement, does not bring them back. Pure Java,
 * unit-tested on the JVM; the view listens for changes.
 */
final class Roster {
  /** One remote participant. */
  static final class Person {
    final String userId;
    final long sessionId;
    String name;
    final double joinedAtMs;
    boolean cameraOn = true;
    boolean micOn = true;
    boolean sharing;
    boolean handRaised;
    double lastHeardMs;

    Person(String userId, long sessionId, String name, double joinedAtMs) {
      this.userId = userId;
      this.sessionId = sessionId;
      this.name = name;
      this.joinedAtMs = joinedAtMs;
      this.lastHeardMs = joinedAtMs;
    }

    /**
     * Whether nothing (not even a heartbeat, sent every second) came from them for {@link
     * #SILENT_MS}: their connection is probably gone, though the server, which waits longer before
     * it says so, has not announced that they left.
     */
    boolean silent(double nowMs) {
      return nowMs - lastHeardMs > SILENT_MS;
    }
  }

  /** Told of changes. */
  interface Listener {
    void joined(Person p, boolean announced);

    void left(Person p, String why);

    void changed(Person p);
  }

  private static final int LEFT_KEPT = 1024;
  static final double SILENT_MS = 3500;

  private final Map<Long, Person> bySession = new LinkedHashMap<>();
  private final Map<String, Long> sessionOfUser = new LinkedHashMap<>();
  private final LinkedHashMap<Long, Boolean> left = new LinkedHashMap<>();
  private final Listener listener;

  Roster(Listener listener) {
    this.listener = listener;
  }

  /** Someone is there: from MEETING_STARTED ({@code announced} false) or PARTICIPANT_JOINED. */
  Person add(String userId, long sessionId, String name, double nowMs, boolean announced) {
    if (announced) {
      // the server says it joined: back after a split between server instances, which announce
      // the same sessions as left and then joined again
      left.remove(sessionId);
    }
    if (left.containsKey(sessionId)) {
      return null;
    }
    Person existing = bySession.get(sessionId);
    if (existing != null) {
      return existing;
    }
    Long older = sessionOfUser.get(userId);
    if (older != null) {
      remove(older, "reconnected");
    }
    Person p = new Person(userId, sessionId, name == null || name.isEmpty() ? userId : name, nowMs);
    bySession.put(sessionId, p);
    sessionOfUser.put(userId, sessionId);
    listener.joined(p, announced);
    return p;
  }

  /** Someone left (PARTICIPANT_LEFT), or we stopped hearing of them. */
  void remove(long sessionId, String why) {
    if (sessionId != 0) {
      left.put(sessionId, true);
      if (left.size() > LEFT_KEPT) {
        left.remove(left.keySet().iterator().next());
      }
    }
    Person p = bySession.remove(sessionId);
    if (p != null) {
      sessionOfUser.remove(p.userId, sessionId);
      listener.left(p, why);
    }
  }

  /** Media or a heartbeat from a session: the person, added if we had not heard of them. */
  Person from(String userId, long sessionId, double nowMs) {
    Person p = bySession.get(sessionId);
    if (p != null) {
      p.lastHeardMs = nowMs;
      return p;
    }
    if (left.containsKey(sessionId)) {
      return null;
    }
    return add(userId, sessionId, userId, nowMs, false);
  }

  /** A heartbeat's state. */
  void state(
      Person p, String name, boolean cameraOn, boolean micOn, boolean sharing, boolean hand) {
    boolean changed =
        p.cameraOn != cameraOn
            || p.micOn != micOn
            || p.sharing != sharing
            || p.handRaised != hand
            || (name != null && !name.isEmpty() && !name.equals(p.name));
    p.cameraOn = cameraOn;
    p.micOn = micOn;
    p.sharing = sharing;
    p.handRaised = hand;
    if (name != null && !name.isEmpty()) {
      p.name = name;
    }
    if (changed) {
      listener.changed(p);
    }
  }

  Person get(long sessionId) {
    return bySession.get(sessionId);
  }

  boolean hasLeft(long sessionId) {
    return left.containsKey(sessionId);
  }

  int size() {
    return bySession.size();
  }

  /** Everyone, in the order they were first heard of. */
  List<Person> people() {
    return new ArrayList<>(bySession.values());
  }

  /** Forgets everyone (the connection is gone); they are not "left" for a reconnect. */
  void clear() {
    for (Person p : people()) {
      bySession.remove(p.sessionId);
      sessionOfUser.remove(p.userId);
      listener.left(p, "");
    }
  }
}
