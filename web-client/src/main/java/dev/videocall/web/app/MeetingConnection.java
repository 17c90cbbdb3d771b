package dev.videocall.web.app;

import dev.videocall.types.CloseCodes;
import dev.videocall.types.ConnectionAttempt;
import dev.videocall.types.wire.LayerDemand;
import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.ReceiverReport;
import dev.videocall.types.wire.SessionAssignedPacket;
import dev.videocall.types.wire.WireFormatException;
import dev.videocall.web.browser.Js;
import dev.videocall.web.browser.Page;
import dev.videocall.web.browser.WebTransport;
import java.util.List;
import org.teavm.jso.browser.Window;

/**
 * The session with the server: WebTransport first, WebSocket when that fails or is not ready in
 * time ({@code ?transport=} forces one); heartbeats once a second and an RTT probe every two;
 * automatic reconnection with growing pauses, except after 4001 (the same participant joined from
 * another tab: reconnecting would evict that one, and so on forever).
 */
final class MeetingConnection implements Transport.Listener {
  /** How long WebTransport may take before the page falls back to WebSocket. */
  private static final int WEBTRANSPORT_BUDGET_MS = 2500;

  /** What the connection reports. */
  interface Listener {
    void assigned(SessionAssignedPacket assigned);

    void packet(PacketWrapper packet);

    /** A short status for the header: "connected", "reconnecting in 2 s", ... */
    void status(String status);

    /** The session ended and will be retried by itself (the view clears its peers). */
    void interrupted();

    /** Replaced by a session of the same participant elsewhere: nothing is retried. */
    void replaced();

    /**
     * Not in the meeting any more and nothing is retried: a host removed this person ({@code
     * REMOVED}), ended the meeting ({@code MEETING_ENDED}), or the server refuses a new token.
     */
    void ended(String code, String message);

    void rtt(double ms);

    /** The heartbeat to send now. */
    MediaPacket.HeartbeatMetadata heartbeat();

    /** The height at which each peer's camera is shown now, for the receiver report. */
    List<ReceiverReport.TileSize> tileSizes();

    /** A server instance says which layers of our camera its receivers get (dynacast). */
    void layerDemand(LayerDemand demand);
  }

  /**
   * How often the server hears what we received and how we show each camera: ten times a second, so
   * that a queue the server's probe builds shows in several reports in a row, while a busy page's
   * one late report does not look like one (a few dozen bytes each, and 10 more per tile shown).
   */
  static final int REPORT_INTERVAL_MS = 100;

  /**
   * This page load, in every connection's {@code ?attempt=}: the server then refuses a connection
   * this page opened before the one it uses (a WebTransport session abandoned for WebSocket that
   * reached the server late) instead of letting it replace the session in use. Per page load, not
   * per connection object: leaving and joining again must go on counting (a session of the last
   * visit may still be on the server, with a higher number).
   */
  private static String page = Js.randomMeetingId().replace("-", "");

  private static long attempts;

  private final MeetingAccess access;
  private final String displayName;
  private final Listener listener;
  private Transport transport;
  private long sessionId;
  private long bytesReceived;
  private int reportTimer = -1;
  private boolean closed = true;
  private int reconnectDelayMs = 1000;
  private int heartbeatTimer = -1;
  private int rttCounter;

  MeetingConnection(MeetingAccess access, String displayName, Listener listener) {
    this.access = access;
    this.displayName = displayName;
    this.listener = listener;
  }

  long sessionId() {
    return sessionId;
  }

  String transportName() {
    return transport == null ? "" : transport.name();
  }

  /** Opens the session (again), with a fresh way in (a room token) from the server. */
  void open() {
    closed = false;
    listener.status("connecting");
    access.lobbyPath(
        displayName,
        new MeetingAccess.Answer() {
          @Override
          public void ok(String path) {
            if (!closed) {
              open(path);
            }
          }

          @Override
          public void failed(int status, String code, String message) {
            if (closed) {
              return;
            }
            if (status == 0 || status >= 500 || status == 429) {
              retryLater(1006, "the server did not answer"); // down, restarting, or busy
            } else {
              closed = true;
              listener.ended(code, message);
            }
          }
        });
  }

  private void open(String lobbyPath) {
    String forced = Page.queryParam("transport");
    if ("websocket".equals(forced) || (forced == null && !WebTransport.isAvailable())) {
      openWebSocket(lobbyPath);
      return;
    }
    WebTransportTransport.connect(
        nextAttempt(lobbyPath),
        this,
        WEBTRANSPORT_BUDGET_MS,
        new WebTransportTransport.Attempt() {
          @Override
          public void ready(WebTransportTransport t) {
            if (closed) {
              t.close();
              return;
            }
            use(t);
          }

          @Override
          public void failed(String why) {
            Page.log("WebTransport unavailable (" + why + ")");
            if (closed) {
              return;
            }
            if ("webtransport".equals(forced)) {
              onClosed(1006, "WebTransport failed: " + why);
            } else {
              openWebSocket(lobbyPath);
            }
          }
        });
  }

  /** The same path on both transports (from {@link MeetingAccess#lobbyPath}). */
  private void openWebSocket(String lobbyPath) {
    String scheme = "https:".equals(Window.current().getLocation().getProtocol()) ? "wss" : "ws";
    use(
        new WebSocketTransport(
            scheme + "://" + Window.current().getLocation().getHost() + nextAttempt(lobbyPath),
            this));
  }

  /** The path for the next transport this page opens, numbered after every earlier one. */
  private String nextAttempt(String lobbyPath) {
    return lobbyPath
        + (lobbyPath.indexOf('?') < 0 ? "?" : "&")
        + ConnectionAttempt.PARAM
        + "="
        + new ConnectionAttempt(page, ++attempts);
  }

  private void use(Transport t) {
    transport = t;
    bytesReceived = 0; // a new connection is a new session: the server counts afresh
    Window.current().getDocument().getDocumentElement().setAttribute("data-transport", t.name());
  }

  void send(PacketWrapper p, boolean keyframe) {
    if (transport != null && !closed) {
      p.userId = access.user();
      p.sessionId = sessionId;
      transport.send(p, keyframe);
    }
  }

  boolean congested() {
    return transport != null && transport.congested();
  }

  /** Leaves: closes the session and retries nothing. */
  void close() {
    closed = true;
    stopTimers();
    if (transport != null) {
      transport.close();
      transport = null;
    }
  }

  @Override
  public void onOpen() {
    reconnectDelayMs = 1000;
    listener.status("connected");
  }

  @Override
  public void onPacket(PacketWrapper p, int bytes) {
    bytesReceived += bytes;
    if (p.packetType == PacketWrapper.LAYER_DEMAND) {
      try {
        listener.layerDemand(LayerDemand.decode(p.data));
      } catch (WireFormatException e) {
        Page.log("ignoring a malformed layer demand");
      }
      return;
    }
    if (p.packetType == PacketWrapper.MEDIA && p.sessionId == 0) {
      return; // the server's filler, probing our link: counted above, nothing else
    }
    if (p.packetType == PacketWrapper.SESSION_ASSIGNED) {
      try {
        SessionAssignedPacket a = SessionAssignedPacket.decode(p.data);
        sessionId = a.sessionId;
        startTimers();
        listener.assigned(a);
      } catch (WireFormatException e) {
        Page.log("ignoring a malformed session assignment");
      }
      return;
    }
    if (p.packetType == PacketWrapper.MEDIA && p.sessionId == sessionId) {
      try {
        MediaPacket m = MediaPacket.decode(p.data);
        if (m.mediaType == MediaPacket.RTT) {
          listener.rtt(Js.now() - m.timestamp);
          return;
        }
      } catch (WireFormatException e) {
        return;
      }
    }
    listener.packet(p);
  }

  @Override
  public void onClosed(int code, String reason) {
    stopTimers();
    transport = null;
    if (closed) {
      return;
    }
    if (code == CloseCodes.REPLACED) {
      closed = true;
      listener.replaced();
      return;
    }
    if (code == CloseCodes.STALE_ATTEMPT) {
      // The server believes this page opened a newer connection than the one it uses (someone
      // else holds a higher number for this page): a new page id makes the retry replace it.
      page = Js.randomMeetingId().replace("-", "");
    }
    if (code == CloseCodes.E2EE_MISMATCH) { // the same page would be refused again
      closed = true;
      listener.ended("E2EE_MISMATCH", reason);
      return;
    }
    if (code == CloseCodes.REMOVED || code == CloseCodes.MEETING_ENDED) {
      closed = true;
      listener.ended(code == CloseCodes.REMOVED ? "REMOVED" : "MEETING_ENDED", reason);
      return;
    }
    retryLater(code, reason);
  }

  private void retryLater(int code, String reason) {
    listener.interrupted();
    int delay = reconnectDelayMs;
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, 10_000);
    listener.status(
        "disconnected (" + code + (reason.isEmpty() ? "" : ": " + reason) + "), retrying");
    Js.setTimeout(
        () -> {
          if (!closed) {
            open();
          }
        },
        delay);
  }

  private void startTimers() {
    stopTimers();
    heartbeatTimer = Js.setInterval(this::tick, 1000);
    reportTimer = Js.setInterval(this::report, REPORT_INTERVAL_MS);
    tick();
    report(); // at once: the server then starts every camera at its smallest layer for this page
  }

  private void stopTimers() {
    if (heartbeatTimer >= 0) {
      Js.clearTimer(heartbeatTimer);
      heartbeatTimer = -1;
    }
    if (reportTimer >= 0) {
      Js.clearTimer(reportTimer);
      reportTimer = -1;
    }
  }

  /** The receiver report: what arrived on this connection, and the size of each camera shown. */
  private void report() {
    ReceiverReport r = new ReceiverReport();
    r.bytesReceived = bytesReceived;
    r.tiles = listener.tileSizes();
    PacketWrapper p = new PacketWrapper();
    p.packetType = PacketWrapper.RECEIVER_REPORT;
    p.data = r.encode();
    send(p, false);
  }

  /** The once-a-second heartbeat (state, name), and an RTT probe every other second. */
  void tick() {
    MediaPacket m = new MediaPacket();
    m.mediaType = MediaPacket.HEARTBEAT;
    m.timestamp = Js.now();
    m.heartbeat = listener.heartbeat();
    send(wrap(m), false);
    if (rttCounter++ % 2 == 0) {
      MediaPacket probe = new MediaPacket();
      probe.mediaType = MediaPacket.RTT;
      probe.timestamp = Js.now();
      send(wrap(probe), false);
    }
  }

  static PacketWrapper wrap(MediaPacket m) {
    PacketWrapper p = new PacketWrapper();
    p.packetType = PacketWrapper.MEDIA;
    p.data = m.encode();
    return p;
  }
}
