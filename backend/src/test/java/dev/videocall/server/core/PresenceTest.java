package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.server.bus.Bus;
import dev.videocall.server.core.Counters.Name;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PresenceTest {
  /** Two instances' buses wired to each other, delivering synchronously. */
  private static final class Wire implements Bus {
    Consumer<byte[]> peer;
    Consumer<byte[]> mine;

    @Override
    public Subscription subscribe(String meetingId, Consumer<Packet> listener) {
      return () -> {};
    }

    @Override
    public void publish(Packet packet) {}

    @Override
    public void publishPresence(byte[] message) {
      peer.accept(message);
    }

    @Override
    public void onPresence(Consumer<byte[]> listener) {
      mine = listener;
    }

    @Override
    public String state() {
      return "wire";
    }

    @Override
    public boolean healthy() {
      return true;
    }

    @Override
    public void close() {}
  }

  private static final class Log implements Presence.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void joined(Member m) {
      events.add("joined " + m.userId());
    }

    @Override
    public void left(Member m, String reason) {
      events.add("left " + m.userId() + ": " + reason);
    }
  }

  @Test
  void joinsLeavesAndRostersReachTheOtherInstanceOnce() {
    Wire a = new Wire();
    Wire b = new Wire();
    Log seenByB = new Log();
    Presence onA = new Presence(a, "A", new Log(), new Counters());
    Presence onB = new Presence(b, "B", seenByB, new Counters());
    a.peer = b.mine;
    b.peer = a.mine;
    Member alice = new Member("m1", 7, "alice", "Alice");
    onA.localJoined(alice);
    onA.localJoined(new Member("m2", 8, "bob", "bob"));
    onA.tick(); // HELLO, then the roster again: already known, announced once
    assertEquals(List.of(alice), onB.remoteMembers("m1"));
    assertEquals(1, onB.remoteCount("m2"));
    onA.localLeft(alice, "bye");
    assertEquals(List.of("joined alice", "joined bob", "left alice: bye"), seenByB.events);
    assertEquals(0, onB.remoteCount("m1"));
  }

  @Test
  void malformedMessagesAreCountedAndIgnored() {
    Wire bus = new Wire();
    Counters counters = new Counters();
    Log log = new Log();
    new Presence(bus, "B", log, counters);
    bus.mine.accept(new byte[] {1, 1, 0});
    byte[] good =
        new PresenceMessage(
                PresenceMessage.Kind.ALIVE, "A", "", List.of(new Member("m", 1, "u", "U")))
            .encode();
    bus.mine.accept(Arrays.copyOf(good, good.length - 1));
    assertEquals(2, counters.get(Name.BUS_MALFORMED));
    assertEquals(List.of(), log.events);
  }

  @Test
  void invalidIdsDoNotDecode() {
    byte[] bad =
        new PresenceMessage(
                PresenceMessage.Kind.ALIVE, "A", "", List.of(new Member("m.x/y", 1, "u", "U")))
            .encode();
    assertThrows(IllegalArgumentException.class, () -> PresenceMessage.decode(bad));
  }

  /**
   * Hardening issue, items 4 and 7: a roster is split by bytes to fit the bus, expiry does not
   * depend on publishing, and only the instance that owns a session may say it left.
   */
  @Test
  void rostersAreSplitByBytesAndExpiryRunsWhenPublishingFails() {
    Wire a = new Wire();
    List<Integer> sizes = new ArrayList<>();
    Wire b = new Wire();
    Log seenByA = new Log();
    Presence onA = new Presence(a, "A", seenByA, new Counters());
    Presence onB = new Presence(b, "B", new Log(), new Counters());
    b.peer =
        bytes -> {
          sizes.add(bytes.length);
          a.mine.accept(bytes);
        };
    a.peer = b.mine;
    String name = "N".repeat(64);
    for (int i = 0; i < 3000; i++) {
      onB.localJoined(new Member("m" + (i % 50), i + 1, "user" + i, name));
    }
    sizes.clear();
    onB.tick();
    assertTrue(sizes.size() > 1, "split: " + sizes);
    assertTrue(sizes.stream().allMatch(n -> n <= Presence.MAX_MESSAGE_BYTES), "sizes: " + sizes);
    assertEquals(
        3000, java.util.stream.IntStream.range(0, 50).map(i -> onA.remoteCount("m" + i)).sum());
    // B falls silent; A's own publishing fails, and expiry must still happen
    b.peer = bytes -> {};
    a.peer =
        bytes -> {
          throw new IllegalStateException("payload too big");
        };
    onA.localJoined(new Member("x", 99_999, "local", "Local"));
    expireAll(onA);
    assertEquals(0, onA.remoteCount("m0"));
    assertTrue(seenByA.events.contains("left user0: its server instance is unreachable"));
  }

  @Test
  void onlyTheOwningInstanceCanAnnounceADepartureOrClaimASession() {
    Wire bus = new Wire();
    Counters counters = new Counters();
    Log log = new Log();
    Presence onA = new Presence(bus, "A", log, counters);
    Member bob = new Member("m", 5, "bob", "Bob");
    bus.mine.accept(
        new PresenceMessage(PresenceMessage.Kind.ALIVE, "B", "", List.of(bob)).encode());
    bus.mine.accept(
        new PresenceMessage(PresenceMessage.Kind.LEFT, "MALLORY", "forged", List.of(bob)).encode());
    bus.mine.accept(
        new PresenceMessage(
                PresenceMessage.Kind.ALIVE,
                "MALLORY",
                "",
                List.of(new Member("m", 5, "eve", "Eve")))
            .encode());
    assertEquals(List.of("joined bob"), log.events);
    assertEquals(List.of(bob), onA.remoteMembers("m"));
    assertEquals(2, counters.get(Name.PRESENCE_REJECTED));
    bus.mine.accept(
        new PresenceMessage(PresenceMessage.Kind.LEFT, "B", "bye", List.of(bob)).encode());
    assertEquals(List.of("joined bob", "left bob: bye"), log.events);
  }

  @Test
  void helloFloodsAreAnsweredAtMostOncePerGap() {
    Wire bus = new Wire();
    Counters counters = new Counters();
    List<byte[]> sent = new ArrayList<>();
    bus.peer = sent::add;
    Presence onA = new Presence(bus, "A", new Log(), counters);
    onA.localJoined(new Member("m", 1, "a", "A"));
    sent.clear();
    byte[] hello = new PresenceMessage(PresenceMessage.Kind.HELLO, "B", "", List.of()).encode();
    for (int i = 0; i < 1000; i++) {
      bus.mine.accept(hello);
    }
    assertEquals(1, sent.size());
    assertEquals(999, counters.get(Name.PRESENCE_HELLO_IGNORED));
  }

  @Test
  void namesThatAreNotPrintableOrTooLongDoNotDecode() {
    for (String name : new String[] {"x".repeat(65), "a\u0000b", "rtl\u202Eoverride"}) {
      byte[] bad =
          new PresenceMessage(
                  PresenceMessage.Kind.ALIVE, "A", "", List.of(new Member("m", 1, "u", name)))
              .encode();
      assertThrows(IllegalArgumentException.class, () -> PresenceMessage.decode(bad), name);
    }
  }

  /** Ticks with the clock moved past the expiry (by waiting it out). */
  private static void expireAll(Presence p) {
    p.tick();
    try {
      Thread.sleep(Presence.EXPIRY.toMillis() + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    p.tick();
  }
}
