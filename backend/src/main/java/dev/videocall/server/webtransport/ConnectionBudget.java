package dev.videocall.server.webtransport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all WebTransport connections together may make the server hold: connections per client
 * address, and bytes of unfinished packets (per connection, and in all). Shared by the server's
 * connections.
 *
 * @see WebTransportServer.Limits
 */
final class ConnectionBudget {
  private final WebTransportServer.Limits limits;
  private final AtomicLong buffered = new AtomicLong();
  private final Map<InetAddress, Integer> connections = new HashMap<>(); // guarded by this

  ConnectionBudget(WebTransportServer.Limits limits) {
    this.limits = limits;
  }

  WebTransportServer.Limits limits() {
    return limits;
  }

  /** Counts a new connection from {@code address}; false when that address has too many. */
  synchronized boolean open(InetAddress address) {
    int n = connections.getOrDefault(address, 0);
    if (n >= limits.maxConnectionsPerAddress()) {
      return false;
    }
    connections.put(address, n + 1);
    return true;
  }

  synchronized void closed(InetAddress address) {
    connections.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
  }

  /** Adds {@code delta} to the total; false when that takes it over the server-wide limit. */
  boolean hold(long delta) {
    long total = buffered.addAndGet(delta);
    return delta <= 0 || total <= limits.maxBufferedBytesTotal();
  }

  long buffered() {
    return buffered.get();
  }
}
