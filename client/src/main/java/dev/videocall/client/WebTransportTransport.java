package dev.videocall.client;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.types.webtransport.Capsule;
import dev.videocall.types.webtransport.PacketRoute;
import dev.videocall.types.webtransport.WebTransportProtocol;
import dev.videocall.webtransport.Capsules;
import dev.videocall.webtransport.DatagramReader;
import dev.videocall.webtransport.InboundPackets;
import dev.videocall.webtransport.PacketSender;
import dev.videocall.webtransport.WebTransportQuic;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The WebTransport transport (HTTP/3 over QUIC, Netty), pinning the server's certificate by the
 * SHA-256 from /api/webtransport as browsers do. Packets go by {@link PacketRoute}, as on the
 * server and in the page: video on a stream per group of pictures, so the network cannot reorder a
 * group.
 */
public final class WebTransportTransport implements ClientTransport {
  private static final int MAX_PACKET_BYTES = 64 << 20;

  /** Each connection has a UDP socket of its own; a load generator spreads them over the cores. */
  private static final EventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          new DefaultThreadFactory("videocall-quic", true),
          NioIoHandler.newFactory());

  private final Channel udp;
  private final QuicChannel quic;
  private final QuicStreamChannel connect;
  private final PacketSender sender;
  private final Events events;
  private final AtomicBoolean ended = new AtomicBoolean();

  private WebTransportTransport(
      Channel udp, QuicChannel quic, QuicStreamChannel connect, Events events) {
    this.udp = udp;
    this.quic = quic;
    this.connect = connect;
    this.sender = new PacketSender(quic, connect.streamId());
    this.events = events;
  }

  /** Where the server's WebTransport endpoint is and the certificate hash to pin. */
  /** The endpoint; {@code sha256} is null when the certificate is to be verified, not pinned. */
  record Endpoint(URI url, byte[] sha256) {}

  /**
   * Discovers the endpoint from {@code server}/api/webtransport and opens a session to {@code
   * /lobby/USER/MEETING}; fails with {@link dev.videocall.client.ConnectFailed} saying why.
   */
  public static CompletableFuture<ClientTransport> open(
      URI server, String user, String meeting, String displayName, Events events) {
    return open(server, user, meeting, displayName, List.of(), events);
  }

  /**
   * Like {@link #open(URI, String, String, String, Events)}, trusting {@code trusted} certificates
   * besides the JVM's CAs (a server with a self-signed or private-CA certificate).
   */
  public static CompletableFuture<ClientTransport> open(
      URI server,
      String user,
      String meeting,
      String displayName,
      List<X509Certificate> trusted,
      Events events) {
    return open(server, Endpoints.lobbyPath(user, meeting, displayName, null), trusted, events);
  }

  /** A session at {@code path} ({@link Endpoints#lobbyPath}: with a room token, or open). */
  public static CompletableFuture<ClientTransport> open(
      URI server, String path, List<X509Certificate> trusted, Events events) {
    return discover(server, trusted)
        .thenCompose(endpoint -> connect(endpoint, path, trusted, events));
  }

  /** One HTTP client for every lookup: each HttpClient owns a selector thread of its own. */
  private static final class Discovery {
    static final HttpClient HTTP = HttpClient.newHttpClient();
  }

  static CompletableFuture<Endpoint> discover(URI server, List<X509Certificate> trusted) {
    URI api = URI.create(server.toString().replaceAll("/+$", "") + "/api/webtransport");
    HttpClient http =
        trusted.isEmpty()
            ? Discovery.HTTP
            : HttpClient.newBuilder().sslContext(Trust.sslContext(trusted)).build();
    return http.sendAsync(
            HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw failed(api, "cannot reach", error);
              }
              if (response.statusCode() != 200) {
                throw failed(api, "HTTP " + response.statusCode() + " from", null);
              }
              String url = field(response.body(), "url");
              String hash = field(response.body(), "certificateHash");
              if (url == null) {
                throw failed(api, "no WebTransport endpoint in the answer of", null);
              }
              return new Endpoint(
                  URI.create(url), hash == null ? null : HexFormat.of().parseHex(hash));
            });
  }

  private static CompletionException failed(URI target, String what, Throwable cause) {
    Throwable root =
        cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
    return new CompletionException(
        new ConnectFailed(what + " " + target + (root == null ? "" : ": " + root), 0, root));
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A string field of the JSON object, or null (absent, not a string, or not JSON at all). */
  private static String field(String json, String name) {
    try {
      com.fasterxml.jackson.databind.JsonNode v = JSON.readTree(json).get(name);
      return v != null && v.isTextual() ? v.asText() : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static CompletableFuture<ClientTransport> connect(
      Endpoint endpoint, String path, List<X509Certificate> trusted, Events events) {
    CompletableFuture<ClientTransport> result = new CompletableFuture<>();
    QuicSslContextBuilder sslBuilder = QuicSslContextBuilder.forClient();
    if (endpoint.sha256() != null) {
      sslBuilder.trustManager(new PinnedCertificate(endpoint.sha256()));
    } else {
      sslBuilder.trustManager(Trust.forQuic(trusted, endpoint.url().getHost()));
    }
    QuicSslContext ssl =
        sslBuilder.applicationProtocols(Http3.supportedApplicationProtocols()).build();
    ChannelHandler codec =
        WebTransportQuic.transportParameters(Http3.newQuicClientCodecBuilder(), 10_000)
            .sslContext(ssl)
            .maxIdleTimeout(30, TimeUnit.SECONDS)
            .build();
    Holder holder = new Holder(events);
    Channel udp;
    try {
      udp =
          new Bootstrap()
              .group(GROUP)
              .channel(NioDatagramChannel.class)
              .handler(codec)
              .bind(0)
              .sync()
              .channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    InetSocketAddress remote =
        new InetSocketAddress(endpoint.url().getHost(), endpoint.url().getPort());
    QuicChannel.newBootstrap(udp)
        .handler(
            new ChannelInitializer<QuicChannel>() {
              @Override
              protected void initChannel(QuicChannel ch) {
                ch.pipeline().addLast(holder.datagrams());
                ch.pipeline()
                    .addLast(
                        new Http3ClientConnectionHandler(
                            null,
                            null,
                            type ->
                                type == WebTransportProtocol.UNI_STREAM_TYPE
                                    ? holder.inboundStream()
                                    : null,
                            new DefaultHttp3SettingsFrame(WebTransportQuic.settings(false)),
                            true,
                            WebTransportQuic.validator()));
              }
            })
        .remoteAddress(remote)
        .connect()
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                udp.close();
                result.completeExceptionally(
                    failed(endpoint.url(), "QUIC handshake failed with", f.cause()).getCause());
                return;
              }
              QuicChannel quic = (QuicChannel) f.getNow();
              Http3.newRequestStream(quic, holder.connectStream(result, udp, quic))
                  .addListener(
                      s -> {
                        if (!s.isSuccess()) {
                          result.completeExceptionally(
                              failed(endpoint.url(), "cannot open a stream to", s.cause())
                                  .getCause());
                          return;
                        }
                        QuicStreamChannel stream = (QuicStreamChannel) s.getNow();
                        DefaultHttp3HeadersFrame request = new DefaultHttp3HeadersFrame();
                        request
                            .headers()
                            .method("CONNECT")
                            .path(path)
                            .scheme("https")
                            .authority(endpoint.url().getHost() + ":" + endpoint.url().getPort())
                            .set(":protocol", WebTransportProtocol.PROTOCOL)
                            .set("sec-webtransport-http3-draft02", "1");
                        stream.writeAndFlush(request);
                      });
            });
    return result;
  }

  @Override
  public CompletableFuture<Void> send(ByteBuffer packet, int mediaKind, boolean keyframe) {
    byte[] bytes = new byte[packet.remaining()];
    packet.get(bytes);
    if (mediaKind < 0) { // bytes nobody described: read them; what does not parse is control
      try {
        PacketWrapper w = PacketWrapper.parseFrom(bytes);
        mediaKind = w.getMediaKindValue();
        keyframe = VideocallClient.isKeyframe(w);
      } catch (InvalidProtocolBufferException e) {
        mediaKind = 0;
      }
    }
    CompletableFuture<Void> sent = new CompletableFuture<>();
    if (ended.get()) {
      sent.completeExceptionally(new IllegalStateException("session ended"));
      return sent;
    }
    sender.send(
        new PacketSender.Outgoing(
            bytes,
            PacketRoute.of(mediaKind, keyframe, bytes.length),
            mediaKind, // camera and screen frames are two sequences of groups
            error -> {
              if (error == null) {
                sent.complete(null);
              } else {
                sent.completeExceptionally(error);
              }
            }));
    return sent;
  }

  /**
   * Sends CLOSE_WEBTRANSPORT_SESSION, then closes the connection; the close event follows that, so
   * a process that waits for it before exiting has said goodbye.
   */
  @Override
  public void close(int code, String reason) {
    if (!quic.isActive()) {
      end(code, reason);
      return;
    }
    quic.eventLoop()
        .execute(
            () -> {
              if (connect.isActive()) {
                connect
                    .writeAndFlush(
                        new DefaultHttp3DataFrame(
                            Unpooled.wrappedBuffer(Capsule.closeSession(code, reason).encode())))
                    .addListener(f -> connect.shutdownOutput());
              }
              // a moment for the capsule to leave before CONNECTION_CLOSE discards unsent data
              quic.eventLoop()
                  .schedule(
                      () -> quic.close().addListener(f -> end(code, reason)),
                      200,
                      TimeUnit.MILLISECONDS);
            });
  }

  @Override
  public String name() {
    return "webtransport";
  }

  private void end(int code, String reason) {
    if (ended.compareAndSet(false, true)) {
      events.onClosed(code, reason);
      quic.closeFuture().addListener(f -> udp.close());
    }
  }

  /** Connection-level handlers, created before the transport object exists. */
  private static final class Holder {
    private final Events events;
    private volatile WebTransportTransport transport;

    Holder(Events events) {
      this.events = events;
    }

    ChannelHandler datagrams() {
      return new DatagramReader() {
        @Override
        protected void onDatagram(long sessionId, byte[] packet, int offset, int length) {
          events.onPacket(java.util.Arrays.copyOfRange(packet, offset, offset + length));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
          WebTransportTransport t = transport;
          if (t != null) {
            t.end(1006, "connection closed");
          }
          ctx.fireChannelInactive();
        }
      };
    }

    ChannelHandler inboundStream() {
      return new InboundPackets(
          MAX_PACKET_BYTES,
          new InboundPackets.Listener() {
            @Override
            public boolean onPacket(long sessionId, byte[] packet) {
              events.onPacket(packet);
              return true;
            }

            @Override
            public void onOversized(long sessionId, String reason) {
              // a server never sends this; the stream is dropped
            }
          });
    }

    ChannelHandler connectStream(
        CompletableFuture<ClientTransport> result, Channel udp, QuicChannel quic) {
      Capsule.Reader capsules = new Capsule.Reader(4096);
      return new Http3RequestStreamInboundHandler() {
        /** A refusal's status while its JSON reason is read (the server then ends the stream). */
        private String refusedStatus;

        private final StringBuilder reason = new StringBuilder();

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
          CharSequence status = frame.headers().status();
          if (transport != null || refusedStatus != null) {
            return;
          }
          if (status == null || !"200".contentEquals(status)) {
            refusedStatus = String.valueOf(status);
            if (!frame.headers().contains("content-type")) {
              refuse(quic, result);
            }
            return;
          }
          transport =
              new WebTransportTransport(udp, quic, (QuicStreamChannel) ctx.channel(), events);
          result.complete(transport);
        }

        private void refuse(QuicChannel quic, CompletableFuture<ClientTransport> result) {
          int code;
          try {
            code = Integer.parseInt(refusedStatus);
          } catch (NumberFormatException e) {
            code = 0;
          }
          result.completeExceptionally(
              new ConnectFailed(
                  "server refused the WebTransport session: HTTP "
                      + refusedStatus
                      + (reason.length() == 0 ? "" : " " + reason),
                  code,
                  null));
          quic.close();
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
          if (refusedStatus != null) {
            // the refusal's JSON reason, kept short: it goes into a message for a person
            int room = 1024 - reason.length();
            if (room > 0) {
              reason.append(
                  frame
                      .content()
                      .toString(
                          frame.content().readerIndex(),
                          Math.min(room, frame.content().readableBytes()),
                          java.nio.charset.StandardCharsets.UTF_8));
            }
            frame.release();
            return;
          }
          for (Capsule c : Capsules.read(capsules, frame)) {
            if (c.type() == WebTransportProtocol.CAPSULE_CLOSE_SESSION && transport != null) {
              transport.end(c.closeErrorCode(), c.closeReason());
            }
          }
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
          if (refusedStatus != null && !result.isDone()) {
            refuse(quic, result);
            return;
          }
          if (transport != null) {
            transport.end(1000, "session ended");
          }
        }
      };
    }
  }

  /**
   * Trusts exactly the certificate whose SHA-256 the server published; the pin is the identity
   * check, as with the browser's serverCertificateHashes, so host names are not compared.
   */
  private static final class PinnedCertificate extends X509ExtendedTrustManager {
    private final byte[] sha256;

    PinnedCertificate(byte[] sha256) {
      this.sha256 = sha256;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      try {
        byte[] actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
        if (!MessageDigest.isEqual(actual, sha256)) {
          throw new java.security.cert.CertificateException(
              "server certificate does not match the published SHA-256");
        }
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new java.security.cert.CertificateException(e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
        throws java.security.cert.CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(
        X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
        throws java.security.cert.CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
        throws java.security.cert.CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(
        X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
        throws java.security.cert.CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
