package dev.videocall.server.http;

import dev.videocall.server.ServerConfig;
import dev.videocall.server.tls.HttpsIdentity;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRoutingApi;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page port's listeners: plain HTTP, or HTTPS (and WSS) with the server's {@link
 * HttpsIdentity}, reloaded without a restart when it changes; optionally a plain-HTTP port that
 * redirects to HTTPS; and, only when told to ({@code --trust-proxy}), the client's address, scheme
 * and host taken from a reverse proxy's forwarded headers.
 */
public final class Connectors {
  private static final Logger log = LoggerFactory.getLogger(Connectors.class);
  private static final char[] KEY_STORE_PASSWORD = "videocall".toCharArray();

  private final ServerConfig config;
  private final HttpsIdentity https;
  private ServerConnector main;
  private ServerConnector redirect;

  public Connectors(ServerConfig config, HttpsIdentity https) {
    this.config = config;
    this.https = https;
  }

  public void configure(JavalinConfig c) {
    if (config.trustProxy()) {
      c.jetty.modifyHttpConfiguration(h -> h.addCustomizer(new ForwardedRequestCustomizer()));
    }
    c.jetty.addConnector(
        (server, httpConfig) -> {
          if (https == null) {
            main = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
          } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(https.current().keyStore(KEY_STORE_PASSWORD));
            ssl.setKeyStorePassword(new String(KEY_STORE_PASSWORD));
            https.onChange(
                next -> {
                  try {
                    ssl.reload(f -> f.setKeyStore(next.keyStore(KEY_STORE_PASSWORD)));
                  } catch (Exception e) {
                    log.warn("https: the new certificate could not be loaded: {}", e.toString());
                  }
                });
            HttpConfiguration secure = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer customizer = new SecureRequestCustomizer();
            // a LAN demo reaches the server by addresses and names the certificate may not list
            customizer.setSniHostCheck(false);
            secure.addCustomizer(customizer);
            main =
                new ServerConnector(
                    server,
                    new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(secure));
          }
          main.setHost(config.bind());
          main.setPort(config.httpPort());
          return main;
        });
    if (config.httpRedirectPort() >= 0) {
      c.jetty.addConnector(
          (server, httpConfig) -> {
            redirect = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
            redirect.setHost(config.bind());
            redirect.setPort(config.httpRedirectPort());
            return redirect;
          });
    }
  }

  /** Sends every request on the redirect port to the same path over HTTPS. */
  public void register(JavalinDefaultRoutingApi app) {
    if (redirect == null && config.httpRedirectPort() < 0) {
      return;
    }
    app.before(
        ctx -> {
          if (redirect != null && ctx.req().getLocalPort() == redirect.getLocalPort()) {
            String host = HttpRoutes.hostOnly(ctx.host());
            if (host.contains(":")) {
              host = "[" + host + "]";
            }
            String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
            ctx.header(
                "Location", "https://" + host + ":" + main.getLocalPort() + ctx.path() + query);
            throw new HttpResponseException(308, "this server is on HTTPS");
          }
        });
  }
}
