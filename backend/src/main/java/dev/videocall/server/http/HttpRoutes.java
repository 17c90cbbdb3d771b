package dev.videocall.server.http;

import dev.videocall.server.bus.Bus;
import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Relay;
import dev.videocall.server.webtransport.WebTransportServer;
import dev.videocall.types.Ids;
import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Plain HTTP: health, metrics and the meeting page. */
public final class HttpRoutes {
  private final Relay relay;
  private final Bus bus;
  private final String webRoot;
  private final Supplier<byte[]> meetingPage;
  private final Supplier<byte[]> homePage;
  private final WebTransportServer webTransport;
  private final String bind;
  private final dev.videocall.server.tls.HttpsIdentity https;

  /**
   * @param webRoot a directory to serve the page and assets from, or null for the ones built into
   *     the jar
   */
  public HttpRoutes(
      Relay relay,
      Bus bus,
      String webRoot,
      WebTransportServer webTransport,
      String bind,
      dev.videocall.server.tls.HttpsIdentity https) {
    this.https = https;
    this.relay = relay;
    this.bus = bus;
    this.webTransport = webTransport;
    this.bind = bind;
    this.webRoot = webRoot;
    registerGauges();
    this.meetingPage =
        webRoot == null
            ? MeetingPage.fromClasspath()
            : MeetingPage.fromDirectory(Path.of(webRoot).toAbsolutePath());
    this.homePage =
        webRoot == null
            ? MeetingPage.fromClasspath("/web/index.html")
            : MeetingPage.fromDirectory(Path.of(webRoot).toAbsolutePath(), "index.html");
  }

  /** The web client's assets (script, styles) under /assets. */
  public void configureStaticFiles(JavalinConfig config) {
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/assets";
          if (webRoot == null) {
            files.directory = "/web";
            files.location = Location.CLASSPATH;
          } else {
            files.directory = Path.of(webRoot).toAbsolutePath().toString();
            files.location = Location.EXTERNAL;
          }
          files.headers = Map.of("Cache-Control", "no-cache");
        });
  }

  public void register(JavalinDefaultRoutingApi app) {
    app.get("/healthz", this::health);
    app.get("/favicon.ico", ctx -> ctx.status(204));
    app.get("/metrics", this::metrics);
    app.get("/api/webtransport", this::webTransportInfo);
    app.get("/", ctx -> page(ctx, homePage));
    app.get("/meeting/{meeting}", this::meetingPage);
    app.get("/meeting/{user}/{meeting}", this::meetingPage);
  }

  private void health(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", bus.healthy() ? "ok" : "degraded");
    body.put("bus", bus.state());
    body.put("sessions", relay.sessionCount());
    body.put("meetings", relay.roomCount());
    ctx.json(body);
  }

  /**
   * Where the page opens WebTransport and the certificate hash it pins: the host the page was
   * loaded from (a certificate is for that name), except where the server listens on one address
   * and the page used "localhost" or an address (Chromium tries ::1 first for localhost, which a
   * server bound to 127.0.0.1 does not answer on UDP).
   */
  private void webTransportInfo(Context ctx) {
    String host = hostOnly(ctx.host());
    boolean wildcard = "0.0.0.0".equals(bind) || "::".equals(bind);
    if (!wildcard && ("localhost".equalsIgnoreCase(host) || isAddress(host))) {
      host = bind;
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", "https://" + host + ":" + webTransport.port());
    // browsers pin by hash only certificates valid under 14 days: the generated one. An
    // operator's certificate is checked as any other (a CA, or launch_chrome.sh's flags).
    if (webTransport.certificate().selfSigned()) {
      body.put("certificateHash", webTransport.certificate().sha256Hex());
      body.put("hashAlgorithm", "sha-256");
    }
    body.put("certificateNotAfter", webTransport.certificate().notAfter().toString());
    body.put("spkiSha256", webTransport.certificate().spkiSha256Base64());
    if (https != null) {
      body.put("httpsSpkiSha256", https.current().spkiSha256Base64());
    }
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  private static boolean isAddress(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  /** "example.org:8080" → "example.org"; "[::1]:8080" → "::1". */
  static String hostOnly(String hostHeader) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return "localhost";
    }
    if (hostHeader.startsWith("[")) {
      return hostHeader.substring(1, hostHeader.indexOf(']'));
    }
    int colon = hostHeader.indexOf(':');
    return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
  }

  /**
   * The instance's gauges and the JVM's, next to the counters and histograms in {@link
   * Counters#registry()}; read when {@code /metrics} is scraped.
   */
  private void registerGauges() {
    PrometheusRegistry registry = relay.counters().registry();
    GaugeWithCallback.builder()
        .name("videocall_sessions")
        .help("Sessions connected to this instance")
        .callback(c -> c.call(relay.sessionCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("videocall_transport_sessions")
        .help("Sessions connected to this instance, by transport")
        .labelNames("transport")
        .callback(
            c -> {
              java.util.Map<String, Integer> by = relay.sessionsByTransport();
              for (String t : new String[] {"websocket", "webtransport"}) {
                c.call(by.getOrDefault(t, 0), t);
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("videocall_meetings")
        .help("Meetings with sessions on this instance")
        .callback(c -> c.call(relay.roomCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("videocall_webtransport_buffered_bytes")
        .help("Bytes of unfinished client packets held for WebTransport streams")
        .callback(c -> c.call(webTransport.bufferedBytes()))
        .register(registry);
    JvmMetrics.builder().register(registry);
  }

  private void metrics(Context ctx) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16 * 1024);
    PrometheusTextFormatWriter.create().write(out, relay.counters().registry().scrape());
    ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE).result(out.toByteArray());
  }

  private void meetingPage(Context ctx) {
    String user = ctx.pathParamMap().get("user");
    String meeting = ctx.pathParam("meeting");
    if ((user != null && !Ids.isValid(user)) || !Ids.isValid(meeting)) {
      throw new BadRequestResponse("user and meeting ids must match " + Ids.VALID.pattern());
    }
    page(ctx, meetingPage);
  }

  private static void page(Context ctx, Supplier<byte[]> page) {
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType("text/html; charset=utf-8").result(page.get());
  }
}
