package dev.videocall.server.meetings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Relay;
import dev.videocall.server.identity.Tokens;
import dev.videocall.server.meetings.MeetingStore.Meeting;
import dev.videocall.server.meetings.MeetingStore.Participant;
import dev.videocall.types.DisplayNames;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The REST API under {@code /api/v1}: guest identities, meetings, joining and the waiting room, and
 * hosts' actions. JSON in and out (Jackson); answers are {@code {"success":true,"result":...}} or
 * {@code {"success":false,"error":{"code","message"}}} with the HTTP status. Callers identify with
 * {@code Authorization: Bearer <identity token>}. With {@code --auth none} only {@code /guests}
 * answers (with a bare user id, as before identity existed).
 */
public final class MeetingApi {
  /** Longest a waiting guest's status request is held open. */
  static final int MAX_WAIT_SECONDS = 25;

  /** Held status requests of one person for one meeting (tabs); more are answered at once. */
  static final int MAX_WAITS_PER_PERSON = 4;

  /** Held status requests in all. */
  static final int MAX_WAITS = 20_000;

  /** Answers held status requests once decided (database reads), off the deciding thread. */
  private final java.util.concurrent.ExecutorService answering =
      java.util.concurrent.Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "api-status");
            t.setDaemon(true);
            return t;
          });

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Meetings meetings;
  private final Counters counters;
  private final RateLimit rateLimit;
  private final Map<String, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

  /**
   * @param meetings null with {@code --auth none}
   */
  public MeetingApi(Meetings meetings, Relay relay, Counters counters, int requestsPerSecond) {
    this.meetings = meetings;
    this.counters = counters;
    this.rateLimit = new RateLimit(requestsPerSecond);
    relay.onNotice(this::wake);
  }

  public void register(JavalinDefaultRoutingApi app) {
    app.before("/api/v1/*", this::limit);
    app.exception(
        Meetings.Problem.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
    app.post("/api/v1/guests", this::guest);
    if (meetings == null) {
      app.before(
          "/api/v1/meetings*",
          ctx -> {
            throw new Meetings.Problem(
                404, "IDENTITY_OFF", "this server runs without identity (--auth none)");
          });
      return;
    }
    app.post("/api/v1/meetings", this::create);
    app.get("/api/v1/meetings", ctx -> ok(ctx, meetingList(meetings.mine(who(ctx)))));
    app.get("/api/v1/meetings/{id}", this::view);
    app.post("/api/v1/meetings/{id}/join", this::join);
    app.get("/api/v1/meetings/{id}/status", this::status);
    app.post("/api/v1/meetings/{id}/cancel", this::cancel);
    app.get("/api/v1/meetings/{id}/waiting", this::waiting);
    app.post("/api/v1/meetings/{id}/admit", ctx -> act(ctx, (w, m, s) -> meetings.admit(w, m, s)));
    app.post(
        "/api/v1/meetings/{id}/reject", ctx -> act(ctx, (w, m, s) -> meetings.reject(w, m, s)));
    app.post(
        "/api/v1/meetings/{id}/admit-all",
        ctx -> ok(ctx, Map.of("admitted", meetings.admitAll(who(ctx), id(ctx)))));
    app.post(
        "/api/v1/meetings/{id}/participants/{subject}/mute",
        ctx -> target(ctx, (w, m, s) -> meetings.mute(w, m, s)));
    app.post(
        "/api/v1/meetings/{id}/participants/{subject}/stop-video",
        ctx -> target(ctx, (w, m, s) -> meetings.stopVideo(w, m, s)));
    app.post(
        "/api/v1/meetings/{id}/participants/{subject}/remove",
        ctx -> target(ctx, (w, m, s) -> meetings.remove(w, m, s)));
    app.post(
        "/api/v1/meetings/{id}/participants/{subject}/make-host",
        ctx -> target(ctx, (w, m, s) -> meetings.makeHost(w, m, s)));
    app.post(
        "/api/v1/meetings/{id}/step-down",
        ctx -> {
          meetings.stepDown(who(ctx), id(ctx));
          ok(ctx, Map.of());
        });
    app.post("/api/v1/meetings/{id}/lock", this::lock);
    app.post("/api/v1/meetings/{id}/settings", this::settings);
    app.post(
        "/api/v1/meetings/{id}/end",
        ctx -> {
          meetings.end(who(ctx), id(ctx));
          ok(ctx, Map.of());
        });
  }

  // ---- handlers ----

  /**
   * A guest identity: a subject the server makes up (nobody chooses another person's id, and two
   * people with one name are two participants), and with identity on a signed token for it. A
   * caller that sends its current identity keeps its subject (a new name).
   */
  private void guest(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    if (meetings == null) {
      ok(ctx, Map.of("auth", "none", "userId", Tokens.newGuestSubject()));
      return;
    }
    JsonNode body = body(ctx);
    String name = text(body, "name");
    if (name == null || !DisplayNames.isValid(name)) {
      counters.inc(Name.API_BAD_REQUEST);
      throw new Meetings.Problem(
          400, "BAD_NAME", name == null ? "a name is needed" : DisplayNames.problem(name));
    }
    String subject = Tokens.newGuestSubject();
    String header = ctx.header("Authorization");
    if (header != null) {
      try {
        subject = meetings.tokens().verifyIdentity(bearer(header)).subject(); // perhaps renamed
      } catch (Tokens.Invalid e) {
        // expired, or from before the key changed: a new identity, as for a first visit
      }
    }
    Tokens.Identity id = new Tokens.Identity(subject, name.strip());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("auth", "guest");
    out.put("userId", subject);
    out.put("subject", subject);
    out.put("name", id.name());
    out.put("token", meetings.tokens().identity(id));
    ok(ctx, out);
  }

  private void create(Context ctx) {
    Tokens.Identity who = who(ctx);
    JsonNode body = body(ctx);
    Meeting m =
        meetings.create(
            who,
            text(body, "id"),
            text(body, "title"),
            bool(body, "waitingRoom"),
            Boolean.TRUE.equals(bool(body, "e2ee")));
    ctx.status(201);
    ok(ctx, meeting(m));
  }

  private void view(Context ctx) {
    Meetings.View v = meetings.view(who(ctx), id(ctx));
    Map<String, Object> out = meeting(v.meeting());
    if (v.host() || "admitted".equals(v.state())) {
      out.put("hosts", v.hosts());
    } else {
      out.remove("createdBy"); // who is who is for those let in
    }
    Map<String, Object> you = new LinkedHashMap<>();
    you.put("host", v.host());
    you.put("state", v.state());
    out.put("you", you);
    if (v.host()) {
      out.put("waiting", v.waiting());
    }
    ok(ctx, out);
  }

  private void join(Context ctx) {
    Tokens.Identity who = who(ctx);
    JsonNode body = body(ctx);
    ok(ctx, join(meetings.join(who, id(ctx), text(body, "name"))));
  }

  /**
   * Where a join stands; with {@code ?wait=N} (at most {@value #MAX_WAIT_SECONDS} s) a waiting
   * guest's request is held until a host decides (on any instance) or the time is up: the guest is
   * in within moments of being admitted, without polling hard.
   */
  private void status(Context ctx) {
    Tokens.Identity who = who(ctx);
    String meetingId = id(ctx);
    int wait = 0;
    String w = ctx.queryParam("wait");
    if (w != null) {
      try {
        wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, Integer.parseInt(w)));
      } catch (NumberFormatException e) {
        throw new Meetings.Problem(400, "BAD_REQUEST", "wait must be a number of seconds");
      }
    }
    Meetings.Join now = meetings.status(who, meetingId);
    if (!"waiting".equals(now.status()) || wait == 0) {
      ok(ctx, join(now));
      return;
    }
    String key = meetingId + "/" + who.subject();
    List<CompletableFuture<Void>> same = waiters.get(key);
    if ((same != null && same.size() >= MAX_WAITS_PER_PERSON) || waiters.size() >= MAX_WAITS) {
      ok(ctx, join(now)); // not held: one person's tabs, or a flood, cannot pile up requests
      return;
    }
    CompletableFuture<Void> decided = new CompletableFuture<>();
    waiters.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(decided);
    Meetings.Join again = meetings.status(who, meetingId); // a decision just before we listened
    if (!"waiting".equals(again.status())) {
      forget(key, decided);
      ok(ctx, join(again));
      return;
    }
    int seconds = wait;
    ctx.future(
        () ->
            decided
                .completeOnTimeout(null, seconds, TimeUnit.SECONDS)
                // never on the thread that completed it: that may be the bus's, carrying media
                .handleAsync(
                    (v, error) -> {
                      forget(key, decided);
                      try {
                        ok(ctx, join(meetings.status(who, meetingId)));
                      } catch (Meetings.Problem e) {
                        error(ctx, e.status(), e.code(), e.getMessage());
                      } catch (RuntimeException e) {
                        error(ctx, 500, "INTERNAL", "the meeting database does not answer");
                      }
                      return null;
                    },
                    answering));
  }

  private void wake(Relay.NoticeEvent e) {
    if (e.type() == MeetingEventType.PARTICIPANT_ADMITTED
        || e.type() == MeetingEventType.PARTICIPANT_REJECTED) {
      complete(e.meetingId() + "/" + e.targetUserId());
    } else if (e.type() == MeetingEventType.MEETING_ENDED) {
      String prefix = e.meetingId() + "/";
      waiters.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(this::complete);
    }
  }

  private void complete(String key) {
    List<CompletableFuture<Void>> list = waiters.get(key);
    if (list != null) {
      list.forEach(f -> f.complete(null));
    }
  }

  private void forget(String key, CompletableFuture<Void> f) {
    waiters.computeIfPresent(
        key,
        (k, list) -> {
          list.remove(f);
          return list.isEmpty() ? null : list;
        });
  }

  private void cancel(Context ctx) {
    meetings.cancel(who(ctx), id(ctx));
    ok(ctx, Map.of());
  }

  private void waiting(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Participant p : meetings.waiting(who(ctx), id(ctx))) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("subject", p.subject());
      row.put("name", p.displayName());
      row.put("since", p.requestedAtMs());
      out.add(row);
    }
    ok(ctx, out);
  }

  private void lock(Context ctx) {
    Boolean locked = bool(body(ctx), "locked");
    meetings.lock(who(ctx), id(ctx), locked == null || locked);
    ok(ctx, Map.of());
  }

  private void settings(Context ctx) {
    JsonNode body = body(ctx);
    meetings.settings(who(ctx), id(ctx), bool(body, "waitingRoom"), text(body, "title"));
    ok(ctx, Map.of());
  }

  private interface Action {
    void run(Tokens.Identity who, String meetingId, String subject);
  }

  /** A host's decision about someone named in the body ({@code {"subject": ...}}). */
  private void act(Context ctx, Action a) {
    String subject = text(body(ctx), "subject");
    if (subject == null) {
      counters.inc(Name.API_BAD_REQUEST);
      throw new Meetings.Problem(400, "BAD_REQUEST", "say whom: {\"subject\": ...}");
    }
    a.run(who(ctx), id(ctx), subject);
    ok(ctx, Map.of());
  }

  /** A host's action on a participant named in the path. */
  private void target(Context ctx, Action a) {
    a.run(who(ctx), id(ctx), ctx.pathParam("subject"));
    ok(ctx, Map.of());
  }

  // ---- helpers ----

  private void limit(Context ctx) {
    if (!rateLimit.take(ctx.ip())) {
      counters.inc(Name.API_RATE_LIMITED);
      throw new Meetings.Problem(429, "RATE_LIMITED", "too many requests: slow down");
    }
  }

  private Tokens.Identity who(Context ctx) {
    try {
      return meetings.tokens().verifyIdentity(bearer(ctx.header("Authorization")));
    } catch (Tokens.Invalid e) {
      counters.inc(Name.API_UNAUTHENTICATED);
      throw new Meetings.Problem(401, e.code(), e.getMessage());
    }
  }

  private static String bearer(String header) {
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim()
        : null;
  }

  private static String id(Context ctx) {
    return ctx.pathParam("id");
  }

  private JsonNode body(Context ctx) {
    String raw = ctx.body();
    if (raw.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(raw);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("not an object");
      }
      return n;
    } catch (Exception e) {
      counters.inc(Name.API_BAD_REQUEST);
      throw new Meetings.Problem(400, "BAD_JSON", "the body must be a JSON object");
    }
  }

  private String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      counters.inc(Name.API_BAD_REQUEST);
      throw new Meetings.Problem(400, "BAD_REQUEST", field + " must be a string");
    }
    return v.asText();
  }

  private Boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      counters.inc(Name.API_BAD_REQUEST);
      throw new Meetings.Problem(400, "BAD_REQUEST", field + " must be true or false");
    }
    return v.asBoolean();
  }

  private static Map<String, Object> join(Meetings.Join j) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", j.status());
    if (j.token() != null) {
      out.put("token", j.token());
      out.put("host", j.host());
    }
    out.put("meeting", meeting(j.meeting()));
    return out;
  }

  private static List<Map<String, Object>> meetingList(List<Meeting> list) {
    List<Map<String, Object>> out = new ArrayList<>();
    list.forEach(m -> out.add(meeting(m)));
    return out;
  }

  private static Map<String, Object> meeting(Meeting m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.id());
    out.put("title", m.title());
    out.put("createdBy", m.createdBy());
    out.put("createdAt", m.createdAtMs());
    out.put("waitingRoom", m.waitingRoom());
    out.put("e2ee", m.e2ee());
    out.put("locked", m.locked());
    out.put("ended", m.ended());
    return out;
  }

  private static void ok(Context ctx, Object result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put("result", result);
    ctx.json(out);
  }

  private static void error(Context ctx, int status, String code, String message) {
    Map<String, Object> err = new LinkedHashMap<>();
    err.put("code", code);
    err.put("message", message);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", false);
    out.put("error", err);
    ctx.status(status).json(out);
  }

  /**
   * A token bucket per client address (IPv6 by /64: one host has a whole /64 to rotate through):
   * {@code perSecond}, bursts of twice that.
   */
  static final class RateLimit {
    private static final int MAX_ADDRESSES = 100_000;
    private final double perSecond;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    RateLimit(double perSecond) {
      this.perSecond = perSecond;
    }

    boolean take(String address) {
      double now = System.nanoTime() / 1e6; // milliseconds
      String key = prefix(address);
      double[] b = buckets.get(key);
      if (b == null) {
        if (buckets.size() >= MAX_ADDRESSES) {
          // forget those whose bucket has refilled (idle for 2 s); never everyone, which would
          // let a flood of addresses reset the limit of the one that matters
          buckets.values().removeIf(x -> now - x[1] > 2000);
          if (buckets.size() >= MAX_ADDRESSES) {
            return false;
          }
        }
        b = buckets.computeIfAbsent(key, a -> new double[] {2 * perSecond, now});
      }
      synchronized (b) {
        double elapsed = (now - b[1]) / 1e3;
        b[0] = Math.min(2 * perSecond, b[0] + elapsed * perSecond);
        b[1] = now;
        if (b[0] < 1) {
          return false;
        }
        b[0] -= 1;
        return true;
      }
    }

    /** An IPv6 address's first four groups (its /64); other addresses as they are. */
    static String prefix(String address) {
      if (address == null || address.indexOf(':') < 0) {
        return String.valueOf(address);
      }
      try {
        byte[] a = java.net.InetAddress.getByName(address).getAddress();
        if (a.length != 16) {
          return address;
        }
        return java.util.HexFormat.of().formatHex(a, 0, 8) + "/64";
      } catch (java.net.UnknownHostException e) {
        return address;
      }
    }
  }
}
