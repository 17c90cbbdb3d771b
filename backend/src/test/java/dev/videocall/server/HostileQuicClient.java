package dev.videocall.server;

import dev.videocall.types.webtransport.QuicVarint;
import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.webtransport.WebTransportQuic;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A QUIC client that does what a browser never would: streams without a session, streams of unknown
 * types, packets that never finish. Trusts any certificate.
 */
final class HostileQuicClient implements AutoCloseable {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel udp;
  final QuicChannel quic;

  HostileQuicClient(int port) throws Exception {
    var codec =
        WebTransportQuic.transportParameters(Http3.newQuicClientCodecBuilder(), 1000)
            .sslContext(
                QuicSslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .applicationProtocols(Http3.supportedApplicationProtocols())
                    .build())
            .maxIdleTimeout(30, TimeUnit.SECONDS)
            .build();
    udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(codec)
            .bind(0)
            .sync()
            .channel();
    quic =
        QuicChannel.newBootstrap(udp)
            .handler(
                new ChannelInitializer<QuicChannel>() {
                  @Override
                  protected void initChannel(QuicChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new Http3ClientConnectionHandler(
                                null,
                                null,
                                null,
                                new DefaultHttp3SettingsFrame(WebTransportQuic.settings(false)),
                                true,
                                WebTransportQuic.validator()));
                  }
                })
            .remoteAddress(new InetSocketAddress("127.0.0.1", port))
            .connect()
            .get(10, TimeUnit.SECONDS);
  }

  /**
   * Opens a unidirectional stream and writes {@code bytes}, leaving it open; null when the server's
   * stream limit (or anything else) refused it.
   */
  QuicStreamChannel openUni(byte[] bytes) throws Exception {
    io.netty.util.concurrent.Future<QuicStreamChannel> f =
        quic.createStream(
            QuicStreamType.UNIDIRECTIONAL,
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
    if (!f.await(5, TimeUnit.SECONDS) || !f.isSuccess()) {
      return null;
    }
    QuicStreamChannel s = f.getNow();
    s.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    return s;
  }

  /** Stream type, session id, then a packet declaring {@code declared} bytes with only a part. */
  static byte[] unfinishedPacket(long sessionId, int declared, int sent) {
    byte[] header = WebTransportProtocol.uniStreamHeader(sessionId);
    byte[] out = new byte[header.length + QuicVarint.size(declared) + sent];
    System.arraycopy(header, 0, out, 0, header.length);
    QuicVarint.write(declared, out, header.length);
    return out;
  }

  /** A stream of another type than WebTransport's, with some bytes. */
  static byte[] unknownStreamType(long type) {
    byte[] out = new byte[QuicVarint.size(type) + 64];
    QuicVarint.write(type, out, 0);
    return out;
  }

  /** Sends an extended CONNECT to {@code path}; completes with the response status. */
  CompletableFuture<String> connect(String path, CompletableFuture<QuicStreamChannel> stream)
      throws Exception {
    CompletableFuture<String> status = new CompletableFuture<>();
    QuicStreamChannel s =
        Http3.newRequestStream(
                quic,
                new Http3RequestStreamInboundHandler() {
                  @Override
                  protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                    status.complete(String.valueOf(frame.headers().status()));
                  }

                  @Override
                  protected void channelRead(
                      ChannelHandlerContext ctx,
                      io.netty.handler.codec.http3.Http3DataFrame frame) {
                    frame.release();
                  }

                  @Override
                  protected void channelInputClosed(ChannelHandlerContext ctx) {
                    status.complete("closed");
                  }
                })
            .get(5, TimeUnit.SECONDS);
    DefaultHttp3HeadersFrame request = new DefaultHttp3HeadersFrame();
    request
        .headers()
        .method("CONNECT")
        .path(path)
        .scheme("https")
        .authority("127.0.0.1")
        .set(":protocol", WebTransportProtocol.PROTOCOL);
    s.writeAndFlush(request);
    stream.complete(s);
    return status;
  }

  @Override
  public void close() {
    quic.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
