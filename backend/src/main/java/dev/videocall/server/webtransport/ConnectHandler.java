package dev.videocall.server.webtransport;

import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Relay;
import dev.videocall.server.identity.Admission;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.ConnectionAttempt;
import dev.videocall.types.webtransport.Capsule;
import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.webtransport.Capsules;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request stream: an extended CONNECT with {@code :protocol webtransport} to {@code
 * /lobby?token=...} or {@code /lobby/{user}/{meeting}?token=...} (with {@code --auth none}: {@code
 * /lobby/{user}/{meeting}}) opens a session once {@link Admission} agrees (the stream stays open
 * while it lasts); anything else is answered with an HTTP error (a JSON reason for refusals) and
 * closed.
 */
final class ConnectHandler extends Http3RequestStreamInboundHandler {
  private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);

  private final WebTransportConnection connection;
  private final Relay relay;
  private final Admission admission;
  private final Capsule.Reader capsules = new Capsule.Reader(4096);
  private WebTransportSession session;
  private boolean deciding;

  /** Which connection of its page this CONNECT is ({@code ?attempt=}), or null. */
  private ConnectionAttempt attempt;

  ConnectHandler(WebTransportConnection connection, Relay relay, Admission admission) {
    this.connection = connection;
    this.relay = relay;
    this.admission = admission;
  }

  @Override
  protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
    Http3Headers h = frame.headers();
    if (session != null || deciding) {
      return; // trailers
    }
    CharSequence protocol = h.get(":protocol");
    if (!"CONNECT".contentEquals(h.method())
        || protocol == null
        || !WebTransportProtocol.PROTOCOL.contentEquals(protocol)) {
      respond(ctx, 405, null);
      return;
    }
    String path = h.path() == null ? "" : h.path().toString();
    String query = "";
    int q = path.indexOf('?');
    if (q >= 0) {
      query = path.substring(q + 1);
      path = path.substring(0, q);
    }
    String[] parts = path.split("/");
    boolean open = parts.length == 4 && "lobby".equals(parts[1]);
    boolean withToken = parts.length == 2 && "lobby".equals(parts[1]);
    if (!open && !withToken) {
      respond(ctx, 404, null);
      return;
    }
    String name;
    String token;
    boolean e2ee;
    try {
      name = queryParam(query, "name");
      token = queryParam(query, "token");
      e2ee = "1".equals(queryParam(query, "e2ee"));
    } catch (IllegalArgumentException e) {
      relay.counters().inc(Counters.Name.REFUSED_BAD_REQUEST);
      respond(ctx, 400, new Admission.Refused(400, "BAD_REQUEST", "the query is not decodable"));
      return;
    }
    try {
      attempt = ConnectionAttempt.parse(queryParam(query, ConnectionAttempt.PARAM));
    } catch (IllegalArgumentException e) {
      relay.counters().inc(Counters.Name.REFUSED_BAD_REQUEST);
      respond(ctx, 400, new Admission.Refused(400, "BAD_REQUEST", e.getMessage()));
      return;
    }
    // the cheap check first: a full server or address costs no database read
    if (relay.admissionProblem(addressOf((QuicStreamChannel) ctx.channel())) != null) {
      respond(ctx, 429, null);
      return;
    }
    Admission.Request request =
        new Admission.Request(open ? parts[2] : null, open ? parts[3] : null, token, name, e2ee);
    if (!admission.blocking()) {
      admit(ctx, admission.decide(request));
      return;
    }
    // a database answers: not on the event loop, which carries every connection's packets
    CompletableFuture<Admission.Decision> decision;
    try {
      decision = CompletableFuture.supplyAsync(() -> admission.decide(request), DECIDERS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      relay.counters().inc(Counters.Name.REFUSED_SESSIONS_LIMIT);
      respond(ctx, 503, new Admission.Refused(503, "BUSY", "too many sessions opening: try again"));
      return;
    }
    deciding = true;
    decision.whenComplete(
        (d, error) ->
            ctx.executor()
                .execute(
                    () -> {
                      deciding = false;
                      if (!ctx.channel().isActive()) {
                        return;
                      }
                      admit(
                          ctx,
                          error != null
                              ? new Admission.Refused(
                                  503, "UNAVAILABLE", "admission failed, try again")
                              : d);
                    }));
  }

  private void admit(ChannelHandlerContext ctx, Admission.Decision decision) {
    if (decision instanceof Admission.Refused r) {
      respond(ctx, r.status(), r);
      return;
    }
    Admission.Admitted a = (Admission.Admitted) decision;
    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
    String address = addressOf(stream);
    if (relay.admissionProblem(address) != null) {
      respond(ctx, 429, null);
      return;
    }
    WebTransportSession candidate =
        new WebTransportSession(WebTransportConnection.quic(ctx), stream);
    if (!connection.add(candidate)) {
      respond(ctx, 429, null);
      return;
    }
    session = candidate;
    DefaultHttp3HeadersFrame ok = new DefaultHttp3HeadersFrame();
    ok.headers().status("200");
    ok.headers().add("sec-webtransport-http3-draft", "draft02");
    ctx.writeAndFlush(ok);
    try {
      session.relaySession =
          relay.join(
              a.userId(),
              a.meetingId(),
              a.displayName(),
              session,
              address,
              a.decidedAtNanos(),
              a.e2ee(),
              attempt);
    } catch (Relay.Refused e) {
      session.close(e.code(), e.getMessage());
    }
  }

  /**
   * Admission decisions that read a database: a few threads, off the QUIC event loop, and a bounded
   * queue (a flood of CONNECTs is answered 503 rather than queued without end).
   */
  private static final java.util.concurrent.ExecutorService DECIDERS =
      new java.util.concurrent.ThreadPoolExecutor(
          4,
          4,
          0,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.ArrayBlockingQueue<>(256),
          r -> {
            Thread t = new Thread(r, "webtransport-admission");
            t.setDaemon(true);
            return t;
          });

  private static String addressOf(QuicStreamChannel stream) {
    java.net.SocketAddress remote = stream.parent().remoteSocketAddress();
    return remote instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress()
        : null;
  }

  @Override
  protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
    try {
      for (Capsule c : Capsules.read(capsules, frame)) {
        if (c.type() == WebTransportProtocol.CAPSULE_CLOSE_SESSION && session != null) {
          log.debug("session {} closed by the client: {}", session.sessionId(), c.closeReason());
          connection.ended(session, "closed by the client");
          ctx.channel().close();
        }
      }
    } catch (IllegalStateException e) {
      // a capsule over the limit (or a malformed close): say why, then end the session
      if (session != null) {
        session.close(CloseCodes.UNPARSEABLE, "capsule refused: " + e.getMessage());
        connection.ended(session, "bad capsule");
      } else {
        ctx.channel().close();
      }
    }
  }

  @Override
  protected void channelInputClosed(ChannelHandlerContext ctx) {
    if (session != null) {
      connection.ended(session, "connection closed");
    }
    ctx.channel().close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      connection.ended(session, "connection closed");
    }
    ctx.fireChannelInactive();
  }

  /** An HTTP error, with the refusal as JSON when there is one; then the stream ends. */
  private static void respond(ChannelHandlerContext ctx, int status, Admission.Refused refused) {
    DefaultHttp3HeadersFrame response = new DefaultHttp3HeadersFrame();
    response.headers().status(String.valueOf(status));
    if (refused == null) {
      ctx.writeAndFlush(response)
          .addListener(f -> ((QuicStreamChannel) ctx.channel()).shutdownOutput());
      return;
    }
    response.headers().add("content-type", "application/json");
    ctx.write(response);
    ctx.writeAndFlush(
            new io.netty.handler.codec.http3.DefaultHttp3DataFrame(
                io.netty.buffer.Unpooled.copiedBuffer(refused.json(), StandardCharsets.UTF_8)))
        .addListener(f -> ((QuicStreamChannel) ctx.channel()).shutdownOutput());
  }

  private static String queryParam(String query, String name) {
    String prefix = name + "=";
    for (String pair : query.split("&")) {
      if (pair.startsWith(prefix)) {
        return URLDecoder.decode(pair.substring(prefix.length()), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
