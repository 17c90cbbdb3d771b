package dev.videocall.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * The WebSocket transport on Netty: one shared event loop for every connection of the process, so a
 * load generator can hold thousands of sessions cheaply.
 */
public final class WebSocketTransport implements ClientTransport {
  private static final int MAX_MESSAGE = 16 << 20;

  private static final class Loop {
    static final EventLoopGroup GROUP =
        new MultiThreadIoEventLoopGroup(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "videocall-client-ws");
              t.setDaemon(true);
              return t;
            },
            NioIoHandler.newFactory());
  }

  private final Channel channel;

  private WebSocketTransport(Channel channel) {
    this.channel = channel;
  }

  /** Opens the connection; fails with {@link ConnectFailed} saying why. */
  public static CompletableFuture<ClientTransport> open(URI endpoint, Events events) {
    return open(endpoint, java.util.List.of(), events);
  }

  /** Like {@link #open(URI, Events)}, trusting {@code trusted} besides the JVM's CAs. */
  public static CompletableFuture<ClientTransport> open(
      URI endpoint, java.util.List<java.security.cert.X509Certificate> trusted, Events events) {
    boolean tls = "wss".equalsIgnoreCase(endpoint.getScheme());
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : tls ? 443 : 80;
    CompletableFuture<ClientTransport> opened = new CompletableFuture<>();
    SslContext ssl;
    try {
      ssl =
          tls
              ? SslContextBuilder.forClient()
                  .trustManager(Trust.trustManagerFactory(trusted))
                  .build()
              : null;
    } catch (SSLException e) {
      opened.completeExceptionally(ConnectFailed.of(endpoint, e));
      return opened;
    }
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(endpoint)
            .customHeaders(new DefaultHttpHeaders())
            .maxFramePayloadLength(MAX_MESSAGE)
            .handshakeTimeoutMillis(5000)
            .dropPongFrames(true)
            .handleCloseFrames(false)
            .build();
    Receiver receiver = new Receiver(endpoint, events, opened);
    new Bootstrap()
        .group(Loop.GROUP)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                if (ssl != null) {
                  ch.pipeline().addLast(ssl.newHandler(ch.alloc(), endpoint.getHost(), port));
                }
                ch.pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(64 * 1024))
                    .addLast(new WebSocketClientProtocolHandler(config))
                    .addLast(new WebSocketFrameAggregator(MAX_MESSAGE))
                    .addLast(receiver);
              }
            })
        .connect(endpoint.getHost(), port)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                opened.completeExceptionally(ConnectFailed.of(endpoint, f.cause()));
              }
            });
    return opened;
  }

  @Override
  public CompletableFuture<Void> send(ByteBuffer packet, int mediaKind, boolean keyframe) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    channel
        .writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(packet)))
        .addListener(
            f -> {
              if (f.isSuccess()) {
                sent.complete(null);
              } else {
                sent.completeExceptionally(f.cause());
              }
            });
    return sent;
  }

  @Override
  public void close(int code, String reason) {
    if (channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
    }
  }

  @Override
  public String name() {
    return "websocket";
  }

  /** Delivers whole messages; remembers the server's close frame for the close event. */
  private static final class Receiver extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final URI endpoint;
    private final Events events;
    private final CompletableFuture<ClientTransport> opened;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int closeCode = 1006;
    private String closeReason = "connection lost";

    Receiver(URI endpoint, Events events, CompletableFuture<ClientTransport> opened) {
      this.endpoint = endpoint;
      this.events = events;
      this.opened = opened;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        opened.complete(new WebSocketTransport(ctx.channel()));
      } else if (evt
          == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        opened.completeExceptionally(
            ConnectFailed.of(endpoint, new java.util.concurrent.TimeoutException("handshake")));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof BinaryWebSocketFrame) {
        ByteBuf content = frame.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        events.onPacket(bytes);
      } else if (frame instanceof CloseWebSocketFrame close) {
        closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
        closeReason = close.reasonText() == null ? "" : close.reasonText();
        if (ctx.channel().isActive()) {
          ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, "")).addListener(f -> ctx.close());
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!opened.isDone()) {
        opened.completeExceptionally(ConnectFailed.of(endpoint, cause));
      } else {
        closeReason = "connection lost: " + cause;
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!opened.isDone()) {
        opened.completeExceptionally(
            ConnectFailed.of(
                endpoint, new java.io.IOException("connection closed during handshake")));
      }
      if (closed.compareAndSet(false, true)) {
        events.onClosed(closeCode, closeReason);
      }
    }
  }
}
