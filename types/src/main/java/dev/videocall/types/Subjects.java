package dev.videocall.types;

/**
 * NATS subjects, compatible with videocall.rs: a sender publishes to {@code room.M.S}.
 *
 * <p>Ids may contain '.', the NATS token separator, so each id becomes one token with '.' written
 * as '~' (not in the id alphabet, so the mapping is one-to-one). Without this, meeting "m" with
 * user "1.alice" would publish into the subject space of meeting "m.1".
 */
public final class Subjects {
  private static final String PREFIX = "room.";

  private Subjects() {}

  /** Where a packet from {@code senderUserId} in {@code meetingId} is published. */
  public static String publish(String meetingId, String senderUserId) {
    return PREFIX + token("meeting id", meetingId) + "." + token("user id", senderUserId);
  }

  /** What a server subscribes to in order to receive every packet of a meeting. */
  public static String meeting(String meetingId) {
    return PREFIX + token("meeting id", meetingId) + ".*";
  }

  private static String token(String what, String id) {
    return Ids.require(what, id).replace('.', '~');
  }
}
