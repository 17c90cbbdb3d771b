package dev.videocall.server.bus;

import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Ingress;
import dev.videocall.server.core.Packet;
import dev.videocall.types.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus across instances. Local subscribers get packets in-process, as with {@link LocalBus}, so
 * participants on one instance keep seeing each other while NATS is down. Each instance holds one
 * NATS subscription per meeting with local participants ({@code room.M.*}), so NATS carries one
 * copy per instance, not one per participant; {@code noEcho} keeps an instance's own publications
 * from coming back to it.
 *
 * <p>The connection is made in the background and retried forever: the server serves HTTP and
 * WebTransport while NATS is down at start, and reports {@code degraded} until it connects.
 * Whatever arrives from NATS is checked like a client's packet ({@link Ingress#fromBus}): routing
 * facts are read from the packet itself, never from headers a neighbour could forge, and only
 * packet types a client may send are delivered.
 */
public final class NatsBus implements Bus {
  private static final Logger log = LoggerFactory.getLogger(NatsBus.class);
  private static final String PRESENCE_SUBJECT = "videocall.presence";
  private static final String NOTICE_SUBJECT = "videocall.notices";

  /** NATS's max_payload covers headers too; we send none, but keep room for the protocol line. */
  private static final int HEADER_ALLOWANCE = 1024;

  private static final long DEFAULT_MAX_PAYLOAD = 1 << 20;

  /** How to reach NATS: servers, optional credentials file and TLS. */
  public record Settings(String urls, String credentialsFile, SSLContext tls) {}

  private final LocalBus local = new LocalBus();
  private final Counters counters;
  private final Thread connector;
  private final Options options;

  /** Null until the first successful connect; written under this object's lock. */
  private volatile Connection nats;

  // guarded by this
  private Dispatcher dispatcher;
  private final Map<String, Integer> localSubscribers = new HashMap<>();
  private final Map<String, io.nats.client.Subscription> natsSubscriptions = new HashMap<>();
  private Consumer<byte[]> presenceListener;
  private Consumer<byte[]> noticeListener;
  private boolean closed;

  /** Starts connecting to NATS in the background; returns at once. */
  public NatsBus(Settings settings, String instanceName, Counters counters) {
    this.counters = counters;
    Options.Builder b =
        new Options.Builder()
            .servers(settings.urls().split(","))
            .connectionName("videocall-" + instanceName)
            .noEcho()
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(250))
            .connectionTimeout(Duration.ofSeconds(2))
            .connectionListener((conn, event) -> log.info("nats: {}", event))
            .errorListener(
                new ErrorListener() {
                  @Override
                  public void exceptionOccurred(Connection conn, Exception exp) {
                    // every failed reconnect attempt lands here: the state change is logged once
                    log.debug("nats: {}", exp.toString());
                  }
                });
    if (settings.credentialsFile() != null) {
      b.authHandler(Nats.credentials(settings.credentialsFile()));
    }
    if (settings.tls() != null) {
      b.sslContext(settings.tls());
    }
    this.options = b.build();
    this.connector = new Thread(this::connect, "nats-connect");
    connector.setDaemon(true);
    connector.start();
  }

  private void connect() {
    try {
      Connection c = Nats.connectReconnectOnConnect(options);
      synchronized (this) {
        if (closed) {
          closeQuietly(c);
          return;
        }
        nats = c;
        dispatcher = c.createDispatcher();
        if (presenceListener != null) {
          Consumer<byte[]> l = presenceListener;
          dispatcher.subscribe(PRESENCE_SUBJECT, msg -> l.accept(msg.getData()));
        }
        if (noticeListener != null) {
          Consumer<byte[]> l = noticeListener;
          dispatcher.subscribe(NOTICE_SUBJECT, msg -> l.accept(msg.getData()));
        }
        for (String meetingId : localSubscribers.keySet()) {
          subscribeNats(meetingId);
        }
      }
      log.info("nats: connected to {}", c.getConnectedUrl());
    } catch (IOException e) {
      log.error("nats: cannot use {}: {}", options.getServers(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed before the first connect
    }
  }

  @Override
  public synchronized Subscription subscribe(String meetingId, Consumer<Packet> listener) {
    Subscription localSub = local.subscribe(meetingId, listener);
    if (localSubscribers.merge(meetingId, 1, Integer::sum) == 1 && dispatcher != null) {
      subscribeNats(meetingId);
    }
    return () -> {
      localSub.unsubscribe();
      synchronized (this) {
        if (localSubscribers.merge(meetingId, -1, Integer::sum) == 0) {
          localSubscribers.remove(meetingId);
          // Unsubscribe exactly this subscription: dispatcher.unsubscribe(subject) dropped every
          // handler subscription of the dispatcher (jnats 2.22), presence included, and the
          // instance went deaf to the others when any meeting ended.
          io.nats.client.Subscription s = natsSubscriptions.remove(meetingId);
          if (s != null && dispatcher != null) {
            dispatcher.unsubscribe(s);
          }
        }
      }
    };
  }

  private void subscribeNats(String meetingId) {
    natsSubscriptions.put(
        meetingId,
        dispatcher.subscribe(Subjects.meeting(meetingId), msg -> fromNats(meetingId, msg)));
  }

  @Override
  public void publish(Packet p) {
    local.publish(p);
    Connection c = connection();
    if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
      counters.inc(Name.BUS_NOT_SENT_WHILE_DOWN); // local delivery went ahead
      return;
    }
    if (p.size() > maxPacketBytes()) {
      // the relay refuses such packets at the edge; this guards packets the server made itself
      counters.inc(Name.BUS_NOT_SENT_TOO_BIG);
      return;
    }
    c.publish(Subjects.publish(p.meetingId(), p.senderUserId()), p.bytes());
  }

  @Override
  public void publishPresence(byte[] message) {
    Connection c = connection();
    if (c != null && c.getStatus() == Connection.Status.CONNECTED) {
      if (message.length > maxPacketBytes()) {
        counters.inc(Name.BUS_NOT_SENT_TOO_BIG);
        return;
      }
      c.publish(PRESENCE_SUBJECT, message);
      counters.inc(Name.PRESENCE_PUBLISHED);
    }
  }

  @Override
  public synchronized void onPresence(Consumer<byte[]> listener) {
    presenceListener = listener;
    if (dispatcher != null) {
      dispatcher.subscribe(PRESENCE_SUBJECT, msg -> listener.accept(msg.getData()));
    }
  }

  @Override
  public void publishNotice(byte[] notice) {
    Connection c = connection();
    if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
      counters.inc(Name.BUS_NOT_SENT_WHILE_DOWN);
      return;
    }
    if (notice.length > maxPacketBytes()) {
      counters.inc(Name.BUS_NOT_SENT_TOO_BIG);
      return;
    }
    c.publish(NOTICE_SUBJECT, notice);
  }

  @Override
  public synchronized void onNotice(Consumer<byte[]> listener) {
    noticeListener = listener;
    if (dispatcher != null) {
      dispatcher.subscribe(NOTICE_SUBJECT, msg -> listener.accept(msg.getData()));
    }
  }

  /** The server's max_payload (nats-server's default until connected) less room for headers. */
  @Override
  public int maxPacketBytes() {
    Connection c = connection();
    long max = c == null ? 0 : c.getMaxPayload();
    return (int)
        Math.min(Integer.MAX_VALUE, (max > 0 ? max : DEFAULT_MAX_PAYLOAD) - HEADER_ALLOWANCE);
  }

  private void fromNats(String meetingId, Message msg) {
    Ingress.Decision d = Ingress.fromBus(meetingId, msg.getSubject(), msg.getData());
    if (d instanceof Ingress.Relay r) {
      local.publish(r.packet());
    } else {
      counters.inc(Name.BUS_REJECTED);
      if (log.isDebugEnabled()) {
        log.debug("ignoring a message on {}: {}", msg.getSubject(), d);
      }
    }
  }

  @Override
  public String state() {
    Connection c = connection();
    return "nats "
        + (c == null ? "connecting" : c.getStatus().name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public boolean healthy() {
    Connection c = connection();
    return c != null && c.getStatus() == Connection.Status.CONNECTED;
  }

  private Connection connection() {
    return nats;
  }

  @Override
  public void close() {
    Connection c;
    synchronized (this) {
      closed = true;
      c = nats;
    }
    connector.interrupt();
    if (c != null) {
      try {
        if (c.getStatus() == Connection.Status.CONNECTED) {
          c.flush(Duration.ofSeconds(1)); // the leaving participants' announcements
        }
      } catch (TimeoutException e) {
        log.warn("nats: announcements not flushed before closing");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(c);
    }
    local.close();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
