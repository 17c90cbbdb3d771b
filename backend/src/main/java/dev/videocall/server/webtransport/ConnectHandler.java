package dev.videocall.server.webtransport;

import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Relay;
import dev.videocall.types.CloseCodes;
import dev.videocall.types.DisplayNames;
import dev.videocall.types.Ids;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request stream: an extended CONNECT with {@code :protocol webtransport} to {@code
 * /lobby/{user}/{meeting}} opens a session (the stream stays open while it lasts); anything else is
 * answered with an HTTP error and closed.
 */
final class ConnectHandler extends Http3RequestStreamInboundHandler {
  private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);

  private final WebTransportConnection connection;
  private final Relay relay;
  private final Capsule.Reader capsules = new Capsule.Reader(4096);
  private WebTransportSession session;

  ConnectHandler(WebTransportConnection connection, Relay relay) {
    this.connection = connection;
    this.relay = relay;
  }

  @Override
  protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
    Http3Headers h = frame.headers();
    if (session != null) {
      return; // trailers
    }
    CharSequence protocol = h.get(":protocol");
    if (!"CONNECT".contentEquals(h.method())
        || protocol == null
        || !WebTransportProtocol.PROTOCOL.contentEquals(protocol)) {
      respond(ctx, "405");
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
    if (parts.length != 4 || !"lobby".equals(parts[1])) {
      respond(ctx, "404");
      return;
    }
    String name;
    try {
      name = displayName(query);
    } catch (IllegalArgumentException e) {
      name = "\u0000"; // not decodable: refused with the rest below
    }
    if (!Ids.isValid(parts[2])
        || !Ids.isValid(parts[3])
        || (name != null && !name.isBlank() && !DisplayNames.isValid(name))) {
      relay.counters().inc(Counters.Name.REFUSED_BAD_REQUEST);
      respond(ctx, "400");
      return;
    }
    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
    String address = addressOf(stream);
    if (relay.admissionProblem(address) != null) {
      respond(ctx, "429");
      return;
    }
    WebTransportSession candidate =
        new WebTransportSession(WebTransportConnection.quic(ctx), stream);
    if (!connection.add(candidate)) {
      respond(ctx, "429");
      return;
    }
    session = candidate;
    DefaultHttp3HeadersFrame ok = new DefaultHttp3HeadersFrame();
    ok.headers().status("200");
    ok.headers().add("sec-webtransport-http3-draft", "draft02");
    ctx.writeAndFlush(ok);
    try {
      session.relaySession = relay.join(parts[2], parts[3], name, session, address);
    } catch (Relay.Refused e) {
      session.close(e.code(), e.getMessage());
    }
  }

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

  private static void respond(ChannelHandlerContext ctx, String status) {
    DefaultHttp3HeadersFrame response = new DefaultHttp3HeadersFrame();
    response.headers().status(status);
    ctx.writeAndFlush(response)
        .addListener(f -> ((QuicStreamChannel) ctx.channel()).shutdownOutput());
  }

  private static String displayName(String query) {
    for (String pair : query.split("&")) {
      if (pair.startsWith("name=")) {
        return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
