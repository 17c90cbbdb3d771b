package dev.videocall.server.ws;

import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Relay;
import dev.videocall.server.core.Session;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.DisplayNames;
import dev.videocall.types.Ids;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.BatchMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket adapter: {@code /lobby/{user}/{meeting}} binary messages in and out of the relay.
 */
public final class WebSocketEndpoint {
  private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);
  public static final String PATH = "/lobby/{user}/{meeting}";
  private static final String ADDRESS = "videocall.address";

  private final Relay relay;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  public WebSocketEndpoint(Relay relay) {
    this.relay = relay;
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

  public void register(Javalin app) {
    app.wsBeforeUpgrade(
        PATH,
        ctx -> {
          for (String param : new String[] {"user", "meeting"}) {
            String id = ctx.pathParam(param);
            if (!Ids.isValid(id)) {
              relay.counters().inc(Name.REFUSED_BAD_REQUEST);
              throw new BadRequestResponse(
                  (param.equals("user") ? "user id" : "meeting id")
                      + " must match "
                      + Ids.VALID.pattern());
            }
          }
          String name = ctx.queryParam("name");
          if (name != null && !name.isBlank() && !DisplayNames.isValid(name)) {
            relay.counters().inc(Name.REFUSED_BAD_REQUEST);
            throw new BadRequestResponse(DisplayNames.problem(name));
          }
          // the client's address as Jetty sees it: the proxy's X-Forwarded-For with --trust-proxy
          String address = ctx.req().getRemoteAddr();
          ctx.attribute(ADDRESS, address);
          String problem = relay.admissionProblem(address);
          if (problem != null) {
            throw new HttpResponseException(429, problem);
          }
        });
    app.ws(
        PATH,
        ws -> {
          ws.onConnect(
              ctx -> {
                ctx.session.getRemote().setBatchMode(BatchMode.OFF);
                try {
                  Session s =
                      relay.join(
                          ctx.pathParam("user"),
                          ctx.pathParam("meeting"),
                          ctx.queryParam("name"),
                          new JettyLink(ctx.session),
                          ctx.<String>attribute(ADDRESS));
                  sessions.put(ctx.sessionId(), s);
                } catch (Relay.Refused e) {
                  ctx.closeSession(e.code(), e.getMessage());
                }
              });
          ws.onBinaryMessage(
              ctx -> {
                Session s = sessions.get(ctx.sessionId());
                if (s != null) {
                  relay.receive(s, ctx.data(), ctx.offset(), ctx.length());
                }
              });
          ws.onMessage(
              ctx -> ctx.closeSession(CloseCodes.UNPARSEABLE, "binary protobuf packets only"));
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
        });
  }
}
