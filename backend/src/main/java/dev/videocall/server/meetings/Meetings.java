package dev.videocall.server.meetings;

import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.MeetingEvents;
import dev.videocall.server.core.Member;
import dev.videocall.server.core.Relay;
import dev.videocall.server.identity.Admission;
import dev.videocall.server.identity.Tokens;
import dev.videocall.server.meetings.MeetingStore.Meeting;
import dev.videocall.server.meetings.MeetingStore.Participant;
import dev.videocall.server.meetings.MeetingStore.State;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.DisplayNames;
import dev.videocall.types.Ids;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of meetings with hosts: who creates, who gets in (hosts at once; others through the
 * waiting room unless it is off; nobody new while locked; nobody removed or rejected with an old
 * token), and what hosts may do (admit, reject, mute, stop video, remove, lock, end, hand over the
 * role). Every host action is checked here against the stored hosts, counted when refused, and
 * carried out on every instance by {@link Relay#notice}.
 */
public final class Meetings implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Meetings.class);

  /** A request refused: HTTP status, a code for programs and a sentence for people. */
  public static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public Problem(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }
  }

  /** Where a join stands: admitted (with a room token), or waiting, or rejected. */
  public record Join(String status, String token, boolean host, Meeting meeting) {
    static Join waiting(Meeting m) {
      return new Join("waiting", null, false, m);
    }

    static Join rejected(Meeting m) {
      return new Join("rejected", null, false, m);
    }
  }

  /** A meeting as one person sees it. */
  public record View(
      Meeting meeting, List<String> hosts, boolean host, String state, int waiting) {}

  private final MeetingStore store;
  private final Tokens tokens;
  private final Relay relay;
  private final Counters counters;
  private final Clock clock;
  private final int maxWaiting;

  /**
   * A waiting guest who has not asked for 60 s (a closed tab, a sleeping laptop) is no longer
   * listed for hosts nor counted against --max-waiting; asking again lists them again.
   */
  static final long WAITING_STALE_MS = 60_000;

  private final java.util.concurrent.ScheduledExecutorService background =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "meetings");
            t.setDaemon(true);
            return t;
          });

  public Meetings(
      MeetingStore store,
      Tokens tokens,
      Relay relay,
      Counters counters,
      Clock clock,
      int maxWaiting,
      Duration retention) {
    this.store = store;
    this.tokens = tokens;
    this.relay = relay;
    this.counters = counters;
    this.clock = clock;
    this.maxWaiting = maxWaiting;
    relay.onLocalLeave(m -> background.execute(() -> departed(m)));
    background.scheduleWithFixedDelay(() -> purge(retention), 1, 60, TimeUnit.MINUTES);
  }

  /**
   * Deletes meetings idle for longer than {@code retention} (the database does not grow forever).
   */
  int purge(Duration retention) {
    try {
      int n = store.purgeIdle(now() - retention.toMillis());
      if (n > 0) {
        counters.add(Name.MEETINGS_PURGED, n);
        log.info("deleted {} meetings idle for over {} days", n, retention.toDays());
      }
      return n;
    } catch (RuntimeException e) {
      log.warn("deleting idle meetings failed: {}", e.toString());
      return 0;
    }
  }

  public Tokens tokens() {
    return tokens;
  }

  // ---- creating and joining ----

  /**
   * A new meeting with {@code who} as its host; a random unguessable id unless one is asked for.
   */
  public Meeting create(
      Tokens.Identity who, String requestedId, String title, Boolean waitingRoom, boolean e2ee) {
    String id = requestedId == null || requestedId.isBlank() ? randomId() : requestedId;
    if (!Ids.isValid(id)) {
      throw new Problem(400, "BAD_MEETING_ID", "a meeting id must match " + Ids.VALID.pattern());
    }
    String t = title == null || title.isBlank() ? id : title.strip();
    if (!DisplayNames.isValid(t)) {
      throw new Problem(400, "BAD_TITLE", "title: " + DisplayNames.problem(t));
    }
    Meeting m =
        new Meeting(
            id, t, who.subject(), now(), waitingRoom == null || waitingRoom, false, null, e2ee);
    try {
      store.create(m, who.name());
    } catch (MeetingStore.Exists e) {
      throw new Problem(409, "MEETING_EXISTS", "a meeting with this id exists: join it instead");
    }
    log.info(
        "meeting {} created by {}{}", id, who.subject(), e2ee ? " (end-to-end encrypted)" : "");
    return m;
  }

  /**
   * Asks to join: hosts are admitted at once, others as the meeting's state says. A meeting that
   * does not exist is created with the joiner as its host (a link made up on the spot works).
   */
  public Join join(Tokens.Identity who, String meetingId, String displayName) {
    requireId(meetingId);
    String name = name(who, displayName);
    Optional<Meeting> found = store.find(meetingId);
    Meeting m;
    if (found.isEmpty()) {
      try {
        m = create(who, meetingId, meetingId, null, false);
      } catch (Problem e) {
        if (!"MEETING_EXISTS".equals(e.code())) {
          throw e;
        }
        m = store.find(meetingId).orElseThrow(); // created by someone else a moment ago
      }
    } else {
      m = found.get();
    }
    boolean host = store.isHost(meetingId, who.subject());
    if (m.ended()) {
      if (!host) {
        counters.inc(Name.JOIN_REFUSED);
        throw new Problem(410, "MEETING_ENDED", "this meeting has ended");
      }
      store.setEnded(meetingId, null); // a host starts it again
      m = store.find(meetingId).orElseThrow();
    }
    if (host) {
      if (!store.setState(meetingId, who.subject(), name, State.ADMITTED, now())) {
        return refusedAsStored(meetingId, who);
      }
      return admitted(who.subject(), name, m, true);
    }
    Optional<Participant> p = store.participant(meetingId, who.subject());
    State state = p.map(Participant::state).orElse(null);
    if (state == State.REMOVED) {
      counters.inc(Name.JOIN_REFUSED);
      throw new Problem(403, "REMOVED", "a host removed you from this meeting");
    }
    if (state == State.REJECTED) {
      counters.inc(Name.JOIN_REFUSED);
      throw new Problem(403, "REJECTED", "a host did not let you in");
    }
    if (state == State.ADMITTED) {
      if (!store.setState(meetingId, who.subject(), name, State.ADMITTED, now())) {
        return refusedAsStored(meetingId, who); // a host's decision came in between
      }
      return admitted(who.subject(), name, m, false);
    }
    if (m.locked()) {
      counters.inc(Name.JOIN_REFUSED);
      throw new Problem(403, "MEETING_LOCKED", "the meeting is locked: nobody new can join");
    }
    if (!m.waitingRoom()) {
      if (!store.setState(meetingId, who.subject(), name, State.ADMITTED, now())) {
        return refusedAsStored(meetingId, who);
      }
      return admitted(who.subject(), name, m, false);
    }
    if (state != State.WAITING
        && store.waitingCount(meetingId, now() - WAITING_STALE_MS) >= maxWaiting) {
      counters.inc(Name.JOIN_REFUSED);
      throw new Problem(
          503, "WAITING_ROOM_FULL", "the waiting room is full (" + maxWaiting + "): try later");
    }
    if (!store.setState(meetingId, who.subject(), name, State.WAITING, now())) {
      return refusedAsStored(meetingId, who);
    }
    if (state != State.WAITING) {
      counters.inc(Name.JOIN_WAITING);
      log.info("{} waits to join {}", who.subject(), meetingId);
      tellHosts(meetingId);
    }
    return Join.waiting(m);
  }

  /** A host removed or rejected this person while their join was being decided. */
  private Join refusedAsStored(String meetingId, Tokens.Identity who) {
    counters.inc(Name.JOIN_REFUSED);
    State now = store.participant(meetingId, who.subject()).map(Participant::state).orElse(null);
    if (now == State.REMOVED) {
      throw new Problem(403, "REMOVED", "a host removed you from this meeting");
    }
    throw new Problem(403, "REJECTED", "a host did not let you in");
  }

  /** Where a join stands now, without asking again (a waiting guest polls this). */
  public Join status(Tokens.Identity who, String meetingId) {
    requireId(meetingId);
    Meeting m = meeting(meetingId);
    boolean host = store.isHost(meetingId, who.subject());
    if (m.ended() && !host) {
      throw new Problem(410, "MEETING_ENDED", "this meeting has ended");
    }
    if (host) {
      return admitted(who.subject(), who.name(), m, true);
    }
    Participant p =
        store
            .participant(meetingId, who.subject())
            .orElseThrow(
                () -> new Problem(404, "NOT_REQUESTED", "you have not asked to join this meeting"));
    return switch (p.state()) {
      case ADMITTED -> admitted(who.subject(), p.displayName(), m, false);
      case WAITING -> {
        if (store.seen(meetingId, who.subject(), now(), now() - WAITING_STALE_MS)) {
          tellHosts(meetingId); // back from a long pause: listed again
        }
        yield Join.waiting(m);
      }
      case REJECTED -> Join.rejected(m);
      case REMOVED -> throw new Problem(403, "REMOVED", "a host removed you from this meeting");
    };
  }

  /** A waiting guest gives up. */
  public void cancel(Tokens.Identity who, String meetingId) {
    requireId(meetingId);
    if (store.decide(
        meetingId, who.subject(), State.WAITING, State.REJECTED, who.subject(), now())) {
      tellHosts(meetingId);
    }
  }

  private Join admitted(String subject, String name, Meeting m, boolean host) {
    counters.inc(Name.JOIN_ADMITTED);
    return new Join("admitted", tokens.room(new Tokens.Room(subject, name, m.id(), host)), host, m);
  }

  /**
   * The waiting room changed. Every session of the meeting hears it, so it names nobody: hosts
   * fetch the list ({@code GET .../waiting}, hosts only), others ignore it.
   */
  private void tellHosts(String meetingId) {
    tell(meetingId, "", MeetingEventType.WAITING_ROOM_UPDATED, "");
  }

  /**
   * An event for {@code target}'s sessions ("" for everyone), made by the host named {@code by}.
   */
  private void tell(String meetingId, String target, MeetingEventType type, String by) {
    relay.notice(meetingId, target, MeetingEvents.notice(type, meetingId, target, by, ""), 0, "");
  }

  // ---- what people see ----

  public View view(Tokens.Identity who, String meetingId) {
    requireId(meetingId);
    Meeting m = meeting(meetingId);
    List<String> hosts = store.hosts(meetingId);
    boolean host = hosts.contains(who.subject());
    String state =
        host
            ? "host"
            : store
                .participant(meetingId, who.subject())
                .map(p -> p.state().name().toLowerCase(java.util.Locale.ROOT))
                .orElse("none");
    return new View(
        m, hosts, host, state, host ? store.waitingCount(meetingId, now() - WAITING_STALE_MS) : 0);
  }

  public List<Meeting> mine(Tokens.Identity who) {
    return store.hostedBy(who.subject());
  }

  public List<Participant> waiting(Tokens.Identity who, String meetingId) {
    requireHost(who, meetingId);
    return store.waiting(meetingId, now() - WAITING_STALE_MS);
  }

  // ---- hosts' actions ----

  public void admit(Tokens.Identity who, String meetingId, String subject) {
    requireHost(who, meetingId);
    requireId(subject);
    if (!store.decide(meetingId, subject, State.WAITING, State.ADMITTED, who.subject(), now())) {
      throw new Problem(404, "NOT_WAITING", "that person is not waiting");
    }
    log.info("{} admitted {} to {}", who.subject(), subject, meetingId);
    decided(meetingId, subject, who, MeetingEventType.PARTICIPANT_ADMITTED);
  }

  public void reject(Tokens.Identity who, String meetingId, String subject) {
    requireHost(who, meetingId);
    requireId(subject);
    if (!store.decide(meetingId, subject, State.WAITING, State.REJECTED, who.subject(), now())) {
      throw new Problem(404, "NOT_WAITING", "that person is not waiting");
    }
    log.info("{} rejected {} from {}", who.subject(), subject, meetingId);
    decided(meetingId, subject, who, MeetingEventType.PARTICIPANT_REJECTED);
  }

  public int admitAll(Tokens.Identity who, String meetingId) {
    requireHost(who, meetingId);
    return admitEveryoneWaiting(who, meetingId);
  }

  private int admitEveryoneWaiting(Tokens.Identity who, String meetingId) {
    List<Participant> waiting = store.waiting(meetingId, now() - WAITING_STALE_MS);
    int n = 0;
    for (Participant p : waiting) {
      if (store.decide(
          meetingId, p.subject(), State.WAITING, State.ADMITTED, who.subject(), now())) {
        n++;
        tell(meetingId, p.subject(), MeetingEventType.PARTICIPANT_ADMITTED, who.name());
      }
    }
    if (n > 0) {
      tellHosts(meetingId);
    }
    return n;
  }

  private void decided(
      String meetingId, String subject, Tokens.Identity by, MeetingEventType type) {
    tell(meetingId, subject, type, by.name());
    tellHosts(meetingId);
  }

  public void mute(Tokens.Identity who, String meetingId, String subject) {
    requireHost(who, meetingId);
    requireId(subject);
    tell(meetingId, subject, MeetingEventType.MUTE_REQUESTED, who.name());
  }

  public void stopVideo(Tokens.Identity who, String meetingId, String subject) {
    requireHost(who, meetingId);
    requireId(subject);
    tell(meetingId, subject, MeetingEventType.VIDEO_STOP_REQUESTED, who.name());
  }

  /** Out, and not back with the token they had: their sessions close (4003) everywhere. */
  public void remove(Tokens.Identity who, String meetingId, String subject) {
    requireHost(who, meetingId);
    requireId(subject);
    if (subject.equals(who.subject())) {
      throw new Problem(400, "NOT_YOURSELF", "leave the meeting instead of removing yourself");
    }
    String name =
        store.participant(meetingId, subject).map(Participant::displayName).orElse(subject);
    // the host row first: a join of theirs that saw them as host then finds the removal final
    boolean wasHost = store.removeHost(meetingId, subject);
    store.setState(meetingId, subject, name, State.REMOVED, now());
    log.info("{} removed {} from {}", who.subject(), subject, meetingId);
    relay.notice(
        meetingId,
        subject,
        MeetingEvents.notice(
            MeetingEventType.PARTICIPANT_REMOVED, meetingId, subject, who.name(), ""),
        CloseCodes.REMOVED,
        "removed by a host"); // the event names the host; a close reason is limited to 123 bytes
    if (wasHost) {
      hostsChanged(meetingId, "");
    }
  }

  public void makeHost(Tokens.Identity who, String meetingId, String subject) {
    requireHost(who, meetingId);
    requireId(subject);
    State state = store.participant(meetingId, subject).map(Participant::state).orElse(null);
    if (state != State.ADMITTED) {
      throw new Problem(404, "NOT_A_PARTICIPANT", "only someone in the meeting can be made host");
    }
    if (store.addHost(meetingId, subject, now())) {
      hostsChanged(meetingId, subject);
    }
  }

  /**
   * Hands the role over: another host must be in the meeting now (a host who left long ago would
   * leave the people present with nobody to let anyone in).
   */
  public void stepDown(Tokens.Identity who, String meetingId) {
    requireHost(who, meetingId);
    Set<String> present = new LinkedHashSet<>();
    relay.members(meetingId).forEach(m -> present.add(m.userId()));
    boolean another =
        store.hosts(meetingId).stream()
            .anyMatch(h -> !h.equals(who.subject()) && present.contains(h));
    if (!another) {
      throw new Problem(409, "LAST_HOST", "make someone in the meeting host first");
    }
    store.removeHost(meetingId, who.subject());
    hostsChanged(meetingId, "");
  }

  public void lock(Tokens.Identity who, String meetingId, boolean locked) {
    requireHost(who, meetingId);
    store.setLocked(meetingId, locked);
    updated(meetingId, who);
  }

  public void settings(Tokens.Identity who, String meetingId, Boolean waitingRoom, String title) {
    requireHost(who, meetingId);
    if (title != null) {
      if (!DisplayNames.isValid(title)) {
        throw new Problem(400, "BAD_TITLE", "title: " + DisplayNames.problem(title));
      }
      store.setTitle(meetingId, title.strip());
    }
    if (waitingRoom != null) {
      store.setWaitingRoom(meetingId, waitingRoom);
      if (!waitingRoom) {
        admitEveryoneWaiting(who, meetingId); // as in the original: off lets everyone in
      }
    }
    updated(meetingId, who);
  }

  /** Ends the meeting for everyone: every session closes (4004), tokens stop admitting. */
  public void end(Tokens.Identity who, String meetingId) {
    requireHost(who, meetingId);
    store.setEnded(meetingId, now());
    log.info("{} ended {}", who.subject(), meetingId);
    relay.notice(
        meetingId,
        "",
        MeetingEvents.notice(MeetingEventType.MEETING_ENDED, meetingId, "", who.name(), ""),
        CloseCodes.MEETING_ENDED,
        "the meeting was ended by a host");
  }

  private void updated(String meetingId, Tokens.Identity by) {
    tell(meetingId, "", MeetingEventType.MEETING_UPDATED, by.name());
  }

  private void hostsChanged(String meetingId, String newHost) {
    relay.notice(
        meetingId,
        "",
        MeetingEvents.notice(MeetingEventType.HOSTS_CHANGED, meetingId, newHost, "", ""),
        0,
        "");
  }

  /**
   * A session of this instance left: when no host remains in the meeting, the participant present
   * longest becomes one. (Each instance does this for its own sessions; a host whose instance
   * crashed is not replaced until someone leaves or a host returns.)
   */
  void departed(Member left) {
    try {
      String meetingId = left.meetingId();
      Optional<Meeting> m = store.find(meetingId);
      if (m.isEmpty() || m.get().ended()) {
        return;
      }
      List<String> hosts = store.hosts(meetingId);
      if (!hosts.contains(left.userId())) {
        return;
      }
      Set<String> present = new LinkedHashSet<>();
      for (Member member : relay.members(meetingId)) {
        present.add(member.userId());
      }
      for (String h : hosts) {
        if (present.contains(h)) {
          return; // a host is still there (perhaps the same person, reconnected)
        }
      }
      Participant longest = null;
      for (String subject : present) {
        Optional<Participant> p = store.participant(meetingId, subject);
        if (p.isPresent()
            && p.get().state() == State.ADMITTED
            && (longest == null || joinedAt(p.get()) < joinedAt(longest))) {
          longest = p.get();
        }
      }
      if (longest != null && store.addHost(meetingId, longest.subject(), now())) {
        counters.inc(Name.HOSTS_PROMOTED);
        log.info("{}: the last host left; {} is host now", meetingId, longest.subject());
        hostsChanged(meetingId, longest.subject());
      }
    } catch (RuntimeException e) {
      log.warn("choosing a new host failed: {}", e.toString());
    }
  }

  private static long joinedAt(Participant p) {
    return p.lastJoinedAtMs() == null ? Long.MAX_VALUE : p.lastJoinedAtMs();
  }

  // ---- media admission ----

  /**
   * Room tokens at connect: the token's signature, expiry and meeting, then the stored state (a
   * removed participant's token admits no more, an ended meeting admits nobody).
   */
  public Admission admission() {
    return new Admission() {
      @Override
      public boolean blocking() {
        return true;
      }

      @Override
      public Decision decide(Request r) {
        // before any read: a host's decision after this instant refuses the session at join
        long decidedAt = System.nanoTime();
        Tokens.Room room;
        try {
          room = tokens.verifyRoom(r.token());
        } catch (Tokens.Invalid e) {
          counters.inc(
              "TOKEN_MISSING".equals(e.code())
                  ? Name.REFUSED_TOKEN_MISSING
                  : e.status() == 401 ? Name.REFUSED_TOKEN_EXPIRED : Name.REFUSED_TOKEN_INVALID);
          return new Refused(
              e.status(),
              e.code(),
              "TOKEN_MISSING".equals(e.code())
                  ? "this server has identity on: ask POST /api/v1/meetings/{id}/join for a room"
                      + " token, then connect to /lobby?token=..."
                  : e.getMessage());
        }
        // /lobby/{user}/{meeting}?token=: the path must say what the token says
        if (r.pathMeeting() != null
            && !(r.pathMeeting().equals(room.meetingId()) && r.pathUser().equals(room.subject()))) {
          counters.inc(Name.REFUSED_TOKEN_INVALID);
          return new Refused(
              403, "TOKEN_WRONG_MEETING", "the token is for another meeting or another person");
        }
        try {
          Optional<Meeting> m = store.find(room.meetingId());
          if (m.isEmpty()) {
            counters.inc(Name.REFUSED_TOKEN_INVALID);
            return new Refused(403, "TOKEN_INVALID", "the token's meeting does not exist");
          }
          if (m.get().ended()) {
            counters.inc(Name.REFUSED_NOT_ADMITTED);
            return new Refused(410, "MEETING_ENDED", "this meeting has ended");
          }
          boolean host = store.isHost(room.meetingId(), room.subject());
          State state =
              store
                  .participant(room.meetingId(), room.subject())
                  .map(Participant::state)
                  .orElse(null);
          if (!host && state != State.ADMITTED) {
            counters.inc(Name.REFUSED_NOT_ADMITTED);
            return new Refused(
                403,
                state == State.REMOVED ? "REMOVED" : "NOT_ADMITTED",
                state == State.REMOVED
                    ? "a host removed you from this meeting"
                    : "you have not been let into this meeting");
          }
          Refused e2ee = Admission.e2eeProblem(m.get().e2ee(), r.e2ee());
          if (e2ee != null) {
            counters.inc(Name.REFUSED_E2EE_MISMATCH);
            return e2ee;
          }
          store.joined(room.meetingId(), room.subject(), now());
          return new Admitted(room.subject(), room.meetingId(), room.name(), decidedAt, r.e2ee());
        } catch (RuntimeException e) {
          log.warn("admission failed: {}", e.toString());
          return new Refused(503, "UNAVAILABLE", "the meeting database does not answer");
        }
      }
    };
  }

  // ---- helpers ----

  private Meeting meeting(String meetingId) {
    return store
        .find(meetingId)
        .orElseThrow(() -> new Problem(404, "MEETING_NOT_FOUND", "no meeting has this id"));
  }

  private void requireHost(Tokens.Identity who, String meetingId) {
    requireId(meetingId);
    meeting(meetingId);
    if (!store.isHost(meetingId, who.subject())) {
      counters.inc(Name.API_NOT_HOST);
      throw new Problem(403, "NOT_HOST", "only a host of the meeting may do this");
    }
  }

  private static void requireId(String id) {
    if (!Ids.isValid(id)) {
      throw new Problem(400, "BAD_ID", "ids must match " + Ids.VALID.pattern());
    }
  }

  private static String name(Tokens.Identity who, String displayName) {
    if (displayName == null || displayName.isBlank()) {
      return who.name();
    }
    if (!DisplayNames.isValid(displayName)) {
      throw new Problem(400, "BAD_NAME", DisplayNames.problem(displayName));
    }
    return displayName.strip();
  }

  private long now() {
    return clock.millis();
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Like the page's: 10 characters, about 50 bits, e.g. "k7m-2xq9-ab3". */
  static String randomId() {
    String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
      if (i == 2 || i == 6) {
        b.append('-');
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    background.shutdownNow();
  }
}
