package dev.videocall.server.ws;

import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Relay;
import dev.videocall.server.core.Session;
import dev.videocall.server.identity.Admission;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.ConnectionAttempt;
import io.javalin.config.JavalinConfig;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket adapter: {@code /lobby?token=...} or {@code /lobby/{user}/{meeting}?token=...}
 * (with {@code --auth none}: {@code /lobby/{user}/{meeting}}) binary messages in and out of the
 * relay, once {@link Admission} agreed before the upgrade (a refusal is an HTTP status with a JSON
 * reason).
 */
public final class WebSocketEndpoint {
  private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);
  public static final String PATH = "/lobby/{user}/{meeting}";
  public static final String TOKEN_PATH = "/lobby";
  private static final String ADDRESS = "videocall.address";
  private static final String ADMITTED = "videocall.admitted";
  private static final String ATTEMPT = "videocall.attempt";

  private final Relay relay;
  private final Admission admission;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  public WebSocketEndpoint(Relay relay, Admission admission) {
    this.relay = relay;
    this.admission = admission;
  }

  /** Jetty limits: oversized messages are refused while reading, before they are buffered. */
  public void configure(JavalinConfig config) {
    Relay.Config c = relay.config();
    config.jetty.modifyWebSocketServletFactory(
        factory -> {
          factory.setMaxBinaryMessageSize(c.maxPacketBytes());
          factory.setMaxTextMessageSize(4096);
          factory.setOutputBufferSize(JettyLink.OUTPUT_BUFFER_BYTES);
          factory.setIdleTimeout(
              Duration.ofMillis(Math.max(30_000, 3 * c.heartbeatTimeout().toMillis())));
        });
  }

  public void register(JavalinDefaultRoutingApi app) {
    for (String path : new String[] {PATH, TOKEN_PATH}) {
      app.wsBeforeUpgrade(path, this::beforeUpgrade);
      app.ws(path, this::handlers);
    }
  }

  private void beforeUpgrade(io.javalin.http.Context ctx) {
    // the client's address as Jetty sees it: the proxy's X-Forwarded-For with --trust-proxy
    String address = ctx.req().getRemoteAddr();
    // the cheap check first: a full server or address costs no database read
    String problem = relay.admissionProblem(address);
    if (problem != null) {
      refuse(ctx, 429, new Admission.Refused(429, "TOO_MANY_SESSIONS", problem).json());
      return;
    }
    ConnectionAttempt attempt;
    try {
      attempt = ConnectionAttempt.parse(ctx.queryParam(ConnectionAttempt.PARAM));
    } catch (IllegalArgumentException e) {
      relay.counters().inc(Name.REFUSED_BAD_REQUEST);
      refuse(ctx, 400, new Admission.Refused(400, "BAD_REQUEST", e.getMessage()).json());
      return;
    }
    Map<String, String> params = ctx.pathParamMap();
    Admission.Decision d =
        admission.decide(
            new Admission.Request(
                params.get("user"),
                params.get("meeting"),
                ctx.queryParam("token"),
                ctx.queryParam("name"),
                "1".equals(ctx.queryParam("e2ee"))));
    if (d instanceof Admission.Refused r) {
      refuse(ctx, r.status(), r.json());
      return;
    }
    ctx.attribute(ADDRESS, address);
    ctx.attribute(ADMITTED, d);
    ctx.attribute(ATTEMPT, attempt);
  }

  /**
   * Answers the upgrade request with an error and no upgrade. Written to the servlet response
   * directly: Javalin does not write a result (or an exception handler's) for a WebSocket request,
   * so the JSON reason would be lost (Content-Length: 0).
   */
  private static void refuse(io.javalin.http.Context ctx, int status, String json) {
    ctx.skipRemainingHandlers();
    jakarta.servlet.http.HttpServletResponse res = ctx.res();
    res.setStatus(status);
    res.setContentType("application/json");
    byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    res.setContentLength(body.length);
    try {
      res.getOutputStream().write(body);
    } catch (java.io.IOException e) {
      log.debug("could not send the refusal: {}", e.toString());
    }
  }

  private void handlers(io.javalin.websocket.WsConfig ws) {
    ws.onConnect(
        ctx -> {
          Admission.Admitted a = ctx.attribute(ADMITTED);
          if (a == null) {
            ctx.closeSession(CloseCodes.UNPARSEABLE, "not admitted");
            return;
          }
          try {
            Session s =
                relay.join(
                    a.userId(),
                    a.meetingId(),
                    a.displayName(),
                    new JettyLink(ctx.session),
                    ctx.<String>attribute(ADDRESS),
                    a.decidedAtNanos(),
                    a.e2ee(),
                    ctx.<ConnectionAttempt>attribute(ATTEMPT));
            sessions.put(ctx.sessionId(), s);
          } catch (Relay.Refused e) {
            ctx.closeSession(e.code(), e.getMessage());
          }
        });
    ws.onBinaryMessage(
        ctx -> {
          Session s = sessions.get(ctx.sessionId());
          if (s != null) {
            // read before returning: Jetty may reuse the buffer (the relay copies what it keeps)
            java.nio.ByteBuffer b = ctx.data();
            if (b.hasArray()) {
              relay.receive(s, b.array(), b.arrayOffset() + b.position(), b.remaining());
            } else {
              byte[] copy = new byte[b.remaining()];
              b.duplicate().get(copy);
              relay.receive(s, copy, 0, copy.length);
            }
          }
        });
    ws.onMessage(ctx -> ctx.closeSession(CloseCodes.UNPARSEABLE, "binary protobuf packets only"));
    ws.onClose(
        ctx -> {
          Session s = sessions.remove(ctx.sessionId());
          if (s == null) {
            return;
          }
          if (ctx.status() == CloseCodes.TOO_BIG && !s.hasLeft()) {
            relay.counters().inc(Name.CLOSED_TOO_BIG);
          }
          String reason = ctx.reason();
          relay.leave(
              s,
              "connection closed ("
                  + ctx.status()
                  + (reason == null || reason.isEmpty() ? "" : ": " + reason)
                  + ")");
        });
    ws.onError(
        ctx -> {
          Session s = sessions.get(ctx.sessionId());
          Throwable error = ctx.error();
          log.debug("websocket error on {}: {}", s, error == null ? "?" : error.toString());
        });
  }
}
