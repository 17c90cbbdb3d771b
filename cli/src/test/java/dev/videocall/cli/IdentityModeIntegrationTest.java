package dev.videocall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.GuestAccess;
import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.testkit.ServerProcess;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI against a server with identity on (the default): {@code stream --name} gets a guest
 * identity and waits until the host lets it in; a host's removal ends it with a clear reason; the
 * bot creates its meeting and every bot is a guest of its own.
 */
class IdentityModeIntegrationTest {
  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start("cli-identity", "--auth", "guest");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String[] stream(String meeting, String duration) {
    return new String[] {
      "stream",
      "--name",
      "Lobby camera",
      "--meeting-id",
      meeting,
      "--test-pattern",
      "--resolution",
      "320x180",
      "--fps",
      "15",
      "--no-audio",
      "--transport",
      "websocket",
      "--duration",
      duration,
      "--wait",
      "20s",
      "--server",
      server.url().toString()
    };
  }

  @Test
  void streamWaitsForTheHostThenPublishesAndARemovalEndsIt() throws Exception {
    GuestAccess api = new GuestAccess(server.url());
    GuestAccess.Identity host = api.guest("Hana");
    String meeting = api.create(host, null, "Lobby", true);
    Set<String> videoFrom = ConcurrentHashMap.newKeySet();
    VideocallClient viewer =
        VideocallClient.to(server.url())
            .token(api.join(host, meeting).token())
            .onPacket(
                w -> {
                  if (w.getPacketType() == PacketWrapper.PacketType.MEDIA) {
                    try {
                      if (MediaPacket.parseFrom(w.getData()).getMediaType() == MediaType.VIDEO) {
                        videoFrom.add(w.getUserId());
                      }
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                  }
                })
            .connect()
            .get(10, TimeUnit.SECONDS);
    try {
      CompletableFuture<Integer> cli =
          CompletableFuture.supplyAsync(() -> Main.run(stream(meeting, "30s")));
      // the CLI knocks; the host lets it in
      JsonWait.until(
          "the CLI waits",
          () -> api.get(host, "/api/v1/meetings/" + meeting + "/waiting").size() == 1);
      String cam =
          api.get(host, "/api/v1/meetings/" + meeting + "/waiting").get(0).path("subject").asText();
      assertEquals(
          "Lobby camera",
          api.get(host, "/api/v1/meetings/" + meeting + "/waiting").get(0).path("name").asText());
      api.act(host, meeting, "admit", GuestAccess.body().put("subject", cam));
      JsonWait.until("its video arrives", () -> videoFrom.contains(cam));
      assertNotEquals(host.subject(), cam);
      // removed: the CLI stops with exit 1 and does not come back
      api.act(host, meeting, "participants/" + cam + "/remove", GuestAccess.body());
      assertEquals(1, cli.get(10, TimeUnit.SECONDS), "a removal is a failure to stream");
    } finally {
      viewer.close();
    }
  }

  @Test
  void theBotRunsInAMeetingOfItsOwnAsGuests() {
    int exit =
        Main.run(
            new String[] {
              "bot",
              "--meeting-id",
              "bots-" + System.nanoTime(),
              "--publishers",
              "2",
              "--viewers",
              "3",
              "--duration",
              "3s",
              "--warmup",
              "1s",
              "--server",
              server.url().toString()
            });
    assertEquals(0, exit, "no bot refused or closed early");
  }

  /** Polls a condition (the API answers within milliseconds here). */
  private static final class JsonWait {
    static void until(String what, java.util.function.BooleanSupplier ok) throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!ok.getAsBoolean()) {
        assertTrue(System.nanoTime() < deadline, "timed out: " + what);
        Thread.sleep(50);
      }
    }
  }
}
