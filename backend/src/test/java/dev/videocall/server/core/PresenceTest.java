package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
