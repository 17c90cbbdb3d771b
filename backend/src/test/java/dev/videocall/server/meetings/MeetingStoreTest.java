package dev.videocall.server.meetings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.server.meetings.MeetingStore.Meeting;
import dev.videocall.server.meetings.MeetingStore.State;
import dev.videocall.testkit.PostgresProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store against both databases it runs on: embedded H2 and a real PostgreSQL. */
class MeetingStoreTest {
  private static PostgresProcess postgres;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresProcess.start("store");
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static Database open(String which) {
    return "h2".equals(which)
        ? Database.open(Database.embeddedUrl(dir.resolve("h2-" + System.nanoTime())), null, null, 4)
        : Database.open(postgres.jdbcUrl(), postgres.user(), null, 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void meetingsHostsAndTheWaitingRoom(String which) {
    try (Database db = open(which)) {
      MeetingStore store = new MeetingStore(db.dataSource());
      String id = which + "-m1";
      store.create(
          new Meeting(id, "Stand-up ✓", "g-host", 1000, true, false, null, false), "Hoster");
      assertThrows(
          MeetingStore.Exists.class,
          () -> store.create(new Meeting(id, "again", "g-x", 1001, true, false, null, false), "X"));
      Meeting m = store.find(id).orElseThrow();
      assertEquals("Stand-up ✓", m.title());
      assertTrue(m.waitingRoom() && !m.locked() && !m.ended());
      assertTrue(store.isHost(id, "g-host"));
      assertEquals(State.ADMITTED, store.participant(id, "g-host").orElseThrow().state());

      store.setState(id, "g-ann", "Ann", State.WAITING, 2000);
      store.setState(id, "g-ben", "Ben", State.WAITING, 2001);
      assertEquals(
          List.of("g-ann", "g-ben"), store.waiting(id, 0).stream().map(p -> p.subject()).toList());
      assertEquals(2, store.waitingCount(id, 0));
      assertTrue(store.decide(id, "g-ann", State.WAITING, State.ADMITTED, "g-host", 3000));
      assertFalse(
          store.decide(id, "g-ann", State.WAITING, State.REJECTED, "g-host", 3001), "decided once");
      assertEquals(1, store.admitAll(id, "g-host", 3002));
      assertEquals(0, store.waitingCount(id, 0));

      assertTrue(store.addHost(id, "g-ann", 4000));
      assertFalse(store.addHost(id, "g-ann", 4001));
      assertEquals(List.of("g-host", "g-ann"), store.hosts(id));
      assertEquals(List.of(id), store.hostedBy("g-ann").stream().map(Meeting::id).toList());
      assertTrue(store.removeHost(id, "g-ann"));

      // who stopped asking is not listed; asking again lists them again
      store.setState(id, "g-cat", "Cat", State.WAITING, 4500);
      assertEquals(0, store.waitingCount(id, 4501));
      assertTrue(store.seen(id, "g-cat", 4600, 4501), "was stale");
      assertFalse(store.seen(id, "g-cat", 4700, 4501));
      assertEquals(1, store.waitingCount(id, 4501));
      // a removal or rejection is final: a join that read an older state cannot undo it
      assertTrue(store.setState(id, "g-cat", "Cat", State.REMOVED, 4800));
      assertFalse(store.setState(id, "g-cat", "Cat", State.ADMITTED, 4801));
      assertFalse(store.setState(id, "g-cat", "Cat", State.WAITING, 4802));
      assertEquals(State.REMOVED, store.participant(id, "g-cat").orElseThrow().state());
      store.setState(id, "g-dan", "Dan", State.WAITING, 4803);
      assertTrue(store.decide(id, "g-dan", State.WAITING, State.REJECTED, "g-host", 4804));
      assertFalse(store.setState(id, "g-dan", "Dan", State.WAITING, 4805), "rejected is final");
      assertTrue(store.setState(id, "g-dan", "Dan", State.REMOVED, 4806), "removal overrides");

      store.joined(id, "g-ben", 5000);
      assertEquals(5000L, store.participant(id, "g-ben").orElseThrow().lastJoinedAtMs());
      store.setLocked(id, true);
      store.setWaitingRoom(id, false);
      store.setEnded(id, 6000L);
      m = store.find(id).orElseThrow();
      assertTrue(m.locked() && !m.waitingRoom() && m.ended());
      store.setEnded(id, null);
      assertFalse(store.find(id).orElseThrow().ended());

      // idle meetings go, with their hosts and participants; one in use stays
      String idle = which + "-idle";
      store.create(new Meeting(idle, idle, "g-old", 100, true, false, null, false), "Old");
      store.joined(idle, "g-old", 200);
      // (other tests' meetings may share this database: at least this one)
      assertTrue(store.purgeIdle(4999) >= 1, "the meeting unused since before 4999");
      assertTrue(store.find(idle).isEmpty());
      assertTrue(store.hostedBy("g-old").isEmpty());
      assertTrue(store.find(id).isPresent(), "g-ben joined at 5000");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void migrationsRunOnceAndStateSurvivesReopening(String which) {
    String id = which + "-durable";
    Path h2 = dir.resolve("durable-" + which);
    String url = "h2".equals(which) ? Database.embeddedUrl(h2) : postgres.jdbcUrl();
    String user = "h2".equals(which) ? null : postgres.user();
    try (Database db = Database.open(url, user, null, 2)) {
      new MeetingStore(db.dataSource())
          .create(new Meeting(id, id, "g-h", 1, true, false, null, false), "H");
    }
    try (Database db = Database.open(url, user, null, 2)) {
      MeetingStore store = new MeetingStore(db.dataSource());
      assertTrue(store.isHost(id, "g-h"), "kept across a restart");
    }
  }
}
