package dev.videocall.server.core;

import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.MeetingPacket;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.Participant;
import dev.videocall.proto.SessionAssignedPacket;
import dev.videocall.server.bus.Bus;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Packet.Stream;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.Ids;
import dev.videocall.types.Packets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-agnostic core: sessions join and leave meetings, their packets are classified by
 * {@link Ingress} and published on the {@link Bus}, and each meeting's {@link Room} fans them out
 * to its local sessions. Transport adapters only call {@link #join}, {@link #receive} and {@link
 * #leave}.
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  /** Limits and timings. */
  public record Config(
      int maxPacketBytes, long outboxBytes, Duration heartbeatTimeout, String serverId) {}

  private final Config config;
  private final Bus bus;
  private final Counters counters;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Room> rooms = new HashMap<>();
  private final ScheduledExecutorService timer;
  private final Presence presence;
  private final Executor writer;
  private final ExecutorService ownedWriter;

  /** A relay whose outboxes write on one thread per core. */
  public Relay(Config config, Bus bus, Counters counters) {
    this(config, bus, counters, null);
  }

  /**
   * A relay whose outboxes write on {@code writer} ({@code Runnable::run}: on the calling thread,
   * for unit tests); null: its own thread per core.
   */
  public Relay(Config config, Bus bus, Counters counters, Executor writer) {
    this.config = config;
    this.bus = bus;
    this.counters = counters;
    this.ownedWriter = writer == null ? newWriterPool() : null;
    this.writer = writer == null ? ownedWriter : writer;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "relay-heartbeat-check");
              t.setDaemon(true);
              return t;
            });
    long periodMs = Math.max(50, Math.min(1000, config.heartbeatTimeout().toMillis() / 4));
    timer.scheduleAtFixedRate(this::closeSilentSessions, periodMs, periodMs, TimeUnit.MILLISECONDS);
    this.presence =
        new Presence(
            bus,
            config.serverId(),
            new Presence.Listener() {
              @Override
              public void joined(Member m) {
                announceRemote(m, MeetingEventType.PARTICIPANT_JOINED, "");
              }

              @Override
              public void left(Member m, String reason) {
                announceRemote(m, MeetingEventType.PARTICIPANT_LEFT, reason);
              }
            },
            counters);
    long presenceMs = Presence.INTERVAL.toMillis();
    timer.scheduleAtFixedRate(
        this::tickPresence, presenceMs / 4, presenceMs, TimeUnit.MILLISECONDS);
  }

  public Config config() {
    return config;
  }

  public Counters counters() {
    return counters;
  }

  /** The configured limit, lowered to what the bus can carry between instances. */
  public int maxPacketBytes() {
    return Math.min(config.maxPacketBytes(), bus.maxPacketBytes());
  }

  /**
   * Adds a session to a meeting. The newcomer gets SESSION_ASSIGNED and MEETING_STARTED (with
   * everyone already present) before any other packet; the others get PARTICIPANT_JOINED. An
   * earlier session of the same user in the same meeting is closed (a reloaded tab replaces its
   * stale connection at once instead of after the heartbeat timeout).
   */
  public Session join(String userId, String meetingId, String displayName, SessionLink link) {
    Ids.require("user id", userId);
    Ids.require("meeting id", meetingId);
    String name = displayName == null || displayName.isBlank() ? userId : displayName;
    Session replaced;
    Session session;
    synchronized (this) {
      Room room = rooms.get(meetingId);
      if (room == null) {
        Room created = new Room(meetingId, userId);
        created.subscription(bus.subscribe(meetingId, created::deliver));
        rooms.put(meetingId, created);
        room = created;
      }
      replaced = room.findUser(userId);
      session = new Session(newSessionId(), userId, meetingId, name, link, this::newOutbox);
      // written only once the session is in the room: a client that has its SESSION_ASSIGNED
      // must get everything sent to the meeting from then on
      session.outbox().hold();
      session.outbox().offer(serverPacket(session, PacketType.SESSION_ASSIGNED, assigned(session)));
      session.outbox().offer(serverPacket(session, PacketType.MEETING, started(room, replaced)));
      room.add(session);
      session.outbox().release();
    }
    counters.inc(Name.SESSIONS_OPENED);
    if (replaced != null) {
      counters.inc(Name.CLOSED_REPLACED);
      replaced.link().close(CloseCodes.REPLACED, "replaced by a newer session of the same user");
      leave(replaced, "replaced by a newer session");
    }
    Member member = member(session);
    presence.localJoined(member);
    log.info("joined {} ({} in meeting)", session, participantCount(meetingId));
    deliverLocally(member, MeetingEventType.PARTICIPANT_JOINED, "");
    return session;
  }

  /** Handles one packet from a session's transport. */
  public void receive(Session from, byte[] data, int offset, int length) {
    if (from.hasLeft()) {
      return;
    }
    from.touch();
    counters.inc(Name.PACKETS_RECEIVED);
    int max = maxPacketBytes();
    if (length > max) {
      reject(
          from,
          Name.CLOSED_TOO_BIG,
          CloseCodes.TOO_BIG,
          "packet of "
              + length
              + " bytes exceeds the limit of "
              + max
              + (max < config.maxPacketBytes() ? " (NATS max_payload)" : ""));
      return;
    }
    Ingress.Decision d = Ingress.classify(from, data, offset, length);
    if (d instanceof Ingress.Relay r) {
      bus.publish(r.packet());
    } else if (d instanceof Ingress.Echo e) {
      counters.inc(Name.RTT_ECHOES);
      from.outbox().offer(e.packet());
    } else if (d instanceof Ingress.Consume c) {
      if (c.counter() != null) {
        counters.inc(c.counter());
      }
    } else if (d instanceof Ingress.Drop drop) {
      counters.inc(drop.counter());
    } else if (d instanceof Ingress.Reject rej) {
      reject(from, Name.CLOSED_UNPARSEABLE, rej.code(), rej.reason());
    }
  }

  /**
   * Closes a session for bad input a transport detected itself (e.g. a stream declaring a packet
   * over the size limit), counted like the relay's own refusals.
   */
  public void refuse(Session s, int code, String reason) {
    reject(
        s,
        code == CloseCodes.TOO_BIG ? Name.CLOSED_TOO_BIG : Name.CLOSED_UNPARSEABLE,
        code,
        reason);
  }

  /**
   * Takes a session out of its meeting (idempotent) and tells the others. The transport adapter
   * calls it when the connection closes; the relay calls it when it closes a session itself.
   */
  public void leave(Session s, String reason) {
    if (!s.markLeft()) {
      return;
    }
    s.outbox().close();
    int remaining;
    synchronized (this) {
      Room room = rooms.get(s.meetingId());
      if (room == null) {
        return;
      }
      room.remove(s);
      remaining = room.sessions().length;
      for (Session other : room.sessions()) {
        senderLeft(other, s.id());
      }
      if (room.isEmpty()) {
        rooms.remove(s.meetingId());
        room.subscription().unsubscribe();
      }
    }
    log.info("left {}: {} ({} remain)", s, reason, remaining);
    Member member = member(s);
    presence.localLeft(member, reason);
    deliverLocally(member, MeetingEventType.PARTICIPANT_LEFT, reason);
  }

  /** Sessions connected to this instance. */
  public synchronized int sessionCount() {
    int n = 0;
    for (Room r : rooms.values()) {
      n += r.sessions().length;
    }
    return n;
  }

  /** Meetings with at least one session on this instance. */
  public synchronized int roomCount() {
    return rooms.size();
  }

  /** Closes every session; the adapters stop accepting new ones first. */
  @Override
  public void close() {
    timer.shutdownNow();
    Session[] all;
    synchronized (this) {
      all = allSessions();
    }
    for (Session s : all) {
      s.link().close(CloseCodes.SERVER_SHUTDOWN, "server shutting down");
      leave(s, "server shutting down");
    }
    if (ownedWriter != null) {
      ownedWriter.shutdown();
    }
  }

  // ---- internals ----

  private static Member member(Session s) {
    return new Member(s.meetingId(), s.id(), s.userId(), s.displayName());
  }

  /**
   * Tells this instance's participants of a meeting about a change; other instances learn it
   * through {@link Presence} and tell their own.
   */
  private void deliverLocally(Member about, MeetingEventType type, String reason) {
    Room room;
    synchronized (this) {
      room = rooms.get(about.meetingId());
    }
    if (room != null) {
      room.deliver(
          serverPacket(about, PacketType.MEETING, event(type, about, reason).toByteString()));
    }
  }

  private void announceRemote(Member about, MeetingEventType type, String reason) {
    log.info(
        "{} {} on another instance{}",
        type == MeetingEventType.PARTICIPANT_JOINED ? "joined" : "left",
        about,
        reason.isEmpty() ? "" : ": " + reason);
    deliverLocally(about, type, reason);
    if (type == MeetingEventType.PARTICIPANT_LEFT) {
      Room room;
      synchronized (this) {
        room = rooms.get(about.meetingId());
      }
      for (Session other : room == null ? new Session[0] : room.sessions()) {
        senderLeft(other, about.sessionId());
      }
    }
  }

  private static void senderLeft(Session receiver, long senderSessionId) {
    receiver.outbox().forget(senderSessionId);
    receiver.link().senderLeft(senderSessionId);
  }

  private void tickPresence() {
    try {
      presence.tick();
    } catch (RuntimeException e) {
      log.warn("presence tick failed", e);
    }
  }

  private Session[] allSessions() {
    return rooms.values().stream()
        .flatMap(r -> Arrays.stream(r.sessions()))
        .toArray(Session[]::new);
  }

  private void reject(Session s, Name counter, int code, String reason) {
    counters.inc(counter);
    log.info("closing {}: {}", s, reason);
    leave(s, reason); // first: a transport seeing the close then knows the relay counted it
    s.link().close(code, reason);
  }

  private void closeSilentSessions() {
    try {
      long deadline = System.nanoTime() - config.heartbeatTimeout().toNanos();
      Session[] all;
      synchronized (this) {
        all = allSessions();
      }
      for (Session s : all) {
        if (s.lastSeenNanos() - deadline < 0) {
          reject(
              s,
              Name.CLOSED_HEARTBEAT_TIMEOUT,
              CloseCodes.HEARTBEAT_TIMEOUT,
              "no packet received for " + config.heartbeatTimeout().toMillis() + " ms");
        }
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat check failed", e);
    }
  }

  private static ExecutorService newWriterPool() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        Runtime.getRuntime().availableProcessors(),
        r -> {
          Thread t = new Thread(r, "relay-writer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  private Outbox newOutbox(Session s) {
    return new Outbox(
        s.link(),
        writer,
        config.outboxBytes(),
        counters,
        new Outbox.Listener() {
          @Override
          public void keyframeNeeded(long senderSessionId, Stream stream) {
            requestKeyframe(s, senderSessionId, stream);
          }

          @Override
          public void overflowed() {
            reject(
                s,
                Name.CLOSED_TOO_SLOW,
                CloseCodes.TOO_SLOW,
                "receiver too slow: outbound queue overflowed");
          }
        });
  }

  /** Asks a sender, on behalf of a receiver whose copy of its stream broke, for a keyframe. */
  private void requestKeyframe(Session receiver, long senderSessionId, Stream stream) {
    if (receiver.hasLeft()) {
      return;
    }
    PacketWrapper request =
        Packets.keyframeRequest(
                senderSessionId, stream == Stream.SCREEN ? MediaType.SCREEN : MediaType.VIDEO)
            .toBuilder()
            .setUserId(receiver.userId())
            .setSessionId(receiver.id())
            .build();
    bus.publish(
        new Packet(
            receiver.meetingId(),
            receiver.userId(),
            receiver.id(),
            senderSessionId,
            Priority.CONTROL,
            Stream.NONE,
            request.toByteArray()));
  }

  private long newSessionId() {
    long id;
    do {
      id = random.nextLong() & Long.MAX_VALUE;
    } while (id == 0);
    return id;
  }

  /** Everyone in the meeting, on every instance. */
  private int participantCount(String meetingId) {
    Room r;
    synchronized (this) {
      r = rooms.get(meetingId);
    }
    return (r == null ? 0 : r.sessions().length) + presence.remoteCount(meetingId);
  }

  private com.google.protobuf.ByteString assigned(Session s) {
    return SessionAssignedPacket.newBuilder()
        .setSessionId(s.id())
        .setUserId(s.userId())
        .setMeetingId(s.meetingId())
        .setHeartbeatTimeoutMs((int) config.heartbeatTimeout().toMillis())
        .setMaxPacketBytes(maxPacketBytes())
        .setServerId(config.serverId())
        .build()
        .toByteString();
  }

  /** To a newcomer: who is already there (except a session it replaces, which is leaving). */
  private com.google.protobuf.ByteString started(Room room, Session replaced) {
    MeetingPacket.Builder b =
        MeetingPacket.newBuilder()
            .setEventType(MeetingEventType.MEETING_STARTED)
            .setRoomId(room.meetingId())
            .setStartTimeMs(room.startedAtMillis())
            .setCreatorId(room.creatorId());
    for (Session s : room.sessions()) {
      if (s != replaced) {
        b.addParticipants(participant(member(s)));
      }
    }
    for (Member m : presence.remoteMembers(room.meetingId())) {
      b.addParticipants(participant(m));
    }
    return b.setParticipantCount(b.getParticipantsCount() + 1L).build().toByteString();
  }

  private static Participant.Builder participant(Member m) {
    return Participant.newBuilder()
        .setUserId(m.userId())
        .setSessionId(m.sessionId())
        .setDisplayName(m.displayName());
  }

  private MeetingPacket event(MeetingEventType type, Member about, String message) {
    return MeetingPacket.newBuilder()
        .setEventType(type)
        .setRoomId(about.meetingId())
        .setTargetUserId(about.userId())
        .setTargetSessionId(about.sessionId())
        .setDisplayName(about.displayName())
        .setMessage(message)
        .setParticipantCount(participantCount(about.meetingId()))
        .build();
  }

  private static Packet serverPacket(
      Session about, PacketType type, com.google.protobuf.ByteString data) {
    return serverPacket(member(about), type, data);
  }

  /** A server-authored packet about {@code about}, never delivered back to it by fan-out. */
  private static Packet serverPacket(
      Member about, PacketType type, com.google.protobuf.ByteString data) {
    byte[] bytes =
        PacketWrapper.newBuilder()
            .setPacketType(type)
            .setUserId(about.userId())
            .setSessionId(about.sessionId())
            .setData(data)
            .build()
            .toByteArray();
    return new Packet(
        about.meetingId(),
        about.userId(),
        about.sessionId(),
        0,
        Priority.CONTROL,
        Stream.NONE,
        bytes);
  }
}
