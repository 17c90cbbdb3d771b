package dev.videocall.server.core;

import dev.videocall.types.DisplayNames;
import dev.videocall.types.Ids;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What server instances tell each other about their participants: HELLO (an instance joined the bus
 * or came back and wants everyone's roster now), ALIVE (these participants are here: sent on join
 * and repeated as a heartbeat) and LEFT.
 */
record PresenceMessage(Kind kind, String instanceId, String reason, List<Member> members) {
  private static final int VERSION = 1;

  /** Bytes of a message besides its instance id, reason and members (counts included). */
  static final int HEADER_BYTES = 1 + 1 + 2 + 2 + 4;

  private static final int MAX_REASON_CHARS = 256;

  enum Kind {
    HELLO,
    ALIVE,
    LEFT
  }

  /** An upper bound of what {@code m} adds to an encoded message. */
  static int encodedSize(Member m) {
    return 2
        + m.meetingId().length()
        + 8
        + 2
        + m.userId().length()
        + 2
        + 4 * m.displayName().length();
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + members.size() * 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeByte(kind.ordinal());
      out.writeUTF(instanceId);
      out.writeUTF(reason);
      out.writeInt(members.size());
      for (Member m : members) {
        out.writeUTF(m.meetingId());
        out.writeLong(m.sessionId());
        out.writeUTF(m.userId());
        out.writeUTF(m.displayName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Parses a message; throws IllegalArgumentException for anything malformed. */
  static PresenceMessage decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("presence version " + version);
      }
      int kind = in.readUnsignedByte();
      if (kind >= Kind.values().length) {
        throw new IllegalArgumentException("presence kind " + kind);
      }
      String instance = in.readUTF();
      String reason = in.readUTF();
      if (instance.isEmpty() || instance.length() > 64 || reason.length() > MAX_REASON_CHARS) {
        throw new IllegalArgumentException("presence instance id or reason out of bounds");
      }
      int count = in.readInt();
      if (count < 0 || count > data.length / 12) {
        throw new IllegalArgumentException("presence member count " + count);
      }
      List<Member> members = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String meeting = in.readUTF();
        long session = in.readLong();
        String user = in.readUTF();
        String name = in.readUTF();
        if (!Ids.isValid(meeting) || !Ids.isValid(user) || session == 0) {
          throw new IllegalArgumentException("presence member with invalid ids");
        }
        if (!DisplayNames.isValid(name)) {
          throw new IllegalArgumentException("presence member with an invalid display name");
        }
        members.add(new Member(meeting, session, user, name));
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException("trailing bytes after a presence message");
      }
      return new PresenceMessage(Kind.values()[kind], instance, reason, members);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated presence message", e);
    }
  }
}
