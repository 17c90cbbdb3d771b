package dev.videocall.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * The server's REST API as a program uses it (the page does the same): a guest identity for a
 * display name, then a room token for a meeting ({@code join}), waiting in the waiting room when
 * the meeting has one. Hosts' actions too. Every failure is an {@link ApiError} with the server's
 * code and message.
 */
public final class GuestAccess {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Who the server says this client is. */
  public record Identity(String subject, String name, String token) {}

  /** Where a join stands: "admitted" (with a room token), "waiting" or "rejected". */
  public record Join(String status, String token, boolean host) {
    public boolean admitted() {
      return "admitted".equals(status);
    }
  }

  /** The server refused: HTTP status, its code (e.g. MEETING_LOCKED) and its message. */
  public static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    ApiError(int status, String code, String message) {
      super(status + " " + code + ": " + message);
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }
  }

  private final URI server;
  private final HttpClient http;

  public GuestAccess(URI server) {
    this(server, List.of());
  }

  /** Trusting these certificates too (a private CA, a self-signed server). */
  public GuestAccess(URI server, List<X509Certificate> trusted) {
    this.server = URI.create(server.toString().replaceAll("/+$", ""));
    this.http =
        trusted.isEmpty()
            ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
            : HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(Trust.sslContext(trusted))
                .build();
  }

  /** Whether the server has identity on ({@code false}: {@code --auth none}, open paths). */
  public boolean identityOn() {
    JsonNode r = call("POST", "/api/v1/guests", null, JSON.createObjectNode().put("name", "probe"));
    return "guest".equals(r.path("auth").asText());
  }

  /** A guest identity with this display name. */
  public Identity guest(String name) {
    JsonNode r = call("POST", "/api/v1/guests", null, JSON.createObjectNode().put("name", name));
    if (!"guest".equals(r.path("auth").asText())) {
      throw new ApiError(404, "IDENTITY_OFF", "the server runs without identity (--auth none)");
    }
    return new Identity(
        r.path("subject").asText(), r.path("name").asText(), r.path("token").asText());
  }

  /** A meeting with {@code who} as host; id null for a random one. */
  public String create(Identity who, String id, String title, Boolean waitingRoom) {
    return create(who, id, title, waitingRoom, false);
  }

  /** As {@link #create(Identity, String, String, Boolean)}; {@code e2ee}: end-to-end encrypted. */
  public String create(Identity who, String id, String title, Boolean waitingRoom, boolean e2ee) {
    ObjectNode body = JSON.createObjectNode();
    if (e2ee) {
      body.put("e2ee", true);
    }
    if (id != null) {
      body.put("id", id);
    }
    if (title != null) {
      body.put("title", title);
    }
    if (waitingRoom != null) {
      body.put("waitingRoom", waitingRoom);
    }
    return call("POST", "/api/v1/meetings", who, body).path("id").asText();
  }

  /** Asks to join (a meeting that does not exist is created, with {@code who} as host). */
  public Join join(Identity who, String meeting) {
    return join(
        call("POST", "/api/v1/meetings/" + meeting + "/join", who, JSON.createObjectNode()));
  }

  /** Where a join stands, waiting up to {@code waitSeconds} for a host's decision. */
  public Join status(Identity who, String meeting, int waitSeconds) {
    return join(
        call("GET", "/api/v1/meetings/" + meeting + "/status?wait=" + waitSeconds, who, null));
  }

  /**
   * Joins and waits in the waiting room until a host decides or {@code patience} runs out; throws
   * {@link ApiError} when rejected or refused.
   */
  public Join joinAndWait(Identity who, String meeting, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    Join j = join(who, meeting);
    while ("waiting".equals(j.status())) {
      long left = (deadline - System.nanoTime()) / 1_000_000_000L;
      if (left <= 0) {
        throw new ApiError(408, "STILL_WAITING", "no host let us in within " + patience);
      }
      j = status(who, meeting, (int) Math.min(25, left));
    }
    if (!j.admitted()) {
      throw new ApiError(403, "REJECTED", "a host did not let us in");
    }
    return j;
  }

  /** A host's action: POST {@code /api/v1/meetings/{meeting}/{path}} with {@code body}. */
  public JsonNode act(Identity host, String meeting, String path, ObjectNode body) {
    return call("POST", "/api/v1/meetings/" + meeting + "/" + path, host, body);
  }

  public JsonNode get(Identity who, String path) {
    return call("GET", path, who, null);
  }

  public static ObjectNode body() {
    return JSON.createObjectNode();
  }

  private static Join join(JsonNode r) {
    return new Join(
        r.path("status").asText(),
        r.hasNonNull("token") ? r.path("token").asText() : null,
        r.path("host").asBoolean(false));
  }

  /**
   * One API call; a 429 (over the server's per-address rate, e.g. many bots from one machine) is
   * tried again after a pause, for up to a minute.
   */
  private JsonNode call(String method, String path, Identity who, ObjectNode body) {
    for (int attempt = 0; ; attempt++) {
      try {
        return callOnce(method, path, who, body);
      } catch (ApiError e) {
        if (e.status() != 429 || attempt >= 60) {
          throw e;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private JsonNode callOnce(String method, String path, Identity who, ObjectNode body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(40));
    if (who != null) {
      b.header("Authorization", "Bearer " + who.token());
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ConnectFailed("cannot reach " + server + ": " + e.getMessage(), 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectFailed("interrupted", 0, e);
    }
    JsonNode r;
    try {
      r = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ApiError(response.statusCode(), "NOT_JSON", "the server's answer is not JSON");
    }
    if (!r.path("success").asBoolean(false)) {
      JsonNode e = r.path("error");
      throw new ApiError(
          response.statusCode(), e.path("code").asText("?"), e.path("message").asText(""));
    }
    return r.path("result");
  }
}
