package dev.videocall.server.identity;

import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.types.DisplayNames;
import dev.videocall.types.Ids;

/**
 * Who may open a media session, decided before any transport upgrades (WebSocket and WebTransport
 * ask the same question here and answer with the same HTTP status). Open mode: the path names the
 * user and meeting ({@code /lobby/{user}/{meeting}}). With identity: only a room token does ({@code
 * /lobby?token=}, or the open path with a token that says the same).
 */
public interface Admission {
  /**
   * What the connection asked for.
   *
   * @param pathUser the {user} of /lobby/{user}/{meeting}, or null for /lobby
   * @param pathMeeting the {meeting}, or null
   * @param token the {@code token} query parameter, or null
   * @param name the {@code name} query parameter (open mode's display name), or null
   * @param e2ee whether the client says it encrypts ({@code e2ee=1}): an end-to-end encrypted
   *     meeting lets in only such clients, and such a client only into such a meeting
   */
  record Request(String pathUser, String pathMeeting, String token, String name, boolean e2ee) {}

  /** The answer. */
  sealed interface Decision permits Admitted, Refused {}

  /**
   * Let in, as this user, into this meeting, with this name. {@code decidedAtNanos} ({@link
   * System#nanoTime}) lets the relay refuse a session whose admission was decided before a host
   * removed its user or ended the meeting (the decision and the upgrade are moments apart).
   */
  record Admitted(
      String userId, String meetingId, String displayName, long decidedAtNanos, boolean e2ee)
      implements Decision {
    public Admitted(String userId, String meetingId, String displayName, boolean e2ee) {
      this(userId, meetingId, displayName, System.nanoTime(), e2ee);
    }
  }

  /**
   * The refusal when a client's encryption does not match the meeting's, or null when it does. One
   * rule for both modes: identity mode asks it with the stored meeting's flag, the relay with the
   * flag of the meeting's first session (open mode).
   */
  static Refused e2eeProblem(boolean meetingE2ee, boolean clientE2ee) {
    if (meetingE2ee == clientE2ee) {
      return null;
    }
    return meetingE2ee
        ? new Refused(
            403,
            "E2EE_REQUIRED",
            "this meeting is end-to-end encrypted and this client does not encrypt: join from"
                + " the meeting page or with videocall-cli stream --e2ee")
        : new Refused(
            409,
            "E2EE_NOT_ENABLED",
            "this meeting is not end-to-end encrypted; join without --e2ee, or create an"
                + " encrypted meeting");
  }

  /** Refused with an HTTP status, a code and a sentence for people. */
  record Refused(int status, String code, String message) implements Decision {
    /** {"success":false,"error":{...}}: the API's error shape. */
    public String json() {
      java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
      error.put("code", code);
      error.put("message", message);
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("success", false);
      out.put("error", error);
      try {
        return JSON.writeValueAsString(out);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("a map of strings is always JSON", e);
      }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();
  }

  Decision decide(Request r);

  /** True when decisions may block (a database): transports then decide off their I/O threads. */
  default boolean blocking() {
    return false;
  }

  /** Today's behaviour: the path says who and where; no identity. */
  static Admission open(Counters counters) {
    return r -> {
      if (r.pathUser() == null || r.pathMeeting() == null) {
        counters.inc(Name.REFUSED_BAD_REQUEST);
        return new Refused(
            404,
            "NOT_FOUND",
            "this server runs without identity (--auth none): connect to /lobby/{user}/{meeting}");
      }
      if (!Ids.isValid(r.pathUser()) || !Ids.isValid(r.pathMeeting())) {
        counters.inc(Name.REFUSED_BAD_REQUEST);
        return new Refused(
            400,
            "BAD_REQUEST",
            (Ids.isValid(r.pathUser()) ? "meeting id" : "user id")
                + " must match "
                + Ids.VALID.pattern());
      }
      String name = r.name();
      if (name != null && !name.isBlank() && !DisplayNames.isValid(name)) {
        counters.inc(Name.REFUSED_BAD_REQUEST);
        return new Refused(400, "BAD_REQUEST", DisplayNames.problem(name));
      }
      return new Admitted(
          r.pathUser(), r.pathMeeting(), name == null || name.isBlank() ? null : name, r.e2ee());
    };
  }
}
