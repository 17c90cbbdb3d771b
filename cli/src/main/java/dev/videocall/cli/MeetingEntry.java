package dev.videocall.cli;

import dev.videocall.client.GuestAccess;
import dev.videocall.client.VideocallClient;
import dev.videocall.types.Ids;
import java.net.URI;
import java.time.Duration;

/**
 * How this program gets into a meeting, as the page does: with identity on (the server's default) a
 * guest identity for the display name and a room token for the meeting, waiting for a host when the
 * meeting has a waiting room; a token given with {@code --token} as it is; without identity ({@code
 * --auth none}) the open {@code /lobby/USER/MEETING} path with {@code --user-id}.
 */
final class MeetingEntry {
  /** A way in: a room token, or (open mode) a user id, meeting and display name. */
  record Way(String token, String user, String meeting, String displayName, boolean e2ee) {
    Way(String token, String user, String meeting, String displayName) {
      this(token, user, meeting, displayName, false);
    }

    /** The same way in, encrypting end to end (the meeting must be an encrypted one). */
    Way encrypting(boolean on) {
      return new Way(token, user, meeting, displayName, on);
    }

    VideocallClient.Builder apply(VideocallClient.Builder b) {
      return (token != null
              ? b.token(token)
              : b.user(user).meeting(meeting).displayName(displayName))
          .e2ee(e2ee);
    }

    /** For messages: who this is. */
    String who() {
      return token != null ? displayName : user;
    }
  }

  private MeetingEntry() {}

  /**
   * @param user the open mode's user id (null: required only if the server has no identity)
   * @param token a room token to use as it is, or null
   * @param patience how long to wait in the waiting room
   */
  static Way find(
      URI server, String user, String meeting, String name, String token, Duration patience) {
    if (token != null) {
      return new Way(token, null, null, name);
    }
    GuestAccess api = new GuestAccess(server);
    GuestAccess.Identity me;
    try {
      me = api.guest(name);
    } catch (dev.videocall.client.ConnectFailed e) {
      throw new Connection.Unanswered("server unreachable: nothing answers at " + server, e);
    } catch (GuestAccess.ApiError e) {
      if (!"IDENTITY_OFF".equals(e.code())) {
        throw new IllegalStateException("the server refused a guest identity: " + e.getMessage());
      }
      if (user == null) {
        throw new IllegalArgumentException(
            "this server runs without identity (--auth none): give --user-id");
      }
      return new Way(null, Ids.require("user id", user), meeting, name);
    }
    try {
      GuestAccess.Join j = api.join(me, meeting);
      if (!j.admitted()) {
        System.err.println(
            "waiting for a host of "
                + meeting
                + " to let "
                + name
                + " in (up to "
                + patience
                + ")");
        j = api.joinAndWait(me, meeting, patience);
      }
      return new Way(j.token(), me.subject(), meeting, name);
    } catch (GuestAccess.ApiError e) {
      throw new IllegalStateException("could not join " + meeting + ": " + e.getMessage());
    }
  }
}
