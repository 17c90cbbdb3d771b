package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MeetingPacket;
import dev.videocall.proto.MeetingPacket.MeetingEventType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test participant: a real client plus everything it received, with waits and checks. */
final class Peer implements AutoCloseable {
  final VideocallClient client;
  final LinkedBlockingQueue<PacketWrapper> inbox = new LinkedBlockingQueue<>();
  private final List<PacketWrapper> seen = new ArrayList<>();

  private Peer(VideocallClient.Builder builder) {
    this.client = builder.onPacket(inbox::add).connect().orTimeout(10, TimeUnit.SECONDS).join();
  }

  static Peer join(URI server, String user, String meeting) {
    return new Peer(VideocallClient.to(server).user(user).meeting(meeting));
  }

  static Peer join(VideocallClient.Builder builder) {
    return new Peer(builder);
  }

  /** Waits for a packet matching {@code test}, skipping (and remembering) others. */
  PacketWrapper await(String what, Predicate<PacketWrapper> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seen) {
      for (PacketWrapper p : seen) {
        if (test.test(p)) {
          seen.remove(p);
          return p;
        }
      }
    }
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        PacketWrapper p = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
        if (p == null) {
          fail(client.userId() + " did not receive " + what + " within " + timeout);
        }
        if (test.test(p)) {
          return p;
        }
        synchronized (seen) {
          seen.add(p);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  PacketWrapper await(String what, Predicate<PacketWrapper> test) {
    return await(what, test, Duration.ofSeconds(5));
  }

  MeetingPacket awaitMeeting(MeetingEventType type, String aboutUser) {
    PacketWrapper p =
        await(
            type + " about " + aboutUser,
            w -> w.getPacketType() == PacketType.MEETING && is(meeting(w), type, aboutUser));
    return meeting(p);
  }

  /** Everything received so far and within {@code quiet}, none of which may match. */
  void expectNone(String what, Predicate<PacketWrapper> test, Duration quiet) {
    long deadline = System.nanoTime() + quiet.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        PacketWrapper p = inbox.poll(left, TimeUnit.NANOSECONDS);
        if (p != null) {
          synchronized (seen) {
            seen.add(p);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    synchronized (seen) {
      for (PacketWrapper p : seen) {
        if (test.test(p)) {
          fail(client.userId() + " received " + what + ": " + p);
        }
      }
    }
  }

  static boolean isMedia(PacketWrapper w, MediaPacket.MediaType type) {
    if (w.getPacketType() != PacketType.MEDIA) {
      return false;
    }
    try {
      return MediaPacket.parseFrom(w.getData()).getMediaType() == type;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  static MediaPacket media(PacketWrapper w) {
    try {
      return MediaPacket.parseFrom(w.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static MeetingPacket meeting(PacketWrapper w) {
    try {
      return MeetingPacket.parseFrom(w.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean is(MeetingPacket m, MeetingEventType type, String user) {
    return m.getEventType() == type && (user == null || user.equals(m.getTargetUserId()));
  }

  @Override
  public void close() {
    client.close();
  }
}
