package dev.videocall.server.meetings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Meetings, hosts and participants in the database (plain JDBC; the same SQL on H2 and PostgreSQL).
 * No rules here: {@link Meetings} decides, this class remembers.
 */
public final class MeetingStore {
  /** A meeting as stored. */
  public record Meeting(
      String id,
      String title,
      String createdBy,
      long createdAtMs,
      boolean waitingRoom,
      boolean locked,
      Long endedAtMs,
      boolean e2ee) {
    public boolean ended() {
      return endedAtMs != null;
    }
  }

  /** Where someone stands with a meeting. */
  public enum State {
    WAITING,
    ADMITTED,
    REJECTED,
    REMOVED
  }

  /** Someone who asked to join a meeting (or joined it). */
  public record Participant(
      String meetingId,
      String subject,
      String displayName,
      State state,
      long requestedAtMs,
      Long lastJoinedAtMs) {}

  /** The id is taken. */
  public static final class Exists extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exists(String id) {
      super("a meeting with the id " + id + " exists");
    }
  }

  private final DataSource db;

  public MeetingStore(DataSource db) {
    this.db = db;
  }

  /** Creates a meeting with its creator as host (and admitted participant). */
  public Meeting create(Meeting m, String creatorName) {
    return inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO meetings (id, title, created_by, created_at, waiting_room, locked,"
                      + " e2ee) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, m.id());
            s.setString(2, m.title());
            s.setString(3, m.createdBy());
            s.setLong(4, m.createdAtMs());
            s.setBoolean(5, m.waitingRoom());
            s.setBoolean(6, m.locked());
            s.setBoolean(7, m.e2ee());
            s.executeUpdate();
          } catch (SQLException e) {
            if (duplicate(e)) {
              throw new Exists(m.id());
            }
            throw e;
          }
          insertHost(c, m.id(), m.createdBy(), m.createdAtMs());
          upsertParticipant(c, m.id(), m.createdBy(), creatorName, State.ADMITTED, m.createdAtMs());
          return m;
        });
  }

  public Optional<Meeting> find(String id) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id, title, created_by, created_at, waiting_room, locked, ended_at,"
                      + " e2ee FROM meetings WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(meeting(r)) : Optional.<Meeting>empty();
            }
          }
        });
  }

  /** The meetings {@code subject} hosts, newest first. */
  public List<Meeting> hostedBy(String subject) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT m.id, m.title, m.created_by, m.created_at, m.waiting_room, m.locked,"
                      + " m.ended_at, m.e2ee FROM meetings m JOIN meeting_hosts h ON h.meeting_id = m.id"
                      + " WHERE h.subject = ? ORDER BY m.created_at DESC")) {
            s.setString(1, subject);
            List<Meeting> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(meeting(r));
              }
            }
            return out;
          }
        });
  }

  public List<String> hosts(String meetingId) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT subject FROM meeting_hosts WHERE meeting_id = ? ORDER BY since")) {
            s.setString(1, meetingId);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(r.getString(1));
              }
            }
            return out;
          }
        });
  }

  public boolean isHost(String meetingId, String subject) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT 1 FROM meeting_hosts WHERE meeting_id = ? AND subject = ?")) {
            s.setString(1, meetingId);
            s.setString(2, subject);
            try (ResultSet r = s.executeQuery()) {
              return r.next();
            }
          }
        });
  }

  /** Adds a host; false when they already were one. */
  public boolean addHost(String meetingId, String subject, long nowMs) {
    return inTransaction(c -> insertHost(c, meetingId, subject, nowMs));
  }

  public boolean removeHost(String meetingId, String subject) {
    return update(
            "DELETE FROM meeting_hosts WHERE meeting_id = ? AND subject = ?", meetingId, subject)
        > 0;
  }

  public Optional<Participant> participant(String meetingId, String subject) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT meeting_id, subject, display_name, state, requested_at, last_joined_at"
                      + " FROM participants WHERE meeting_id = ? AND subject = ?")) {
            s.setString(1, meetingId);
            s.setString(2, subject);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(participant(r)) : Optional.<Participant>empty();
            }
          }
        });
  }

  /** Sets someone's state (and name), adding them when they were not known. */
  /**
   * Records where someone stands. A removal or rejection is final: nothing but another removal
   * overwrites it, so a join that read the old state just before a host's decision cannot undo it.
   *
   * @return false when the row was final and stays as it was
   */
  public boolean setState(String meetingId, String subject, String name, State state, long nowMs) {
    return inTransaction(c -> upsertParticipant(c, meetingId, subject, name, state, nowMs));
  }

  /**
   * A waiting guest asked again: still there.
   *
   * @return true when hosts had stopped listing them (not seen since {@code staleBeforeMs})
   */
  public boolean seen(String meetingId, String subject, long nowMs, long staleBeforeMs) {
    int stale =
        update(
            "UPDATE participants SET seen_at = ? WHERE meeting_id = ? AND subject = ?"
                + " AND state = 'WAITING' AND seen_at < ?",
            nowMs,
            meetingId,
            subject,
            staleBeforeMs);
    if (stale > 0) {
      return true;
    }
    update(
        "UPDATE participants SET seen_at = ? WHERE meeting_id = ? AND subject = ?"
            + " AND state = 'WAITING'",
        nowMs,
        meetingId,
        subject);
    return false;
  }

  /**
   * Moves someone from one state to another (admit or reject a waiting guest); false when they were
   * not in {@code from} (already decided, or never asked).
   */
  public boolean decide(
      String meetingId, String subject, State from, State to, String by, long nowMs) {
    return update(
            "UPDATE participants SET state = ?, decided_at = ?, decided_by = ?"
                + " WHERE meeting_id = ? AND subject = ? AND state = ?",
            to.name(),
            nowMs,
            by,
            meetingId,
            subject,
            from.name())
        > 0;
  }

  /** Admits everyone waiting; returns how many. */
  public int admitAll(String meetingId, String by, long nowMs) {
    return update(
        "UPDATE participants SET state = 'ADMITTED', decided_at = ?, decided_by = ?"
            + " WHERE meeting_id = ? AND state = 'WAITING'",
        nowMs,
        by,
        meetingId);
  }

  /** Who waits and asked since {@code seenSinceMs}, first come first. */
  public List<Participant> waiting(String meetingId, long seenSinceMs) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT meeting_id, subject, display_name, state, requested_at, last_joined_at"
                      + " FROM participants WHERE meeting_id = ? AND state = 'WAITING'"
                      + " AND seen_at >= ? ORDER BY requested_at")) {
            s.setString(1, meetingId);
            s.setLong(2, seenSinceMs);
            List<Participant> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(participant(r));
              }
            }
            return out;
          }
        });
  }

  public int waitingCount(String meetingId, long seenSinceMs) {
    return query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM participants WHERE meeting_id = ? AND state = 'WAITING'"
                      + " AND seen_at >= ?")) {
            s.setString(1, meetingId);
            s.setLong(2, seenSinceMs);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getInt(1);
            }
          }
        });
  }

  /** A media connection of {@code subject} opened now (the longest present becomes host). */
  public void joined(String meetingId, String subject, long nowMs) {
    update(
        "UPDATE participants SET last_joined_at = ? WHERE meeting_id = ? AND subject = ?",
        nowMs,
        meetingId,
        subject);
  }

  /**
   * Deletes meetings created before {@code cutoffMs} that nobody joined, asked to join or waited
   * for since then (hosts and participants go with them); returns how many.
   */
  public int purgeIdle(long cutoffMs) {
    return update(
        "DELETE FROM meetings WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM participants p"
            + " WHERE p.meeting_id = meetings.id AND (p.requested_at >= ? OR p.last_joined_at >= ?"
            + " OR p.seen_at >= ?))",
        cutoffMs,
        cutoffMs,
        cutoffMs,
        cutoffMs);
  }

  public void setLocked(String meetingId, boolean locked) {
    update("UPDATE meetings SET locked = ? WHERE id = ?", locked, meetingId);
  }

  public void setWaitingRoom(String meetingId, boolean on) {
    update("UPDATE meetings SET waiting_room = ? WHERE id = ?", on, meetingId);
  }

  public void setTitle(String meetingId, String title) {
    update("UPDATE meetings SET title = ? WHERE id = ?", title, meetingId);
  }

  /** Ends the meeting (null: opens it again). */
  public void setEnded(String meetingId, Long atMs) {
    query(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE meetings SET ended_at = ? WHERE id = ?")) {
            if (atMs == null) {
              s.setNull(1, java.sql.Types.BIGINT);
            } else {
              s.setLong(1, atMs);
            }
            s.setString(2, meetingId);
            return s.executeUpdate();
          }
        });
  }

  // ---- JDBC plumbing ----

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T query(Work<T> work) {
    try (Connection c = db.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new IllegalStateException("database: " + e.getMessage(), e);
    }
  }

  private <T> T inTransaction(Work<T> work) {
    try (Connection c = db.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("database: " + e.getMessage(), e);
    }
  }

  private int update(String sql, Object... params) {
    return query(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
              s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
          }
        });
  }

  private static boolean insertHost(Connection c, String meetingId, String subject, long nowMs)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO meeting_hosts (meeting_id, subject, since) VALUES (?, ?, ?)")) {
      s.setString(1, meetingId);
      s.setString(2, subject);
      s.setLong(3, nowMs);
      s.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (duplicate(e)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean upsertParticipant(
      Connection c, String meetingId, String subject, String name, State state, long nowMs)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE participants SET display_name = ?, state = ?, requested_at = ?, seen_at = ?"
                + " WHERE meeting_id = ? AND subject = ?"
                + " AND (state NOT IN ('REMOVED', 'REJECTED') OR ? = 'REMOVED')")) {
      s.setString(1, name);
      s.setString(2, state.name());
      s.setLong(3, nowMs);
      s.setLong(4, nowMs);
      s.setString(5, meetingId);
      s.setString(6, subject);
      s.setString(7, state.name());
      if (s.executeUpdate() > 0) {
        return true;
      }
    }
    try (PreparedStatement s =
        c.prepareStatement("SELECT 1 FROM participants WHERE meeting_id = ? AND subject = ?")) {
      s.setString(1, meetingId);
      s.setString(2, subject);
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          return false; // removed or rejected: final
        }
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO participants"
                + " (meeting_id, subject, display_name, state, requested_at, seen_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, meetingId);
      s.setString(2, subject);
      s.setString(3, name);
      s.setString(4, state.name());
      s.setLong(5, nowMs);
      s.setLong(6, nowMs);
      s.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (!duplicate(e)) {
        throw e;
      }
      // a concurrent request inserted the row between our update and insert: a conflict the
      // caller retries (its transaction is rolled back)
      throw new java.sql.SQLTransientException("concurrent change, try again", e);
    }
  }

  /** A unique key violation: SQLState 23505 on H2 and PostgreSQL alike. */
  private static boolean duplicate(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  private static Meeting meeting(ResultSet r) throws SQLException {
    long ended = r.getLong(7);
    boolean endedNull = r.wasNull();
    return new Meeting(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getLong(4),
        r.getBoolean(5),
        r.getBoolean(6),
        endedNull ? null : ended,
        r.getBoolean(8));
  }

  private static Participant participant(ResultSet r) throws SQLException {
    long joined = r.getLong(6);
    boolean joinedNull = r.wasNull();
    return new Participant(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        State.valueOf(r.getString(4)),
        r.getLong(5),
        joinedNull ? null : joined);
  }
}
