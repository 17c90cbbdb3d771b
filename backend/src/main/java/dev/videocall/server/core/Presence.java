package dev.videocall.server.core;

import dev.videocall.server.bus.Bus;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.PresenceMessage.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in each meeting on the other server instances, as soft state with a time to live.
 *
 * <p>An instance announces a participant as ALIVE when it joins and LEFT when it leaves, and
 * repeats ALIVE for all of its participants every {@link #INTERVAL}. A remote participant not heard
 * of for {@link #EXPIRY} is taken as gone (its instance died or lost NATS) and announced as left;
 * one heard of again is announced as joined. Expiry pauses while this instance's own bus is down,
 * since then silence proves nothing, and restarts with a grace period when it returns. Heartbeats
 * over plain NATS rather than JetStream KV keep the broker requirement at a bare nats-server.
 */
public final class Presence {
  private static final Logger log = LoggerFactory.getLogger(Presence.class);

  /** How often an instance repeats its roster. */
  public static final Duration INTERVAL = Duration.ofSeconds(2);

  /** Silence after which a remote participant is announced as left: three missed heartbeats. */
  public static final Duration EXPIRY = INTERVAL.multipliedBy(3).plusMillis(500);

  /** A roster goes out in messages of at most this many bytes (and the bus's own limit). */
  static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /** HELLO asks everyone for their whole roster: answered at most this often. */
  static final Duration HELLO_MIN_GAP = Duration.ofSeconds(1);

  /** Remote participants remembered at most (a bound on what a neighbour can make us hold). */
  static final int MAX_REMOTE_MEMBERS = 200_000;

  /** Told, outside any lock, when a participant on another instance appears or goes. */
  public interface Listener {
    void joined(Member m);

    void left(Member m, String reason);
  }

  private record Remote(Member member, String instanceId, long[] seenNanos) {}

  private final Bus bus;
  private final String instanceId;
  private final Listener listener;
  private final Counters counters;
  private final Map<Long, Member> local = new LinkedHashMap<>();
  private final Map<Long, Remote> remote = new HashMap<>();
  private final Map<String, Map<Long, Remote>> remoteByMeeting = new HashMap<>();
  private boolean busWasDown = true;
  private long lastHelloAnsweredNanos = System.nanoTime() - HELLO_MIN_GAP.toNanos();

  public Presence(Bus bus, String instanceId, Listener listener, Counters counters) {
    this.bus = bus;
    this.instanceId = instanceId;
    this.listener = listener;
    this.counters = counters;
    bus.onPresence(this::received);
  }

  public synchronized void localJoined(Member m) {
    local.put(m.sessionId(), m);
    publish(Kind.ALIVE, "", List.of(m));
  }

  public synchronized void localLeft(Member m, String reason) {
    if (local.remove(m.sessionId()) != null) {
      publish(Kind.LEFT, reason.length() > 200 ? reason.substring(0, 200) : reason, List.of(m));
    }
  }

  /** The participants of a meeting on other instances. */
  public synchronized List<Member> remoteMembers(String meetingId) {
    Map<Long, Remote> in = remoteByMeeting.get(meetingId);
    List<Member> out = new ArrayList<>(in == null ? 0 : in.size());
    if (in != null) {
      in.values().forEach(r -> out.add(r.member()));
    }
    return out;
  }

  public synchronized int remoteCount(String meetingId) {
    Map<Long, Remote> in = remoteByMeeting.get(meetingId);
    return in == null ? 0 : in.size();
  }

  /**
   * Expires silent remote participants, then repeats the local roster; run every INTERVAL. Expiry
   * does not depend on publishing: a roster that cannot be sent must not stop it.
   */
  public void tick() {
    List<Runnable> events = new ArrayList<>();
    synchronized (this) {
      if (!bus.healthy()) {
        busWasDown = true;
        return;
      }
      long now = System.nanoTime();
      boolean greet = busWasDown;
      if (busWasDown) {
        busWasDown = false;
        for (Remote r : remote.values()) {
          r.seenNanos()[0] = now; // grace: they could not reach us either
        }
      }
      for (Iterator<Remote> it = remote.values().iterator(); it.hasNext(); ) {
        Remote r = it.next();
        if (now - r.seenNanos()[0] > EXPIRY.toNanos()) {
          it.remove();
          unindex(r);
          events.add(() -> listener.left(r.member(), "its server instance is unreachable"));
        }
      }
      if (!events.isEmpty()) {
        log.info("{} participants on unreachable instances announced as left", events.size());
      }
      try {
        if (greet) {
          publish(Kind.HELLO, "", List.of());
        }
        publishRoster();
      } catch (RuntimeException e) {
        log.warn("presence: roster not published: {}", e.toString());
      }
    }
    events.forEach(Runnable::run);
  }

  private void received(byte[] data) {
    PresenceMessage msg;
    try {
      msg = PresenceMessage.decode(data);
    } catch (IllegalArgumentException e) {
      counters.inc(Name.BUS_MALFORMED);
      log.warn("ignoring a malformed presence message: {}", e.getMessage());
      return;
    }
    if (msg.instanceId().equals(instanceId)) {
      return;
    }
    List<Runnable> events = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      switch (msg.kind()) {
        case HELLO -> {
          if (now - lastHelloAnsweredNanos >= HELLO_MIN_GAP.toNanos()) {
            lastHelloAnsweredNanos = now;
            publishRoster();
          } else {
            counters.inc(Name.PRESENCE_HELLO_IGNORED); // the periodic roster follows shortly
          }
        }
        case ALIVE -> {
          for (Member m : msg.members()) {
            Remote known = remote.get(m.sessionId());
            if (known != null) {
              if (known.instanceId().equals(msg.instanceId())) {
                known.seenNanos()[0] = now;
              } else {
                counters.inc(Name.PRESENCE_REJECTED); // another instance owns that session
              }
            } else if (local.containsKey(m.sessionId()) || remote.size() >= MAX_REMOTE_MEMBERS) {
              counters.inc(Name.PRESENCE_REJECTED);
            } else {
              Remote r = new Remote(m, msg.instanceId(), new long[] {now});
              remote.put(m.sessionId(), r);
              remoteByMeeting
                  .computeIfAbsent(m.meetingId(), k -> new HashMap<>())
                  .put(m.sessionId(), r);
              events.add(() -> listener.joined(m));
            }
          }
        }
        case LEFT -> {
          for (Member m : msg.members()) {
            Remote r = remote.get(m.sessionId());
            if (r == null) {
              continue;
            }
            if (!r.instanceId().equals(msg.instanceId())) {
              counters.inc(Name.PRESENCE_REJECTED); // only the owning instance says who left
              continue;
            }
            remote.remove(m.sessionId());
            unindex(r);
            events.add(() -> listener.left(r.member(), msg.reason()));
          }
        }
      }
    }
    events.forEach(Runnable::run);
  }

  private void unindex(Remote r) {
    Map<Long, Remote> in = remoteByMeeting.get(r.member().meetingId());
    if (in != null) {
      in.remove(r.member().sessionId());
      if (in.isEmpty()) {
        remoteByMeeting.remove(r.member().meetingId());
      }
    }
  }

  /** ALIVE for every local participant, split into messages that fit the bus. */
  private void publishRoster() {
    int budget = Math.min(MAX_MESSAGE_BYTES, bus.maxPacketBytes());
    List<Member> batch = new ArrayList<>();
    int bytes = PresenceMessage.HEADER_BYTES + instanceId.length();
    for (Member m : local.values()) {
      int size = PresenceMessage.encodedSize(m);
      if (!batch.isEmpty() && bytes + size > budget) {
        publish(Kind.ALIVE, "", batch);
        batch = new ArrayList<>();
        bytes = PresenceMessage.HEADER_BYTES + instanceId.length();
      }
      batch.add(m);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      publish(Kind.ALIVE, "", batch);
    }
  }

  // Always under this object's lock, so a roster can never overtake a later LEFT on the wire.
  private void publish(Kind kind, String reason, List<Member> members) {
    try {
      bus.publishPresence(new PresenceMessage(kind, instanceId, reason, members).encode());
    } catch (RuntimeException e) {
      // the periodic roster repeats what matters; a failure here must not fail a join or a leave
      log.warn("presence: {} not published: {}", kind, e.toString());
    }
  }
}
