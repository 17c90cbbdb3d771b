package dev.videocall.server.bus;

import dev.videocall.server.core.Counters;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet;
import dev.videocall.types.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus across instances. Local subscribers get packets in-process, as with {@link LocalBus}, so
 * participants on one instance keep seeing each other while NATS is down. Each instance holds one
 * NATS subscription per meeting with local participants ({@code room.M.*}), so NATS carries one
 * copy per instance, not one per participant; {@code noEcho} keeps an instance's own publications
 * from coming back to it. The connection reconnects forever.
 */
public final class NatsBus implements Bus {
  private static final Logger log = LoggerFactory.getLogger(NatsBus.class);
  private static final String SESSION = "vc-session";
  private static final String USER = "vc-user";
  private static final String TARGET = "vc-target";
  private static final String PRIORITY = "vc-priority";
  private static final String STREAM = "vc-stream";
  private static final String PRESENCE_SUBJECT = "videocall.presence";

  /** NATS's max_payload covers headers too; ours take well under this. */
  private static final int HEADER_ALLOWANCE = 1024;

  private static final long DEFAULT_MAX_PAYLOAD = 1 << 20;

  private final LocalBus local = new LocalBus();
  private final Connection nats;
  private final Dispatcher dispatcher;
  private final Map<String, Integer> localSubscribers = new HashMap<>();
  private final Counters counters;

  /** Connects to {@code urls} (comma-separated), in the background if NATS is not up yet. */
  public NatsBus(String urls, String instanceName, Counters counters) {
    this.counters = counters;
    Options options =
        new Options.Builder()
            .servers(urls.split(","))
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
                })
            .build();
    try {
      this.nats = Nats.connectReconnectOnConnect(options);
    } catch (IOException e) {
      throw new IllegalStateException("cannot use NATS at " + urls + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS", e);
    }
    this.dispatcher = nats.createDispatcher();
  }

  @Override
  public synchronized Subscription subscribe(String meetingId, Consumer<Packet> listener) {
    Subscription localSub = local.subscribe(meetingId, listener);
    if (localSubscribers.merge(meetingId, 1, Integer::sum) == 1) {
      dispatcher.subscribe(Subjects.meeting(meetingId), msg -> fromNats(meetingId, msg));
    }
    return () -> {
      localSub.unsubscribe();
      synchronized (this) {
        if (localSubscribers.merge(meetingId, -1, Integer::sum) == 0) {
          localSubscribers.remove(meetingId);
          dispatcher.unsubscribe(Subjects.meeting(meetingId));
        }
      }
    };
  }

  @Override
  public void publish(Packet p) {
    local.publish(p);
    if (nats.getStatus() != Connection.Status.CONNECTED) {
      counters.inc(Name.BUS_NOT_SENT_WHILE_DOWN); // local delivery went ahead
      return;
    }
    if (p.size() > maxPacketBytes()) {
      // the relay refuses such packets at the edge; this guards packets the server made itself
      counters.inc(Name.BUS_NOT_SENT_TOO_BIG);
      return;
    }
    Headers headers = new Headers();
    headers.put(SESSION, Long.toString(p.senderSessionId()));
    headers.put(USER, p.senderUserId());
    headers.put(TARGET, Long.toString(p.targetSessionId()));
    headers.put(PRIORITY, p.priority().name());
    headers.put(STREAM, p.stream().name());
    nats.publish(Subjects.publish(p.meetingId(), p.senderUserId()), headers, p.bytes());
  }

  @Override
  public void publishPresence(byte[] message) {
    if (nats.getStatus() == Connection.Status.CONNECTED) {
      nats.publish(PRESENCE_SUBJECT, message);
      counters.inc(Name.PRESENCE_PUBLISHED);
    }
  }

  @Override
  public void onPresence(Consumer<byte[]> listener) {
    dispatcher.subscribe(PRESENCE_SUBJECT, msg -> listener.accept(msg.getData()));
  }

  /** The server's max_payload (nats-server's default until connected) less room for headers. */
  @Override
  public int maxPacketBytes() {
    long max = nats.getMaxPayload();
    return (int)
        Math.min(Integer.MAX_VALUE, (max > 0 ? max : DEFAULT_MAX_PAYLOAD) - HEADER_ALLOWANCE);
  }

  private void fromNats(String meetingId, Message msg) {
    Headers h = msg.getHeaders();
    if (h == null) {
      counters.inc(Name.BUS_MALFORMED); // not published by a videocall server
      return;
    }
    try {
      local.publish(
          new Packet(
              meetingId,
              h.getFirst(USER),
              Long.parseLong(h.getFirst(SESSION)),
              Long.parseLong(h.getFirst(TARGET)),
              Packet.Priority.valueOf(h.getFirst(PRIORITY)),
              Packet.Stream.valueOf(h.getFirst(STREAM)),
              msg.getData()));
    } catch (RuntimeException e) {
      counters.inc(Name.BUS_MALFORMED);
      log.warn("ignoring a malformed message on {}: {}", msg.getSubject(), e.toString());
    }
  }

  @Override
  public String state() {
    return "nats " + nats.getStatus().name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public boolean healthy() {
    return nats.getStatus() == Connection.Status.CONNECTED;
  }

  @Override
  public void close() {
    try {
      if (nats.getStatus() == Connection.Status.CONNECTED) {
        nats.flush(Duration.ofSeconds(1)); // the leaving participants' announcements
      }
    } catch (TimeoutException e) {
      log.warn("nats: announcements not flushed before closing");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      nats.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    local.close();
  }
}
