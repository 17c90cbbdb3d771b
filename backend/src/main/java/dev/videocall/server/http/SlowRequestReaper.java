package dev.videocall.server.http;

import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Counters.Name;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes HTTP connections that take longer than the header timeout to send a request's line and
 * headers (slowloris: a header line every few seconds keeps an idle timeout from ever firing).
 * Jetty 11 has no deadline for this, so a sweep looks at each connection's parser: one seen in the
 * middle of a request head for longer than the timeout is closed. Idle keep-alive connections and
 * upgraded WebSockets are not in a request head and are left alone.
 */
public final class SlowRequestReaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlowRequestReaper.class);

  private final Server server;
  private final long timeoutNanos;
  private final Counters counters;
  private final ScheduledExecutorService timer;
  private final Map<EndPoint, Long> inHeadSince = new HashMap<>(); // sweep thread only

  public SlowRequestReaper(Server server, Duration timeout, Counters counters) {
    this.server = server;
    this.timeoutNanos = timeout.toNanos();
    this.counters = counters;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "http-header-timeout");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
    timer.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      Set<EndPoint> seen = new HashSet<>();
      for (Connector c : server.getConnectors()) {
        for (EndPoint ep : c.getConnectedEndPoints()) {
          if (!(ep.getConnection() instanceof HttpConnection http) || !inRequestHead(http)) {
            continue;
          }
          seen.add(ep);
          long since = inHeadSince.computeIfAbsent(ep, e -> now);
          if (now - since > timeoutNanos) {
            counters.inc(Name.HTTP_SLOW_REQUESTS_CLOSED);
            log.info(
                "closing a connection from {}: request head not complete in time",
                ep.getRemoteSocketAddress());
            ep.close();
          }
        }
      }
      inHeadSince.keySet().retainAll(seen);
    } catch (RuntimeException e) {
      log.warn("header timeout sweep failed", e);
    }
  }

  /** Bytes of a request arrived, its headers are not complete yet. */
  private static boolean inRequestHead(HttpConnection http) {
    HttpParser.State state = http.getParser().getState();
    return state.ordinal() > HttpParser.State.START.ordinal()
        && state.ordinal() <= HttpParser.State.HEADER.ordinal();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
