package dev.videocall.web.app;

import dev.videocall.web.browser.Http;
import dev.videocall.web.browser.Js;

/**
 * Who this browser is, and its way into a meeting, through the server's API ({@code /api/v1}).
 *
 * <p>With identity on (the server's default) the server makes up a subject for a display name and
 * signs an identity token for it, kept in localStorage: a reload or a second tab is the same person
 * (the second tab replaces the first), and two people with one name are two people. A meeting is
 * entered with a room token from {@code POST .../join}, or after a host lets this person in from
 * the waiting room. With {@code --auth none} the server only hands out a user id, and the open
 * {@code /lobby/{user}/{meeting}} path is used.
 */
final class MeetingAccess {
  /** An API answer: the {@code result} on success, or the error's status, code and message. */
  interface Answer {
    void ok(String result);

    void failed(int status, String code, String message);
  }

  private final String meeting;
  private boolean open;
  private boolean e2ee;
  private String user;
  private String token;
  private String name;
  private boolean host;
  private String roomToken;
  private double roomTokenAtMs;

  private final String preferredUser;

  /**
   * @param preferredUser the user id of a {@code /meeting/<user>/<meeting>} link, used as such only
   *     without identity (with identity the server names everyone); null for none
   */
  MeetingAccess(String meeting, String preferredUser) {
    this.meeting = meeting;
    this.preferredUser = preferredUser;
  }

  /**
   * Whether the meeting is end-to-end encrypted: the server says so when it lets this person in;
   * without identity the link says so ({@code ?e2ee=1}).
   */
  boolean e2ee() {
    return open ? expectsEncryption() : e2ee;
  }

  /** The link says {@code ?e2ee=1}, or this device saw the meeting encrypted before. */
  private boolean expectsEncryption() {
    return "1".equals(dev.videocall.web.browser.Page.queryParam("e2ee"))
        || "1".equals(Prefs.get("e2ee:" + meeting));
  }

  /** Whether the server runs without identity ({@code --auth none}). */
  boolean open() {
    return open;
  }

  /** The user id sessions carry: the server's subject for this person. */
  String user() {
    return user;
  }

  String meeting() {
    return meeting;
  }

  /** Whether the server has said who this browser is (see {@link #identify}). */
  boolean identified() {
    return user != null && (open || token != null);
  }

  /** Whether this person was a host when last admitted. */
  boolean host() {
    return host;
  }

  /** The name joins are asked under (the meeting shows it; the identity's is only a default). */
  void setName(String displayName) {
    name = displayName;
  }

  /** An identity for {@code displayName}: the same subject as before when the browser has one. */
  void identify(String displayName, Answer done) {
    String known = Prefs.get("identity");
    call(
        "POST",
        "/api/v1/guests",
        known == null || known.isEmpty() ? null : known,
        Http.object("name", displayName),
        new Answer() {
          @Override
          public void ok(String r) {
            if (name == null) {
              name = displayName; // a join's name (setName) wins over a prepared identity's
            }
            if ("none".equals(Http.field(r, "auth"))) {
              open = true;
              String stored = Prefs.get("user");
              if (preferredUser != null) {
                user = preferredUser;
              } else {
                user = stored != null && Main.isId(stored) ? stored : Http.field(r, "userId");
                Prefs.set("user", user);
              }
            } else {
              open = false;
              user = Http.field(r, "subject");
              token = Http.field(r, "token");
              Prefs.set("identity", token);
            }
            done.ok(r);
          }

          @Override
          public void failed(int status, String code, String message) {
            done.failed(status, code, message);
          }
        });
  }

  /**
   * Asks to join: the result's {@code status} is "admitted" (a room token is kept for {@link
   * #lobbyPath}), "waiting" or "rejected".
   */
  void join(Answer done) {
    if (open) {
      done.ok(Http.object("status", "admitted"));
      return;
    }
    call(
        "POST",
        "/api/v1/meetings/" + meeting + "/join",
        token,
        Http.object("name", name),
        tokenKeeping(done));
  }

  /** Where a waiting join stands, the server holding the answer up to {@code waitSeconds}. */
  void status(int waitSeconds, Answer done) {
    call(
        "GET",
        "/api/v1/meetings/" + meeting + "/status?wait=" + waitSeconds,
        token,
        null,
        tokenKeeping(done));
  }

  private Answer tokenKeeping(Answer done) {
    return new Answer() {
      @Override
      public void ok(String r) {
        if ("admitted".equals(Http.field(r, "status"))) {
          roomToken = Http.field(r, "token");
          roomTokenAtMs = Js.now();
          host = "true".equals(Http.field(r, "host"));
          e2ee = "true".equals(Http.field(r, "meeting.e2ee"));
          if (!e2ee && expectsEncryption()) {
            // the link or this device knew the meeting as encrypted: a server that now says
            // otherwise is not believed
            done.failed(
                409,
                "E2EE_DOWNGRADE",
                "This meeting was end-to-end encrypted, but the server now says it is not. Not"
                    + " joining: ask the host for a new link.");
            return;
          }
          if (e2ee) {
            Prefs.set("e2ee:" + meeting, "1");
          }
        }
        done.ok(r);
      }

      @Override
      public void failed(int status, String code, String message) {
        done.failed(status, code, message);
      }
    };
  }

  /**
   * The media path for a (re)connect: with identity, a room token fresh from the server (a token
   * only lives a minute; a host's decision since the last one counts). A refusal says why.
   */
  void lobbyPath(String displayName, Answer done) {
    if (open) {
      done.ok(
          "/lobby/"
              + user
              + "/"
              + meeting
              + (displayName == null || displayName.isEmpty()
                  ? "?e2ee=" + (e2ee() ? "1" : "0")
                  : "?name=" + Js.encodeUri(displayName) + "&e2ee=" + (e2ee() ? "1" : "0")));
      return;
    }
    if (roomToken != null && Js.now() - roomTokenAtMs < 20_000) {
      String t = roomToken;
      roomToken = null; // once: a reconnect asks again
      done.ok("/lobby?token=" + Js.encodeUri(t) + (e2ee ? "&e2ee=1" : ""));
      return;
    }
    join(
        new Answer() {
          @Override
          public void ok(String r) {
            if (!"admitted".equals(Http.field(r, "status"))) {
              done.failed(403, "NOT_ADMITTED", "a host has not let you in again");
              return;
            }
            roomToken = null;
            done.ok(
                "/lobby?token=" + Js.encodeUri(Http.field(r, "token")) + (e2ee ? "&e2ee=1" : ""));
          }

          @Override
          public void failed(int status, String code, String message) {
            done.failed(status, code, message);
          }
        });
  }

  /** Gives up waiting. */
  void cancel() {
    call("POST", "/api/v1/meetings/" + meeting + "/cancel", token, "{}", ignore());
  }

  /** The meeting as this person may see it (hosts, state, "you"). */
  void meetingView(Answer done) {
    call("GET", "/api/v1/meetings/" + meeting, token, null, done);
  }

  /** GET {@code /api/v1/meetings/<meeting>/<path>}. */
  void get(String path, Answer done) {
    call("GET", "/api/v1/meetings/" + meeting + "/" + path, token, null, done);
  }

  /** POST {@code /api/v1/meetings/<meeting>/<path>} with a JSON body. */
  void post(String path, String json, Answer done) {
    call("POST", "/api/v1/meetings/" + meeting + "/" + path, token, json, done);
  }

  /** A new meeting with this person as host; its id in the result. */
  void create(boolean endToEndEncrypted, Answer done) {
    call(
        "POST",
        "/api/v1/meetings",
        token,
        endToEndEncrypted ? Http.object("e2ee", true) : "{}",
        done);
  }

  static Answer ignore() {
    return new Answer() {
      @Override
      public void ok(String result) {}

      @Override
      public void failed(int status, String code, String message) {
        dev.videocall.web.browser.Page.log(
            "request failed: " + status + " " + code + " " + message);
      }
    };
  }

  private static void call(String method, String url, String bearer, String json, Answer done) {
    Http.request(
        method,
        url,
        bearer,
        json,
        (status, body) -> {
          if (status >= 200 && status < 300 && "true".equals(Http.field(body, "success"))) {
            done.ok(Http.field(body, "result"));
            return;
          }
          String code = Http.field(body, "error.code");
          String message = Http.field(body, "error.message");
          done.failed(
              status,
              code == null ? (status == 0 ? "UNREACHABLE" : "HTTP_" + status) : code,
              message == null
                  ? (status == 0 ? "the server cannot be reached" : "the server said " + status)
                  : message);
        });
  }
}
