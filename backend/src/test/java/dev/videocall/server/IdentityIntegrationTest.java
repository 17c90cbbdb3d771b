package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videocall.client.ConnectFailed;
import dev.videocall.client.GuestAccess;
import dev.videocall.client.GuestAccess.ApiError;
import dev.videocall.client.GuestAccess.Identity;
import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.identity.Tokens;
import dev.videocall.testkit.NatsProcess;
import dev.videocall.testkit.PostgresProcess;
import dev.videocall.types.CloseCodes;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity on (the default, {@code --auth guest}): room tokens checked before the upgrade on both
 * transports, the waiting room, hosts' moderation enforced by the server, durable state across a
 * restart (H2), and two instances sharing meetings through PostgreSQL and NATS.
 */
class IdentityIntegrationTest {
  private static final byte[] KEY = new byte[32];

  static {
    new SecureRandom().nextBytes(KEY);
  }

  private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T t) {
    open.add(t);
    return t;
  }

  private VideocallServer server(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--auth",
                "guest",
                "--jwt-key",
                KEY_BASE64,
                "--api-requests-per-second",
                "1000",
                "--heartbeat-timeout-ms",
                "30000"));
    if (!List.of(more).contains("--data-dir")) {
      args.addAll(List.of("--data-dir", dir.resolve("data").toString()));
    }
    args.addAll(List.of(more));
    return keep(TestServer.start(args.toArray(String[]::new)));
  }

  private Peer media(VideocallServer server, String roomToken, String transport) {
    return keep(
        Peer.join(
            VideocallClient.to(TestServer.url(server))
                .token(roomToken)
                .transport(transport)
                .heartbeats(Duration.ofSeconds(5))));
  }

  private static ConnectFailed refusedOn(VideocallServer server, String token, String transport) {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                VideocallClient.to(TestServer.url(server))
                    .token(token)
                    .transport(transport)
                    .connect()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join());
    if (!(e.getCause() instanceof ConnectFailed f)) {
      throw new AssertionError("expected a refusal before the session, got " + e.getCause(), e);
    }
    return f;
  }

  /** A WebSocket upgrade by hand: the status and the body the server answers with. */
  private static String[] upgrade(VideocallServer server, String pathAndQuery) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET "
                  + pathAndQuery
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        head.append((char) c);
      }
      String status = head.toString().split(" ", 3)[1];
      int length = 0;
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      return new String[] {status, new String(body, StandardCharsets.UTF_8)};
    }
  }

  private static Tokens tokensAt(byte[] key, Instant now) {
    return new Tokens(
        key, Duration.ofDays(30), Duration.ofSeconds(60), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void roomTokensAreCheckedBeforeTheUpgradeOnWebSocketAndWebTransport() throws Exception {
    VideocallServer server = server();
    GuestAccess api = new GuestAccess(TestServer.url(server));
    Identity host = api.guest("Hana");
    GuestAccess.Join hostJoin = api.join(host, "budget");
    assertTrue(hostJoin.admitted() && hostJoin.host(), "the first joiner creates and hosts");

    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    String forged =
        tokensAt(otherKey, Instant.now())
            .room(new Tokens.Room(host.subject(), "Hana", "budget", true));
    String expired =
        tokensAt(KEY, Instant.now().minus(Duration.ofHours(1)))
            .room(new Tokens.Room(host.subject(), "Hana", "budget", true));
    String ofSomeoneNotLetIn =
        tokensAt(KEY, Instant.now())
            .room(new Tokens.Room("g-0123456789abcdef", "X", "budget", false));
    String forAMeetingThatDoesNotExist =
        tokensAt(KEY, Instant.now()).room(new Tokens.Room(host.subject(), "Hana", "nowhere", true));

    record Case(String what, String token, int status, String code) {}
    List<Case> cases =
        List.of(
            new Case("no token", null, 401, "TOKEN_MISSING"),
            new Case("forged", forged, 403, "TOKEN_INVALID"),
            new Case("expired", expired, 401, "TOKEN_EXPIRED"),
            new Case("an identity token", host.token(), 403, "TOKEN_INVALID"),
            new Case("garbage", "not.a.token", 403, "TOKEN_INVALID"),
            new Case(
                "a meeting that does not exist", forAMeetingThatDoesNotExist, 403, "TOKEN_INVALID"),
            new Case("someone not let in", ofSomeoneNotLetIn, 403, "NOT_ADMITTED"));
    long refusedBefore = refusals(server);
    for (Case c : cases) {
      String[] ws = upgrade(server, "/lobby" + (c.token == null ? "" : "?token=" + c.token));
      assertEquals(String.valueOf(c.status), ws[0], "WebSocket, " + c.what);
      assertTrue(ws[1].contains("\"code\":\"" + c.code + "\""), c.what + ": " + ws[1]);
      for (String transport : List.of("websocket", "webtransport")) {
        ConnectFailed f = refusedOn(server, c.token == null ? "" : c.token, transport);
        assertEquals(c.status, f.httpStatus(), transport + ", " + c.what + ": " + f.getMessage());
        if (transport.equals("webtransport")) {
          assertTrue(f.getMessage().contains(c.code), "the JSON reason: " + f.getMessage());
        }
      }
    }
    assertEquals(3L * cases.size(), refusals(server) - refusedBefore, "each refusal counted");

    // the path form must say what the token says: another meeting, or someone else's id
    String[] wrongMeeting =
        upgrade(server, "/lobby/" + host.subject() + "/other?token=" + hostJoin.token());
    assertEquals("403", wrongMeeting[0]);
    assertTrue(wrongMeeting[1].contains("TOKEN_WRONG_MEETING"), wrongMeeting[1]);
    String[] someoneElse =
        upgrade(server, "/lobby/g-aaaaaaaaaaaaaaaa/budget?token=" + hostJoin.token());
    assertEquals("403", someoneElse[0]);
    // an open path without a token, the way --auth none works, is refused too
    String[] open = upgrade(server, "/lobby/" + host.subject() + "/budget");
    assertEquals("401", open[0]);
    assertTrue(open[1].contains("/api/v1/meetings/{id}/join"), "says what to do: " + open[1]);

    // and the real token works on both transports
    Peer ws = media(server, hostJoin.token(), "websocket");
    assertEquals(host.subject(), ws.client.userId());
    assertEquals("budget", ws.client.meetingId());
    Peer wt = media(server, api.join(host, "budget").token(), "webtransport");
    assertEquals(host.subject(), wt.client.userId());
  }

  private static long refusals(VideocallServer s) {
    var c = s.relay().counters();
    return c.get(Name.REFUSED_TOKEN_MISSING)
        + c.get(Name.REFUSED_TOKEN_EXPIRED)
        + c.get(Name.REFUSED_TOKEN_INVALID)
        + c.get(Name.REFUSED_NOT_ADMITTED);
  }

  @Test
  void theWaitingRoomHostsDecideAndModerationIsEnforcedByTheServer() throws Exception {
    VideocallServer server = server();
    GuestAccess api = new GuestAccess(TestServer.url(server));
    Identity hana = api.guest("Hana");
    String meeting = api.create(hana, null, "Weekly", null);
    Peer host = media(server, api.join(hana, meeting).token(), "websocket");

    // a guest asks; the host hears at once and sees who
    Identity sam = api.guest("Sam");
    long asked = System.nanoTime();
    assertEquals("waiting", api.join(sam, meeting).status());
    host.await(
        "WAITING_ROOM_UPDATED",
        w ->
            w.getPacketType() == PacketType.MEETING
                && Peer.meeting(w).getEventType() == MeetingEventType.WAITING_ROOM_UPDATED,
        Duration.ofSeconds(1));
    long heardMs = (System.nanoTime() - asked) / 1_000_000;
    JsonNode waiting = api.get(hana, "/api/v1/meetings/" + meeting + "/waiting");
    assertEquals(1, waiting.size());
    assertEquals(sam.subject(), waiting.get(0).path("subject").asText());
    assertEquals("Sam", waiting.get(0).path("name").asText());
    // a waiting guest cannot connect media with a token minted for it elsewhere
    assertThrows(ApiError.class, () -> api.get(sam, "/api/v1/meetings/" + meeting + "/waiting"));

    // the guest waits on a long poll; admission answers it within a second
    CompletableFuture<Long> admittedAt =
        CompletableFuture.supplyAsync(
            () -> {
              GuestAccess.Join j = api.status(sam, meeting, 20);
              assertTrue(j.admitted(), "admitted: " + j);
              return System.nanoTime();
            });
    Thread.sleep(300); // the poll is held
    assertFalse(admittedAt.isDone());
    long admitted = System.nanoTime();
    api.act(hana, meeting, "admit", GuestAccess.body().put("subject", sam.subject()));
    long inMs = (admittedAt.get(5, TimeUnit.SECONDS) - admitted) / 1_000_000;
    assertTrue(inMs < 1000, "status answered " + inMs + " ms after admission");
    System.out.printf(
        "host heard the request after %d ms; guest in %d ms after admission%n", heardMs, inMs);
    GuestAccess.Join samJoin = api.status(sam, meeting, 0);
    Peer guest = media(server, samJoin.token(), "webtransport");
    host.awaitMeeting(MeetingEventType.PARTICIPANT_JOINED, sam.subject());

    // a non-host's moderation is refused and counted
    long notHost = server.relay().counters().get(Name.API_NOT_HOST);
    String base = "participants/" + hana.subject() + "/";
    for (String action :
        List.of(base + "mute", base + "remove", base + "make-host", "lock", "end", "admit-all")) {
      ApiError e =
          assertThrows(
              ApiError.class,
              () -> api.act(sam, meeting, action, GuestAccess.body().put("locked", true)),
              action);
      assertEquals(403, e.status(), action);
      assertEquals("NOT_HOST", e.code(), action);
    }
    assertEquals(6, server.relay().counters().get(Name.API_NOT_HOST) - notHost);

    // a stranger cannot evict Sam: ids are the server's, and a token only fits its own holder
    Identity mallory = api.guest("Sam"); // the same display name is a different person
    assertNotEquals(sam.subject(), mallory.subject());
    api.act(hana, meeting, "settings", GuestAccess.body().put("waitingRoom", false));
    String malloryToken = api.join(mallory, meeting).token();
    String[] evict =
        upgrade(server, "/lobby/" + sam.subject() + "/" + meeting + "?token=" + malloryToken);
    assertEquals("403", evict[0]);
    assertTrue(evict[1].contains("TOKEN_WRONG_MEETING"), evict[1]);
    Peer twin = media(server, malloryToken, "websocket");
    host.awaitMeeting(MeetingEventType.PARTICIPANT_JOINED, mallory.subject());
    assertEquals(mallory.subject(), twin.client.userId());
    assertFalse(guest.client.closed().isDone(), "two people named Sam coexist");

    // the host asks Sam to mute and to stop video: only Sam hears it, with who asked
    api.act(hana, meeting, "participants/" + sam.subject() + "/mute", GuestAccess.body());
    assertEquals(
        "Hana",
        guest.awaitMeeting(MeetingEventType.MUTE_REQUESTED, sam.subject()).getDisplayName());
    api.act(hana, meeting, "participants/" + sam.subject() + "/stop-video", GuestAccess.body());
    guest.awaitMeeting(MeetingEventType.VIDEO_STOP_REQUESTED, sam.subject());
    twin.expectNone(
        "a request meant for the other Sam",
        w ->
            w.getPacketType() == PacketType.MEETING
                && Peer.meeting(w).getEventType() == MeetingEventType.MUTE_REQUESTED,
        Duration.ofMillis(300));

    // removed: the session closes with 4003, and neither the old token nor a new join gets back in
    api.act(hana, meeting, "participants/" + sam.subject() + "/remove", GuestAccess.body());
    assertEquals(CloseCodes.REMOVED, guest.client.closed().get(5, TimeUnit.SECONDS).code());
    for (String transport : List.of("websocket", "webtransport")) {
      ConnectFailed f = refusedOn(server, samJoin.token(), transport);
      assertEquals(403, f.httpStatus(), transport);
    }
    ApiError again = assertThrows(ApiError.class, () -> api.join(sam, meeting));
    assertEquals("REMOVED", again.code());
    assertFalse(twin.client.closed().isDone(), "the other Sam stays");

    // rejected: the guest learns it, and cannot ask again
    api.act(hana, meeting, "settings", GuestAccess.body().put("waitingRoom", true));
    Identity rex = api.guest("Rex");
    assertEquals("waiting", api.join(rex, meeting).status());
    api.act(hana, meeting, "reject", GuestAccess.body().put("subject", rex.subject()));
    assertEquals("rejected", api.status(rex, meeting, 0).status());
    assertEquals("REJECTED", assertThrows(ApiError.class, () -> api.join(rex, meeting)).code());

    // locked: nobody new
    api.act(hana, meeting, "lock", GuestAccess.body().put("locked", true));
    Identity late = api.guest("Late");
    ApiError locked = assertThrows(ApiError.class, () -> api.join(late, meeting));
    assertEquals("MEETING_LOCKED", locked.code());
    assertEquals(403, locked.status());
    JsonNode view = api.get(hana, "/api/v1/meetings/" + meeting);
    assertTrue(view.path("locked").asBoolean());
    assertEquals("Weekly", view.path("title").asText());

    // ended for everyone: every session closes with 4004, tokens and joins are refused
    String twinToken = api.join(mallory, meeting).token();
    api.act(hana, meeting, "end", GuestAccess.body());
    assertEquals(CloseCodes.MEETING_ENDED, twin.client.closed().get(5, TimeUnit.SECONDS).code());
    assertEquals(CloseCodes.MEETING_ENDED, host.client.closed().get(5, TimeUnit.SECONDS).code());
    assertEquals(410, refusedOn(server, twinToken, "websocket").httpStatus());
    assertEquals(
        "MEETING_ENDED", assertThrows(ApiError.class, () -> api.join(mallory, meeting)).code());
  }

  @Test
  void whenTheLastHostLeavesTheLongestPresentParticipantBecomesHost() throws Exception {
    VideocallServer server = server();
    GuestAccess api = new GuestAccess(TestServer.url(server));
    Identity hana = api.guest("Hana");
    String meeting = api.create(hana, null, null, false);
    Peer host = media(server, api.join(hana, meeting).token(), "websocket");
    Identity first = api.guest("First");
    Peer firstPeer = media(server, api.join(first, meeting).token(), "websocket");
    Thread.sleep(50); // joined later, by the database's clock
    Identity second = api.guest("Second");
    Peer secondPeer = media(server, api.join(second, meeting).token(), "webtransport");
    host.awaitMeeting(MeetingEventType.PARTICIPANT_JOINED, second.subject());

    ApiError cannot =
        assertThrows(ApiError.class, () -> api.act(first, meeting, "lock", GuestAccess.body()));
    assertEquals("NOT_HOST", cannot.code());
    host.close();
    firstPeer.awaitMeeting(MeetingEventType.HOSTS_CHANGED, first.subject());
    secondPeer.awaitMeeting(MeetingEventType.HOSTS_CHANGED, first.subject());
    assertEquals(1, server.relay().counters().get(Name.HOSTS_PROMOTED));
    JsonNode view = api.get(first, "/api/v1/meetings/" + meeting);
    assertTrue(view.path("you").path("host").asBoolean(), view.toString());
    api.act(first, meeting, "lock", GuestAccess.body().put("locked", true));

    // handing over: the new host makes Second a host and steps down
    api.act(first, meeting, "participants/" + second.subject() + "/make-host", GuestAccess.body());
    api.act(first, meeting, "step-down", GuestAccess.body());
    assertEquals(
        "NOT_HOST",
        assertThrows(ApiError.class, () -> api.act(first, meeting, "lock", GuestAccess.body()))
            .code());
    api.act(second, meeting, "lock", GuestAccess.body().put("locked", false));
    // Hana is still a host, but not here: Second is the only host present and must stay
    assertEquals(
        "LAST_HOST",
        assertThrows(
                ApiError.class, () -> api.act(second, meeting, "step-down", GuestAccess.body()))
            .code());
  }

  @Test
  void meetingsHostsAndTheKeySurviveARestart() throws Exception {
    Path data = dir.resolve("restart");
    List<String> flags =
        List.of(
            "--auth", "guest", "--data-dir", data.toString(), "--api-requests-per-second", "1000");
    Identity hana;
    Identity sam;
    String meeting;
    try (VideocallServer first = TestServer.start(flags.toArray(String[]::new))) {
      GuestAccess api = new GuestAccess(TestServer.url(first));
      hana = api.guest("Hana");
      meeting = api.create(hana, "kept", "Kept across restarts", true);
      sam = api.guest("Sam");
      assertEquals("waiting", api.join(sam, meeting).status());
      api.act(hana, meeting, "admit", GuestAccess.body().put("subject", sam.subject()));
    }
    assertTrue(data.resolve("jwt.key").toFile().isFile(), "the key is kept in the data directory");
    try (VideocallServer second = TestServer.start(flags.toArray(String[]::new))) {
      GuestAccess api = new GuestAccess(TestServer.url(second));
      // the identities issued before still hold (same key), and so do host and admission
      JsonNode view = api.get(hana, "/api/v1/meetings/" + meeting);
      assertEquals("Kept across restarts", view.path("title").asText());
      assertTrue(view.path("you").path("host").asBoolean());
      assertEquals(List.of(meeting), listIds(api.get(hana, "/api/v1/meetings")));
      GuestAccess.Join j = api.join(sam, meeting);
      assertTrue(j.admitted(), "admitted before the restart, still admitted");
      try (Peer p = Peer.join(VideocallClient.to(TestServer.url(second)).token(j.token()))) {
        assertEquals(sam.subject(), p.client.userId());
      }
    }
  }

  private static List<String> listIds(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.forEach(n -> ids.add(n.path("id").asText()));
    return ids;
  }

  @Test
  void twoInstancesOnPostgresqlAndNatsShareMeetingsAndDecisions() throws Exception {
    PostgresProcess db = keep(PostgresProcess.start("identity"));
    NatsProcess nats = keep(new NatsProcess());
    String[] shared = {
      "--database-url", db.jdbcUrl(), "--database-user", db.user(), "--nats-url", nats.url()
    };
    VideocallServer a = server(shared);
    VideocallServer b = server(shared);
    GuestAccess onA = new GuestAccess(TestServer.url(a));
    GuestAccess onB = new GuestAccess(TestServer.url(b));

    Identity hana = onA.guest("Hana");
    String meeting = onA.create(hana, null, "Across", null);
    Peer host = media(a, onA.join(hana, meeting).token(), "websocket");

    Identity sam = onB.guest("Sam");
    assertEquals("waiting", onB.join(sam, meeting).status());
    host.await(
        "WAITING_ROOM_UPDATED from the other instance",
        w ->
            w.getPacketType() == PacketType.MEETING
                && Peer.meeting(w).getEventType() == MeetingEventType.WAITING_ROOM_UPDATED,
        Duration.ofSeconds(2));
    assertEquals(
        sam.subject(),
        onA.get(hana, "/api/v1/meetings/" + meeting + "/waiting").get(0).path("subject").asText());

    CompletableFuture<Long> admittedAt =
        CompletableFuture.supplyAsync(
            () -> {
              assertTrue(onB.status(sam, meeting, 20).admitted());
              return System.nanoTime();
            });
    Thread.sleep(300);
    long admitted = System.nanoTime();
    onA.act(hana, meeting, "admit", GuestAccess.body().put("subject", sam.subject()));
    long inMs = (admittedAt.get(5, TimeUnit.SECONDS) - admitted) / 1_000_000;
    assertTrue(inMs < 1000, "admitted on A, the wait on B answered after " + inMs + " ms");
    Peer guest = media(b, onB.status(sam, meeting, 0).token(), "webtransport");
    host.awaitMeeting(MeetingEventType.PARTICIPANT_JOINED, sam.subject());

    // a NATS client that is not a server cannot remove anyone: unsealed, or sealed with another key
    long rejectedBefore =
        a.relay().counters().get(Name.NOTICES_REJECTED)
            + b.relay().counters().get(Name.NOTICES_REJECTED);
    byte[] forged =
        dev.videocall.proto.ServerNotice.newBuilder()
            .setMeetingId(meeting)
            .setTargetUserId(hana.subject())
            .setCloseCode(CloseCodes.REMOVED)
            .setCloseReason("forged")
            .setOriginServerId("intruder")
            .setSentAtMs(System.currentTimeMillis())
            .build()
            .toByteArray();
    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    try (io.nats.client.Connection intruder = io.nats.client.Nats.connect(nats.url())) {
      intruder.publish("videocall.notices", forged);
      intruder.publish(
          "videocall.notices", new dev.videocall.server.core.NoticeSeal(otherKey).seal(forged));
      intruder.flush(Duration.ofSeconds(2));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (a.relay().counters().get(Name.NOTICES_REJECTED)
                + b.relay().counters().get(Name.NOTICES_REJECTED)
            < rejectedBefore + 4
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(
        rejectedBefore + 4,
        a.relay().counters().get(Name.NOTICES_REJECTED)
            + b.relay().counters().get(Name.NOTICES_REJECTED),
        "both forged notices refused by both instances");
    assertFalse(host.client.closed().isDone(), "the host is still in");

    // a host's decision on A reaches the session on B
    onA.act(hana, meeting, "participants/" + sam.subject() + "/mute", GuestAccess.body());
    guest.awaitMeeting(MeetingEventType.MUTE_REQUESTED, sam.subject());
    onA.act(hana, meeting, "participants/" + sam.subject() + "/remove", GuestAccess.body());
    assertEquals(CloseCodes.REMOVED, guest.client.closed().get(5, TimeUnit.SECONDS).code());
    assertEquals("REMOVED", assertThrows(ApiError.class, () -> onB.join(sam, meeting)).code());
    if (host.client.closed().isDone()) {
      fail("the host was closed too: " + host.client.closed().join());
    }
  }
}
