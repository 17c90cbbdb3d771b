package dev.videocall.server.core;

import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.MeetingPacket;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.server.bus.Bus;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Packet.Stream;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.ConnectionAttempt;
import dev.videocall.types.DisplayNames;
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

  /**
   * Limits and timings.
   *
   * @param maxPacketBytes larger packets close the sender's session
   * @param outboxBytes each receiver's outbound queue
   * @param heartbeatTimeout silence after which a session is closed
   * @param serverId this instance's id in logs and presence
   * @param maxControlBytes larger control packets are dropped (counted)
   * @param controlPacketsPerSecond a session's control packets beyond this rate (burst: twice it)
   *     are dropped (counted)
   * @param maxSessions sessions on this instance at most; more are refused
   * @param maxSessionsPerAddress sessions from one client address at most; more are refused
   * @param maxChatChars the longest chat message, in characters
   */
  public record Config(
      int maxPacketBytes,
      long outboxBytes,
      Duration heartbeatTimeout,
      String serverId,
      int maxControlBytes,
      int controlPacketsPerSecond,
      int maxSessions,
      int maxSessionsPerAddress,
      int maxChatChars) {
    /** The given sizes and timeout with the default limits. */
    public Config(
        int maxPacketBytes, long outboxBytes, Duration heartbeatTimeout, String serverId) {
      this(
          maxPacketBytes,
          outboxBytes,
          heartbeatTimeout,
          serverId,
          Ingress.Limits.DEFAULT.maxControlBytes(),
          50,
          10_000,
          100,
          Ingress.Limits.DEFAULT.maxChatChars());
    }
  }

  /** A join the relay refuses (limits): the adapter closes the connection with this code. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    Refused(int code, String reason) {
      super(reason);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  private final Config config;
  private final Bus bus;
  private final Counters counters;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Room> rooms = new HashMap<>();
  private final Map<String, Integer> sessionsByAddress = new HashMap<>();
  private int sessionCount;
  private final Ingress.Limits ingressLimits;
  private final ScheduledExecutorService timer;
  private final Presence presence;
  private final Executor writer;
  private final ExecutorService ownedWriter;
  private final Simulcast simulcast;

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
    this.ingressLimits = new Ingress.Limits(config.maxControlBytes(), config.maxChatChars());
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
    bus.onNotice(this::noticeFromBus);
    this.simulcast =
        new Simulcast(
            bus,
            counters,
            config.serverId(),
            (receiver, sender, layer) -> requestKeyframe(receiver, sender, Stream.CAMERA, layer));
    timer.scheduleAtFixedRate(
        this::tickSimulcast, Simulcast.PERIOD_MS, Simulcast.PERIOD_MS, TimeUnit.MILLISECONDS);
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

  /** {@link #join(String, String, String, SessionLink, String)} with no client address. */
  public Session join(String userId, String meetingId, String displayName, SessionLink link) {
    return join(userId, meetingId, displayName, link, null);
  }

  /**
   * Whether a session from {@code address} would be admitted now; a cheap check before a
   * transport's upgrade, so that a full server answers over HTTP. {@link #join} decides.
   */
  public synchronized String admissionProblem(String address) {
    if (sessionCount >= config.maxSessions()) {
      counters.inc(Name.REFUSED_SESSIONS_LIMIT);
      return "the server is full (" + config.maxSessions() + " sessions)";
    }
    if (address != null
        && sessionsByAddress.getOrDefault(address, 0) >= config.maxSessionsPerAddress()) {
      counters.inc(Name.REFUSED_SESSIONS_PER_IP);
      return "too many sessions from " + address + " (" + config.maxSessionsPerAddress() + ")";
    }
    return null;
  }

  /**
   * Adds a session to a meeting. The newcomer gets SESSION_ASSIGNED and MEETING_STARTED (with
   * everyone already present) before any other packet; the others get PARTICIPANT_JOINED. An
   * earlier session of the same user in the same meeting is closed (a reloaded tab replaces its
   * stale connection at once instead of after the heartbeat timeout).
   *
   * @param address the client's address, for the per-address limit; null: not limited
   * @throws IllegalArgumentException for an invalid id or display name
   * @throws Refused when a limit is reached (the session is not created)
   */
  public Session join(
      String userId, String meetingId, String displayName, SessionLink link, String address) {
    return join(userId, meetingId, displayName, link, address, Long.MAX_VALUE, false);
  }

  /**
   * As {@link #join(String, String, String, SessionLink, String)}, for a session whose admission
   * was decided at {@code admittedAtNanos}: refused when a host removed its user, or ended the
   * meeting, after that (its connection was in flight while the notice closed the others).
   *
   * @param e2ee whether the client encrypts end to end: the meeting's first session sets the room's
   *     choice and later sessions must match it (with identity, the stored meeting decided before;
   *     here the same holds in open mode on this instance)
   */
  public Session join(
      String userId,
      String meetingId,
      String displayName,
      SessionLink link,
      String address,
      long admittedAtNanos,
      boolean e2ee) {
    return join(userId, meetingId, displayName, link, address, admittedAtNanos, e2ee, null);
  }

  /**
   * As {@link #join(String, String, String, SessionLink, String, long, boolean)}, for the
   * connection {@code attempt} of a page (null: the client does not say). An older attempt of the
   * page of the user's present session is refused instead of replacing it ({@link
   * CloseCodes#STALE_ATTEMPT}): the page gave up on it and uses the present one.
   */
  public Session join(
      String userId,
      String meetingId,
      String displayName,
      SessionLink link,
      String address,
      long admittedAtNanos,
      boolean e2ee,
      ConnectionAttempt attempt) {
    Ids.require("user id", userId);
    Ids.require("meeting id", meetingId);
    String name =
        displayName == null || displayName.isBlank() ? userId : DisplayNames.require(displayName);
    Session replaced;
    Session session;
    synchronized (this) {
      int closedBy = closedSince(meetingId, userId, admittedAtNanos);
      if (closedBy != 0) {
        counters.inc(
            closedBy == CloseCodes.REMOVED ? Name.CLOSED_REMOVED : Name.CLOSED_MEETING_ENDED);
        throw new Refused(
            closedBy,
            closedBy == CloseCodes.REMOVED
                ? "removed by a host"
                : "the meeting was ended by a host");
      }
      Room room = rooms.get(meetingId);
      if (room != null && room.e2ee() != e2ee) {
        counters.inc(Name.REFUSED_E2EE_MISMATCH);
        throw new Refused(
            CloseCodes.E2EE_MISMATCH,
            room.e2ee()
                ? "this meeting is end-to-end encrypted and this client does not encrypt"
                : "this meeting is not end-to-end encrypted");
      }
      replaced = room == null ? null : room.findUser(userId);
      if (replaced != null && ConnectionAttempt.staleAgainst(attempt, replaced.knownAttempts())) {
        counters.inc(Name.REFUSED_STALE_ATTEMPT);
        log.info("refused attempt {} of {}: its page has a newer one", attempt, userId);
        throw new Refused(
            CloseCodes.STALE_ATTEMPT, "attempt " + attempt + ": this page connected again since");
      }
      if (replaced == null) {
        String problem = admissionProblem(address);
        if (problem != null) {
          throw new Refused(CloseCodes.TRY_AGAIN_LATER, problem);
        }
      }
      if (room == null) {
        Room created = new Room(meetingId, userId, e2ee, counters);
        created.subscription(bus.subscribe(meetingId, created::deliver));
        rooms.put(meetingId, created);
        room = created;
      }
      session =
          new Session(
              newSessionId(), userId, meetingId, name, link, address, attempt, this::newOutbox);
      if (replaced != null) {
        session.replaces(replaced);
      }
      // written only once the session is in the room: a client that has its SESSION_ASSIGNED
      // must get everything sent to the meeting from then on
      session.outbox().hold();
      session
          .outbox()
          .offer(
              MeetingEvents.serverPacket(
                  member(session),
                  PacketType.SESSION_ASSIGNED,
                  MeetingEvents.assigned(
                      session,
                      (int) config.heartbeatTimeout().toMillis(),
                      maxPacketBytes(),
                      config.serverId())));
      session
          .outbox()
          .offer(
              MeetingEvents.serverPacket(
                  member(session),
                  PacketType.MEETING,
                  MeetingEvents.started(room, present(room, replaced))));
      if (session.hasLeft()) {
        // its first packets overflowed its queue and it was closed: it must not enter the room,
        // where nothing would ever take it out again (it has left already)
        dropIfEmpty(room);
        return session;
      }
      room.add(session);
      sessionCount++;
      if (address != null) {
        sessionsByAddress.merge(address, 1, Integer::sum);
      }
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
    if (admittedAtNanos != Long.MAX_VALUE) {
      counters.joined(admittedAtNanos);
    }
    return session;
  }

  /** Handles one packet from a session's transport. */
  public void receive(Session from, byte[] data, int offset, int length) {
    if (from.hasLeft()) {
      return;
    }
    long arrived = System.nanoTime();
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
    Ingress.Decision d = Ingress.classify(from, data, offset, length, ingressLimits);
    if (d instanceof Ingress.Relay r) {
      if (r.packet().priority() == Priority.CONTROL
          && !from.takeControlToken(config.controlPacketsPerSecond())) {
        counters.inc(Name.DROPPED_RATE_LIMITED);
        return;
      }
      bus.publish(r.packet());
      counters.relayed(arrived);
    } else if (d instanceof Ingress.Echo e) {
      if (!from.takeControlToken(config.controlPacketsPerSecond())) {
        counters.inc(Name.DROPPED_RATE_LIMITED);
        return;
      }
      counters.inc(Name.RTT_ECHOES);
      from.outbox().offer(e.packet());
    } else if (d instanceof Ingress.Report r) {
      if (!from.takeControlToken(config.controlPacketsPerSecond())) {
        counters.inc(Name.DROPPED_RATE_LIMITED);
        return;
      }
      counters.inc(Name.RECEIVER_REPORTS);
      from.downlink().report(r.bytesReceived(), arrived);
      from.tileHeights(r.tileHeights());
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
      if (room == null || !room.remove(s)) {
        return; // never entered (refused while joining): nobody was told it joined
      }
      sessionCount--;
      if (s.address() != null) {
        sessionsByAddress.computeIfPresent(s.address(), (a, n) -> n == 1 ? null : n - 1);
      }
      remaining = room.sessions().length;
      for (Session other : room.sessions()) {
        senderLeft(other, s.id());
      }
      room.forgetSender(s.id());
      dropIfEmpty(room);
    }
    log.info("left {}: {} ({} remain)", s, reason, remaining);
    Member member = member(s);
    presence.localLeft(member, reason);
    deliverLocally(member, MeetingEventType.PARTICIPANT_LEFT, reason);
    for (java.util.function.Consumer<Member> l : leaveListeners) {
      try {
        l.accept(member);
      } catch (RuntimeException e) {
        log.warn("leave listener failed", e);
      }
    }
  }

  private final java.util.List<java.util.function.Consumer<Member>> leaveListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Called after a session of this instance left its meeting (not for other instances'). */
  public void onLocalLeave(java.util.function.Consumer<Member> listener) {
    leaveListeners.add(listener);
  }

  /** Everyone in a meeting now, on every instance. */
  public java.util.List<Member> members(String meetingId) {
    Room room;
    synchronized (this) {
      room = rooms.get(meetingId);
    }
    java.util.List<Member> out = new java.util.ArrayList<>();
    if (room != null) {
      for (Session s : room.sessions()) {
        out.add(member(s));
      }
    }
    out.addAll(presence.remoteMembers(meetingId));
    return out;
  }

  /** Caller holds the lock. */
  private void dropIfEmpty(Room room) {
    if (room.isEmpty() && rooms.get(room.meetingId()) == room) {
      rooms.remove(room.meetingId());
      room.subscription().unsubscribe();
    }
  }

  /** Sessions connected to this instance. */
  public synchronized int sessionCount() {
    return sessionCount;
  }

  /** Sessions on this instance by transport ("websocket", "webtransport"). */
  public synchronized java.util.Map<String, Integer> sessionsByTransport() {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    for (Room room : rooms.values()) {
      for (Session s : room.sessions()) {
        out.merge(s.link().transport(), 1, Integer::sum);
      }
    }
    return out;
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
          MeetingEvents.serverPacket(
              about,
              PacketType.MEETING,
              MeetingEvents.membership(type, about, reason, participantCount(about.meetingId()))
                  .toByteString()));
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
      if (room != null) {
        room.forgetSender(about.sessionId());
      }
    }
  }

  private static void senderLeft(Session receiver, long senderSessionId) {
    receiver.outbox().forget(senderSessionId);
    receiver.forgetSender(senderSessionId);
    receiver.link().senderLeft(senderSessionId);
  }

  private void tickSimulcast() {
    try {
      Room[] snapshot;
      synchronized (this) {
        snapshot = rooms.values().toArray(new Room[0]);
      }
      simulcast.tick(snapshot, System.nanoTime());
    } catch (RuntimeException e) {
      log.warn("simulcast tick failed", e);
    }
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
            LayerSelector selector =
                stream == Stream.CAMERA ? s.selectorOrNull(senderSessionId) : null;
            int layer = selector == null ? -1 : selector.current();
            requestKeyframe(s, senderSessionId, stream, layer);
          }

          @Override
          public void written(int bytes, boolean camera, boolean reliable) {
            s.downlink().written(bytes, camera, reliable, System.nanoTime());
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

  /**
   * Asks a sender, on behalf of a receiver whose copy of its stream broke, for a keyframe; of
   * spatial layer {@code layer} (-1: every layer).
   */
  private void requestKeyframe(Session receiver, long senderSessionId, Stream stream, int layer) {
    if (receiver.hasLeft()) {
      return;
    }
    PacketWrapper request =
        Packets.keyframeRequest(
                senderSessionId,
                stream == Stream.SCREEN ? MediaType.SCREEN : MediaType.VIDEO,
                layer)
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
            stream,
            request.toByteArray(),
            Packet.Layer.requested(layer + 1)));
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

  /** Everyone present in the meeting except {@code replaced}: here, then on other instances. */
  private java.util.List<Member> present(Room room, Session replaced) {
    java.util.List<Member> out = new java.util.ArrayList<>();
    for (Session s : room.sessions()) {
      if (s != replaced) {
        out.add(member(s));
      }
    }
    out.addAll(presence.remoteMembers(room.meetingId()));
    return out;
  }

  // ---- notices: hosts' decisions carried out on every instance ----

  /** What a notice did, for whoever waits on such decisions (e.g. a guest's status request). */
  public record NoticeEvent(String meetingId, String targetUserId, MeetingEventType type) {}

  private final java.util.List<java.util.function.Consumer<NoticeEvent>> noticeListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** How long a sealed notice is accepted after it was sent (clocks of instances may differ). */
  static final long NOTICE_MAX_AGE_MS = 30_000;

  private volatile NoticeSeal noticeSeal;

  /**
   * Notices to and from other instances are sealed with this (identity on, with NATS); without a
   * seal none are sent, and every notice from the bus is refused.
   */
  public void sealNotices(NoticeSeal seal) {
    this.noticeSeal = seal;
  }

  /** Called for every notice, this instance's and the others'. */
  public void onNotice(java.util.function.Consumer<NoticeEvent> listener) {
    noticeListeners.add(listener);
  }

  /**
   * Carries out a host's decision on every instance: {@code event} goes to the sessions of {@code
   * targetUserId} in the meeting (everyone when it is empty), and with a {@code closeCode} those
   * sessions are then closed. The caller checked that the decision was a host's.
   */
  public void notice(
      String meetingId, String targetUserId, MeetingPacket event, int closeCode, String reason) {
    dev.videocall.proto.ServerNotice n =
        dev.videocall.proto.ServerNotice.newBuilder()
            .setMeetingId(meetingId)
            .setTargetUserId(targetUserId)
            .setMeetingPacket(
                event == null ? com.google.protobuf.ByteString.EMPTY : event.toByteString())
            .setCloseCode(closeCode)
            .setCloseReason(reason)
            .setOriginServerId(config.serverId())
            .setSentAtMs(System.currentTimeMillis())
            .build();
    apply(n, event);
    NoticeSeal seal = noticeSeal;
    if (seal != null) {
      bus.publishNotice(seal.seal(n.toByteArray()));
    }
  }

  private void noticeFromBus(byte[] sealed) {
    NoticeSeal seal = noticeSeal;
    byte[] bytes = seal == null ? null : seal.open(sealed);
    if (bytes == null) {
      counters.inc(Name.NOTICES_REJECTED); // not from an instance that shares our key
      return;
    }
    try {
      dev.videocall.proto.ServerNotice n = dev.videocall.proto.ServerNotice.parseFrom(bytes);
      if (config.serverId().equals(n.getOriginServerId())) {
        return; // our own, applied when it was made
      }
      if (Math.abs(System.currentTimeMillis() - n.getSentAtMs()) > NOTICE_MAX_AGE_MS) {
        counters.inc(Name.NOTICES_REJECTED); // a replay of an old one
        return;
      }
      MeetingPacket event =
          n.getMeetingPacket().isEmpty() ? null : MeetingPacket.parseFrom(n.getMeetingPacket());
      boolean valid =
          Ids.isValid(n.getMeetingId())
              && (n.getTargetUserId().isEmpty() || Ids.isValid(n.getTargetUserId()))
              && (event == null || MeetingEvents.NOTICE_EVENTS.contains(event.getEventType()))
              && (n.getCloseCode() == 0
                  || n.getCloseCode() == CloseCodes.REMOVED
                  || n.getCloseCode() == CloseCodes.MEETING_ENDED)
              && n.getCloseReason().length() <= 200;
      if (!valid) {
        counters.inc(Name.NOTICES_REJECTED);
        return;
      }
      apply(n, event);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      counters.inc(Name.NOTICES_REJECTED);
    }
  }

  /**
   * When hosts' removals and endings were carried out here, by meeting and user ("" for the whole
   * meeting): kept for {@link #CLOSED_MEMORY_NANOS}, longer than any admission takes to connect.
   */
  private final Map<String, long[]> closedAt = new HashMap<>();

  private static final long CLOSED_MEMORY_NANOS = TimeUnit.MINUTES.toNanos(5);

  /** Caller holds the lock. The close code of a later removal or ending, or 0. */
  private int closedSince(String meetingId, String userId, long admittedAtNanos) {
    for (String who : new String[] {userId, ""}) {
      long[] c = closedAt.get(meetingId + "\n" + who);
      if (c != null && c[0] - admittedAtNanos > 0) {
        return (int) c[1];
      }
    }
    return 0;
  }

  /** Caller holds the lock. */
  private void rememberClosed(String meetingId, String userId, int code) {
    long now = System.nanoTime();
    if (closedAt.size() > 1024) {
      closedAt.values().removeIf(c -> now - c[0] > CLOSED_MEMORY_NANOS);
    }
    closedAt.put(meetingId + "\n" + userId, new long[] {now, code});
  }

  private void apply(dev.videocall.proto.ServerNotice n, MeetingPacket event) {
    Room room;
    synchronized (this) {
      room = rooms.get(n.getMeetingId());
      if (n.getCloseCode() != 0) {
        rememberClosed(n.getMeetingId(), n.getTargetUserId(), n.getCloseCode());
      }
    }
    if (room != null) {
      Packet p =
          event == null
              ? null
              : MeetingEvents.fromServer(
                  n.getMeetingId(), PacketType.MEETING, event.toByteString());
      for (Session s : room.sessions()) {
        if (!n.getTargetUserId().isEmpty() && !n.getTargetUserId().equals(s.userId())) {
          continue;
        }
        if (p != null) {
          s.outbox().offer(p);
        }
        if (n.getCloseCode() != 0) {
          reject(
              s,
              n.getCloseCode() == CloseCodes.REMOVED
                  ? Name.CLOSED_REMOVED
                  : Name.CLOSED_MEETING_ENDED,
              n.getCloseCode(),
              n.getCloseReason());
        }
      }
    }
    if (event != null) {
      NoticeEvent e = new NoticeEvent(n.getMeetingId(), n.getTargetUserId(), event.getEventType());
      for (java.util.function.Consumer<NoticeEvent> l : noticeListeners) {
        try {
          l.accept(e);
        } catch (RuntimeException ex) {
          log.warn("notice listener failed", ex);
        }
      }
    }
  }
}
