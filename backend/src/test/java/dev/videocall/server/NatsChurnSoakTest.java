package dev.videocall.server;

import static dev.videocall.server.Peer.isMedia;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.testkit.NatsProcess;
import dev.videocall.types.Packets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Hardening issue: a NATS churn soak. Three instances share 50 meetings; in each, two steady
 * participants on different instances talk across NATS the whole time, while others join and leave
 * all around them (staggered, with display names of the maximum length), and a hostile NATS client
 * publishes garbage, forged packets and forged presence. Every cross-instance packet of the steady
 * participants must arrive, none of them may be announced as left, and afterwards sessions,
 * meetings and NATS subscriptions must be back where they started.
 *
 * <p>In the build it runs 15 s; the long variant: {@code ./mvnw -pl backend test
 * -Dtest=NatsChurnSoakTest -Dsoak.seconds=600}.
 */
class NatsChurnSoakTest {
  private static final int MEETINGS = 50;
  private static final Duration SOAK = Duration.ofSeconds(Long.getLong("soak.seconds", 15));

  @Test
  void meetingsComeAndGoWithoutLosingAnyoneOrAnything() throws Exception {
    List<VideocallClient> steady = new ArrayList<>();
    try (NatsProcess nats = new NatsProcess();
        VideocallServer a = TestServer.start(1 << 20, Duration.ofSeconds(30), nats.url());
        VideocallServer b = TestServer.start(1 << 20, Duration.ofSeconds(30), nats.url());
        VideocallServer c = TestServer.start(1 << 20, Duration.ofSeconds(30), nats.url())) {
      VideocallServer[] servers = {a, b, c};
      long baseSubscriptions = settle(nats::subscriptions);
      ConcurrentHashMap<String, AtomicLong> received = new ConcurrentHashMap<>();
      List<String> wrongDepartures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int m = 0; m < MEETINGS; m++) {
        for (int side = 0; side < 2; side++) {
          String user = "s" + m + "-" + side;
          String other = "s" + m + "-" + (1 - side);
          AtomicLong count = received.computeIfAbsent(user, k -> new AtomicLong());
          steady.add(
              VideocallClient.to(TestServer.url(servers[(m + side) % 3]))
                  .user(user)
                  .meeting("m" + m)
                  .displayName(name(user))
                  .onPacket(
                      w -> {
                        if (isMedia(w, MediaType.VIDEO) && w.getUserId().equals(other)) {
                          count.incrementAndGet();
                        } else if (w.getPacketType() == PacketWrapper.PacketType.MEETING
                            && Peer.meeting(w).getEventType() == MeetingEventType.PARTICIPANT_LEFT
                            && Peer.meeting(w).getTargetUserId().equals(other)) {
                          wrongDepartures.add(user + " heard " + other + " left");
                        }
                      })
                  .connect()
                  .get(10, TimeUnit.SECONDS));
        }
      }
      int sessionsBefore = sessions(servers);
      int meetingsBefore = meetings(servers);
      io.nats.client.Connection hostile = io.nats.client.Nats.connect(nats.url());
      Random random = new Random(42);
      long sent = 0;
      long churnJoins = 0;
      List<VideocallClient> churners = new ArrayList<>();
      long end = System.nanoTime() + SOAK.toNanos();
      try {
        while (System.nanoTime() < end) {
          // steady traffic: every steady participant sends one frame
          for (VideocallClient p : steady) {
            p.send(frame(p.userId()));
            sent++;
          }
          // churn: a few join (into steady meetings and meetings of their own), a few leave
          for (int i = 0; i < 4; i++) {
            int m = random.nextInt(MEETINGS * 2); // half of them into meetings nobody else has
            String user = "c" + churnJoins++;
            churners.add(
                VideocallClient.to(TestServer.url(servers[random.nextInt(3)]))
                    .user(user)
                    .meeting("m" + m)
                    .displayName(name(user))
                    .heartbeats(Duration.ofSeconds(1))
                    .connect()
                    .get(10, TimeUnit.SECONDS));
          }
          while (churners.size() > 20) {
            churners.remove(random.nextInt(churners.size())).close();
          }
          // a hostile neighbour on NATS
          byte[] garbage = new byte[random.nextInt(200)];
          random.nextBytes(garbage);
          hostile.publish("room.m" + random.nextInt(MEETINGS) + ".x", garbage);
          hostile.publish("videocall.presence", garbage);
          Thread.sleep(100);
        }
      } finally {
        churners.forEach(VideocallClient::close);
        hostile.close();
      }
      Thread.sleep(1500); // the last frames and departures land
      long delivered = received.values().stream().mapToLong(AtomicLong::get).sum();
      String report =
          String.format(
              "%d s, %d meetings on 3 instances: %d steady frames sent, %d delivered; %d churn"
                  + " joins; %d wrong departures%n",
              SOAK.toSeconds(), MEETINGS, sent, delivered, churnJoins, wrongDepartures.size());
      System.out.print(report);
      Files.writeString(Path.of("target", "nats-churn-soak.txt"), report);
      assertTrue(wrongDepartures.isEmpty(), wrongDepartures.toString());
      assertEquals(sent, delivered, "every cross-instance frame arrives: " + report);
      assertEquals(sessionsBefore, settle(() -> (long) sessions(servers)), "sessions back");
      assertEquals(meetingsBefore, settle(() -> (long) meetings(servers)), "meetings back");
      steady.forEach(VideocallClient::close);
      steady.clear();
      assertEquals(0, settle(() -> (long) sessions(servers)));
      assertEquals(
          baseSubscriptions,
          settle(nats::subscriptions),
          "NATS subscriptions back to the instances' own");
    } finally {
      steady.forEach(VideocallClient::close);
    }
  }

  /** A display name of the maximum length, in several scripts. */
  private static String name(String user) {
    String n = user + " Ünïcødé 名前 имя ";
    StringBuilder b = new StringBuilder(n);
    while (b.codePointCount(0, b.length()) < dev.videocall.types.DisplayNames.MAX_CHARACTERS) {
      b.append('x');
    }
    return b.toString();
  }

  private static PacketWrapper frame(String user) {
    return Packets.media(
        Packets.videoFrame(user.getBytes(StandardCharsets.UTF_8), true, 1, 0, VideoCodec.VP8));
  }

  private static int sessions(VideocallServer[] servers) {
    int n = 0;
    for (VideocallServer s : servers) {
      n += s.relay().sessionCount();
    }
    return n;
  }

  private static int meetings(VideocallServer[] servers) {
    int n = 0;
    for (VideocallServer s : servers) {
      n += s.relay().roomCount();
    }
    return n;
  }

  /** A value once it stops changing (within 5 s). */
  private static long settle(Reading reading) throws Exception {
    long last = reading.read();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int stable = 0;
    while (stable < 5 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      long now = reading.read();
      stable = now == last ? stable + 1 : 0;
      last = now;
    }
    return last;
  }

  @FunctionalInterface
  private interface Reading {
    long read() throws Exception;
  }
}
