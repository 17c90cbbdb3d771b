package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.ConnectFailed;
import dev.videocall.client.GuestAccess;
import dev.videocall.client.VideocallClient;
import dev.videocall.client.e2ee.ClientE2ee;
import dev.videocall.proto.ChatPacket;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.VideoCodec;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.testkit.NatsProcess;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.Packets;
import dev.videocall.types.Subjects;
import dev.videocall.types.e2ee.SFrame;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End-to-end encrypted meetings with real servers and Java clients: what the server relays (tapped
 * on NATS, where every packet of a meeting is published) is ciphertext; clients decrypt it; clients
 * that do not encrypt are refused; a departed client cannot read what is sent after it left.
 */
class E2eeIntegrationTest {
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

  /** A recognisable "frame": a VP8 keyframe's start code and a pattern. */
  private static byte[] frame(int n) {
    byte[] f = new byte[1200];
    f[3] = (byte) 0x9d;
    f[4] = 0x01;
    f[5] = 0x2a;
    for (int i = 6; i < f.length; i++) {
      f[i] = (byte) (i * 7 + n);
    }
    return f;
  }

  private static PacketWrapper video(int n) {
    return Packets.media(Packets.videoFrame(frame(n), n == 0, n, n * 33_000L, VideoCodec.VP8));
  }

  private Peer peer(VideocallServer server, String user, String transport) {
    return keep(
        Peer.join(
            VideocallClient.to(TestServer.url(server))
                .user(user)
                .meeting("secret")
                .transport(transport)
                .e2ee(true)));
  }

  private static void waitFor(String what, BooleanSupplier test) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!test.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Every MEDIA payload published for the meeting, as the server forwards it. */
  private static List<byte[]> tap(Subscription sub, int atLeast) throws InterruptedException {
    List<byte[]> payloads = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (payloads.size() < atLeast && System.nanoTime() < deadline) {
      io.nats.client.Message m = sub.nextMessage(Duration.ofMillis(200));
      if (m == null) {
        continue;
      }
      try {
        PacketWrapper w = PacketWrapper.parseFrom(m.getData());
        if (w.getPacketType() == PacketType.MEDIA) {
          MediaPacket media = MediaPacket.parseFrom(w.getData());
          if (media.getMediaType() == MediaPacket.MediaType.VIDEO) {
            payloads.add(media.getData().toByteArray());
          }
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return payloads;
  }

  @Test
  void theServerRelaysOnlyCiphertextAndEachClientReadsTheOthers() throws Exception {
    NatsProcess nats = keep(new NatsProcess());
    VideocallServer server = keep(TestServer.start("--nats-url", nats.url()));
    Connection natsTap = Nats.connect(nats.url());
    keep(natsTap::close);
    Subscription sub = natsTap.subscribe(Subjects.meeting("secret"));
    natsTap.flush(Duration.ofSeconds(2));

    Peer ws = peer(server, "ann", "websocket");
    Peer wt = peer(server, "bob", "webtransport");
    waitFor(
        "keys both ways",
        () -> ws.client.e2ee().peersWithKeys() == 1 && wt.client.e2ee().peersWithKeys() == 1);
    for (int n = 0; n < 10; n++) {
      ws.client.send(video(n));
    }
    for (int n = 0; n < 10; n++) {
      int want = n;
      PacketWrapper got =
          wt.await(
              "frame " + n,
              p ->
                  p.getPacketType() == PacketType.MEDIA
                      && media(p).getVideoMetadata().getSequence() == want
                      && media(p).getMediaType() == MediaPacket.MediaType.VIDEO);
      assertArrayEquals(frame(n), media(got).getData().toByteArray(), "decrypted frame " + n);
    }
    List<byte[]> relayed = tap(sub, 10);
    assertEquals(10, relayed.size());
    for (byte[] r : relayed) {
      assertFalse(
          (r[3] & 0xff) == 0x9d && r[4] == 0x01 && r[5] == 0x2a, "a VP8 start code in the clear");
      assertEquals(1200 + SFrame.TAG_BYTES, r.length - SFrame.parseHeader(r).length);
      assertFalse(contains(r, java.util.Arrays.copyOfRange(frame(0), 100, 116)));
    }

    // chat is sealed too
    wt.client.send(
        PacketWrapper.newBuilder()
            .setPacketType(PacketType.CHAT)
            .setData(
                ChatPacket.newBuilder().setText("the plan").setSentAtMs(7).build().toByteString())
            .build());
    PacketWrapper chat = ws.await("chat", p -> p.getPacketType() == PacketType.CHAT);
    assertEquals("the plan", ChatPacket.parseFrom(chat.getData()).getText());
    assertEquals(
        ws.client.e2ee().safetyCode(wt.client.sessionId()),
        wt.client.e2ee().safetyCode(ws.client.sessionId()));
    assertNotNull(ws.client.e2ee().safetyCode(wt.client.sessionId()));
  }

  private static MediaPacket media(PacketWrapper p) {
    try {
      return MediaPacket.parseFrom(p.getData());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void aDepartedClientThatKeptItsKeysCannotReadWhatFollows() throws Exception {
    NatsProcess nats = keep(new NatsProcess());
    VideocallServer server = keep(TestServer.start("--nats-url", nats.url()));
    Connection natsTap = Nats.connect(nats.url());
    keep(natsTap::close);
    Subscription sub = natsTap.subscribe(Subjects.meeting("secret"));
    natsTap.flush(Duration.ofSeconds(2));

    Peer ann = peer(server, "ann", "websocket");
    Peer bob = peer(server, "bob", "websocket");
    Peer cat = peer(server, "cat", "webtransport");
    waitFor(
        "everyone has everyone's key",
        () ->
            ann.client.e2ee().peersWithKeys() == 2
                && bob.client.e2ee().peersWithKeys() == 2
                && cat.client.e2ee().peersWithKeys() == 2);
    long annSession = ann.client.sessionId();
    ann.client.send(video(0));
    cat.await(
        "the frame before",
        p ->
            p.getPacketType() == PacketType.MEDIA
                && media(p).getMediaType() == MediaPacket.MediaType.VIDEO);
    tap(sub, 1);

    ClientE2ee catKeys = cat.client.e2ee(); // kept after leaving
    long kidCatHad = ann.client.e2ee().currentKid();
    cat.client.close();
    waitFor("ann rekeyed", () -> ann.client.e2ee().currentKid() > kidCatHad);
    long newKid = ann.client.e2ee().currentKid();
    for (int n = 1; n <= 5; n++) {
      ann.client.send(video(n));
    }
    for (int n = 1; n <= 5; n++) {
      int want = n;
      bob.await(
          "frame " + n,
          p ->
              p.getPacketType() == PacketType.MEDIA
                  && media(p).getMediaType() == MediaPacket.MediaType.VIDEO
                  && media(p).getVideoMetadata().getSequence() == want);
    }
    List<byte[]> after = tap(sub, 5);
    assertEquals(5, after.size());
    AtomicInteger readByCat = new AtomicInteger();
    long noKeyBefore = catKeys.counters().noKey;
    for (int n = 0; n < after.size(); n++) {
      assertEquals(newKid, SFrame.parseHeader(after.get(n)).kid);
      catKeys.open(
          annSession,
          ClientE2ee.metadata(media(video(n + 1))),
          after.get(n),
          x -> readByCat.incrementAndGet());
    }
    Thread.sleep(2100);
    catKeys.tick();
    assertEquals(0, readByCat.get(), "the departed client read frames sent after it left");
    assertEquals(noKeyBefore + 5, catKeys.counters().noKey);
  }

  @Test
  void clientsThatDoNotEncryptAreRefusedByEncryptedMeetingsAndTheOtherWayRound() throws Exception {
    // identity on: the stored meeting decides, before the upgrade
    VideocallServer server =
        keep(TestServer.start("--auth", "guest", "--api-requests-per-second", "1000"));
    GuestAccess api = new GuestAccess(TestServer.url(server));
    GuestAccess.Identity hana = api.guest("Hana");
    String secret = api.create(hana, null, "Secret", false, true);
    String plain = api.create(hana, null, "Plain", false, false);
    assertTrue(api.get(hana, "/api/v1/meetings/" + secret).path("e2ee").asBoolean());
    assertFalse(api.get(hana, "/api/v1/meetings/" + plain).path("e2ee").asBoolean());
    for (String transport : List.of("websocket", "webtransport")) {
      ConnectFailed f =
          refused(
              VideocallClient.to(TestServer.url(server))
                  .token(api.join(hana, secret).token())
                  .transport(transport));
      assertEquals(403, f.httpStatus(), transport);
      if (transport.equals("webtransport")) { // WebSocket clients see the status only (Netty)
        assertTrue(f.getMessage().contains("E2EE_REQUIRED"), f.getMessage());
      }
      ConnectFailed g =
          refused(
              VideocallClient.to(TestServer.url(server))
                  .token(api.join(hana, plain).token())
                  .transport(transport)
                  .e2ee(true));
      assertEquals(409, g.httpStatus(), transport);
    }
    keep(
        Peer.join(
            VideocallClient.to(TestServer.url(server))
                .token(api.join(hana, secret).token())
                .e2ee(true)));
    assertEquals(4, server.relay().counters().get(Name.REFUSED_E2EE_MISMATCH));

    // open mode: the first session decides, the relay refuses the rest with 4005
    VideocallServer openServer = keep(TestServer.start());
    peer(openServer, "ann", "websocket");
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                VideocallClient.to(TestServer.url(openServer))
                    .user("bob")
                    .meeting("secret")
                    .connect()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join());
    assertTrue(e.getCause() instanceof VideocallClient.SessionRefused, e.toString());
    assertEquals(CloseCodes.E2EE_MISMATCH, ((VideocallClient.SessionRefused) e.getCause()).code());
  }

  private static ConnectFailed refused(VideocallClient.Builder b) {
    CompletionException e =
        assertThrows(
            CompletionException.class, () -> b.connect().orTimeout(10, TimeUnit.SECONDS).join());
    if (!(e.getCause() instanceof ConnectFailed f)) {
      throw new AssertionError("expected a refusal before the session, got " + e.getCause(), e);
    }
    return f;
  }
}
