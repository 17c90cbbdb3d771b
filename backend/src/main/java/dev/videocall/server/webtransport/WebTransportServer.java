package dev.videocall.server.webtransport;

import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Relay;
import dev.videocall.server.tls.ServerCertificate;
import dev.videocall.webtransport.WebTransportQuic;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebTransport endpoint: HTTP/3 over QUIC on a UDP port (Netty), sessions at {@code
 * /lobby/{user}/{meeting}} fed into the same relay as WebSocket sessions. A self-signed certificate
 * is renewed two days before it expires; new connections get the new one at once.
 */
public final class WebTransportServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebTransportServer.class);
  private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofDays(2);

  private final ConnectionBudget budget;
  private final EventLoopGroup group;
  private final Channel channel;
  private volatile ServerCertificate certificate;
  private volatile QuicSslContext ssl;

  private WebTransportServer(
      EventLoopGroup group, Channel channel, ServerCertificate cert, ConnectionBudget budget) {
    this.budget = budget;
    this.group = group;
    this.channel = channel;
    this.certificate = cert;
  }

  /**
   * What one client connection may make the server hold.
   *
   * @param maxSessions WebTransport sessions per connection
   * @param maxStreams concurrent unidirectional streams the client may open
   * @param maxBufferedBytes bytes of unfinished packets across the connection's streams
   */
  public record Limits(
      int maxSessions,
      int maxStreams,
      long maxBufferedBytes,
      long maxBufferedBytesTotal,
      int maxConnectionsPerAddress) {
    public static final Limits DEFAULT =
        new Limits(16, 100, 4L << 20, Runtime.getRuntime().maxMemory() / 4, 100);
  }

  /** {@link #start(String, int, Relay, ServerCertificate, Limits)} with the default limits. */
  public static WebTransportServer start(
      String bind, int port, Relay relay, ServerCertificate configured) {
    return start(bind, port, relay, configured, Limits.DEFAULT);
  }

  /** Open admission (the path names user and meeting). */
  public static WebTransportServer start(
      String bind, int port, Relay relay, ServerCertificate configured, Limits limits) {
    return start(
        bind,
        port,
        relay,
        dev.videocall.server.identity.Admission.open(relay.counters()),
        configured,
        limits);
  }

  /**
   * Binds the UDP port ({@code port} 0 picks a free one). {@code configured} is the operator's
   * certificate, or null for a self-signed one.
   */
  public static WebTransportServer start(
      String bind,
      int port,
      Relay relay,
      dev.videocall.server.identity.Admission admission,
      ServerCertificate configured,
      Limits limits) {
    ServerCertificate cert = configured != null ? configured : ServerCertificate.generate();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ConnectionBudget budget = new ConnectionBudget(limits);
    WebTransportServer[] self = new WebTransportServer[1];
    QuicSslContext sni = QuicSslContextBuilder.buildForServerWithSni(name -> self[0].ssl);
    var codec =
        WebTransportQuic.transportParameters(Http3.newQuicServerCodecBuilder(), limits.maxStreams())
            .sslContext(sni)
            .maxIdleTimeout(
                Math.max(30_000, 3 * relay.config().heartbeatTimeout().toMillis()),
                TimeUnit.MILLISECONDS)
            .tokenHandler(new SignedQuicTokenHandler())
            .handler(
                new ChannelInitializer<QuicChannel>() {
                  @Override
                  protected void initChannel(QuicChannel quic) {
                    java.net.InetAddress address =
                        quic.remoteSocketAddress() instanceof InetSocketAddress inet
                            ? inet.getAddress()
                            : null;
                    if (address != null && !budget.open(address)) {
                      relay.counters().inc(Counters.Name.WEBTRANSPORT_CONNECTIONS_REFUSED);
                      quic.close(true, 0x1_0002, io.netty.buffer.Unpooled.EMPTY_BUFFER);
                      return;
                    }
                    if (address != null) {
                      quic.closeFuture().addListener(f -> budget.closed(address));
                    }
                    WebTransportConnection connection = new WebTransportConnection(relay, budget);
                    quic.pipeline().addLast(connection);
                    quic.pipeline()
                        .addLast(
                            new Http3ServerConnectionHandler(
                                new ChannelInitializer<QuicStreamChannel>() {
                                  @Override
                                  protected void initChannel(QuicStreamChannel stream) {
                                    // ahead of Netty's HTTP/3 codec: WebTransport bidi streams
                                    stream
                                        .pipeline()
                                        .addFirst(new BidiStreamSniffer(connection::inboundStream));
                                    stream
                                        .pipeline()
                                        .addLast(new ConnectHandler(connection, relay, admission));
                                  }
                                },
                                null,
                                connection::uniStream,
                                new DefaultHttp3SettingsFrame(WebTransportQuic.settings(true)),
                                true,
                                WebTransportQuic.validator()));
                  }
                })
            .build();
    InetSocketAddress address =
        "0.0.0.0".equals(bind) || "::".equals(bind)
            ? new InetSocketAddress(port) // wildcard: both IPv4 and IPv6 (Chromium tries ::1 first)
            : new InetSocketAddress(bind, port);
    try {
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(codec)
              .bind(address)
              .sync()
              .channel();
      WebTransportServer server = new WebTransportServer(group, channel, cert, budget);
      server.ssl = sslContext(cert);
      self[0] = server;
      if (cert.selfSigned()) {
        group.scheduleAtFixedRate(server::renewIfDue, 1, 1, TimeUnit.HOURS);
      }
      log.info(
          "webtransport listening on udp {}:{} (certificate sha-256 {}, valid until {})",
          bind,
          server.port(),
          cert.sha256Hex(),
          cert.notAfter());
      return server;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.shutdownGracefully();
      throw new IllegalStateException("interrupted while binding UDP " + address, e);
    } catch (Exception e) { // bind failures arrive as checked exceptions, thrown sneakily
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "cannot listen for WebTransport on UDP port "
              + port
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "): is another server using it? Choose another with --webtransport-port",
          e);
    }
  }

  private static QuicSslContext sslContext(ServerCertificate cert) {
    return QuicSslContextBuilder.forServer(cert.key(), null, cert.certificate())
        .applicationProtocols(Http3.supportedApplicationProtocols())
        .build();
  }

  private void renewIfDue() {
    if (certificate.dueForRenewal(Instant.now(), RENEW_BEFORE_EXPIRY)) {
      ServerCertificate next = ServerCertificate.generate();
      use(next);
      log.info("renewed the self-signed certificate: sha-256 {}", next.sha256Hex());
    }
  }

  /** New connections get {@code next} from now on (a renewed or reloaded certificate). */
  public void use(ServerCertificate next) {
    ssl = sslContext(next);
    certificate = next;
  }

  /** Bytes of unfinished client packets held across all connections now. */
  public long bufferedBytes() {
    return budget.buffered();
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The certificate new connections get; its hash is what browsers pin. */
  public ServerCertificate certificate() {
    return certificate;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
