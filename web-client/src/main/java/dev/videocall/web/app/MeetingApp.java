package dev.videocall.web.app;

import dev.videocall.types.CloseCodes;
import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.MeetingPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.SessionAssignedPacket;
import dev.videocall.types.wire.WireFormatException;
import dev.videocall.web.browser.MediaDevices;
import dev.videocall.web.browser.MediaStream;
import dev.videocall.web.browser.MediaStreamTrackProcessor;
import dev.videocall.web.browser.Page;
import dev.videocall.web.browser.WebTransport;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.teavm.jso.browser.Window;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;
import org.teavm.jso.webaudio.AudioContext;

/**
 * The meeting page: join screen with camera preview, then the meeting with one tile per
 * participant, controls and diagnostics. Reconnects by itself when the connection drops.
 */
final class MeetingApp implements PacketSink, Transport.Listener {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;
  private static final int FPS = 30;
  private static final int VIDEO_BITRATE = 600_000;

  private final String user;
  private final String meeting;
  private final String codec;
  private final HTMLDocument doc = HTMLDocument.current();
  private final Map<String, RemotePeer> peers = new LinkedHashMap<>();

  /**
   * Sessions announced as left. Over WebTransport their last media can arrive after the
   * announcement (another stream); it must not bring their tile back.
   */
  private final Set<Long> leftSessions = new LinkedHashSet<>();

  private static final int LEFT_SESSIONS_KEPT = 1024;
  private final Diagnostics diagnostics;

  private MediaStream stream;
  private boolean hasCamera;
  private boolean hasMic;
  private AudioContext audioContext;
  private Transport connection;

  /** How long WebTransport may take before the page falls back to WebSocket. */
  private static final int WEBTRANSPORT_BUDGET_MS = 2500;

  private CameraPublisher camera;
  private MicrophonePublisher microphone;
  private long sessionId;
  private boolean leaving;
  private int reconnectDelayMs = 1000;
  private int heartbeatTimer = -1;
  private double connectClickedMs;
  private double joinedAtMs;

  MeetingApp(String user, String meeting) {
    this.user = user;
    this.meeting = meeting;
    String requested = Page.queryParam("codec");
    this.codec = "vp9".equalsIgnoreCase(requested) ? CameraPublisher.VP9 : CameraPublisher.VP8;
    this.diagnostics = new Diagnostics(el("diagnostics"), el("diagnostics-rows"), peers);
  }

  void start() {
    el("join-user").setInnerText(user);
    el("join-meeting").setInnerText(meeting);
    el("meeting-name").setInnerText(meeting);
    doc.setTitle(meeting + " · videocall");
    on("connect", this::connect);
    on("use-here", this::useHere);
    on("leave", this::leave);
    on("toggle-mic", this::toggleMic);
    on("toggle-camera", this::toggleCamera);
    on("toggle-diagnostics", () -> toggle(el("toggle-diagnostics"), diagnostics.toggle()));
    acquireMedia();
  }

  // ---- join screen ----

  private void acquireMedia() {
    setState("joining");
    if (!Page.isSecureContext()) {
      doc.getDocumentElement().setAttribute("data-insecure", "true");
      deviceMessage(
          "Camera, microphone and video decoding need a secure (HTTPS) page, and this one was"
              + " opened over plain HTTP from another computer, so the browser blocks them. You"
              + " can still join and see who is in the meeting. For video and sound, open the"
              + " meeting over HTTPS: start the server with --https-self-signed (or --tls-cert and"
              + " --tls-key), or put it behind a TLS proxy.");
      ready(null);
      return;
    }
    if (!MediaDevices.isAvailable() || !MediaStreamTrackProcessor.isAvailable()) {
      deviceMessage(
          "This browser cannot capture camera or microphone here (it needs a Chromium browser"
              + " and a secure origin). You can still join to watch and listen.");
      ready(null);
      return;
    }
    tryDevices(0, null);
  }

  /** Camera and microphone, else camera only, else microphone only, else receive-only. */
  private static final boolean[][] DEVICE_ATTEMPTS = {{true, true}, {true, false}, {false, true}};

  private static final String[] FALLBACK_MESSAGES = {
    "",
    "Microphone unavailable: joining with video only.",
    "Camera unavailable: joining with audio only."
  };

  private void tryDevices(int attempt, String firstError) {
    if (attempt >= DEVICE_ATTEMPTS.length) {
      deviceMessage(
          "Camera and microphone are unavailable ("
              + firstError
              + "). You can still join to watch and listen.");
      ready(null);
      return;
    }
    boolean[] wanted = DEVICE_ATTEMPTS[attempt];
    MediaDevices.getUserMedia(wanted[0], wanted[1], WIDTH, HEIGHT, FPS)
        .then(
            s -> {
              if (attempt > 0) {
                deviceMessage(FALLBACK_MESSAGES[attempt] + " (" + firstError + ")");
              }
              ready(s);
              return null;
            },
            error -> {
              tryDevices(
                  attempt + 1, firstError != null ? firstError : MediaDevices.describe(error));
              return null;
            });
  }

  private void ready(MediaStream s) {
    stream = s;
    hasCamera = s != null && s.videoTrack() != null;
    hasMic = s != null && s.audioTrack() != null;
    HTMLElement preview = el("preview");
    if (hasCamera) {
      Page.attach(preview, s);
      el("preview-placeholder").setHidden(true);
    } else {
      el("preview-placeholder").setInnerText("No camera");
    }
    el("connect").removeAttribute("disabled");
    setState("ready");
  }

  private void deviceMessage(String text) {
    HTMLElement m = el("device-message");
    m.setInnerText(text);
    m.setHidden(false);
  }

  // ---- meeting ----

  private void connect() {
    connectClickedMs = Page.nowMs();
    leaving = false;
    if (audioContext == null) {
      audioContext = new AudioContext(); // created inside the click: allowed to play
    }
    el("join").setHidden(true);
    el("meeting").setHidden(false);
    addSelfTile();
    open();
  }

  /**
   * Opens the session: WebTransport first, WebSocket if that fails or is not ready in time; {@code
   * ?transport=websocket|webtransport} forces one.
   */
  private void open() {
    setStatus("connecting");
    String forced = Page.queryParam("transport");
    if ("websocket".equals(forced) || (forced == null && !WebTransport.isAvailable())) {
      openWebSocket();
      return;
    }
    WebTransportTransport.connect(
        user,
        meeting,
        this,
        WEBTRANSPORT_BUDGET_MS,
        new WebTransportTransport.Attempt() {
          @Override
          public void ready(WebTransportTransport transport) {
            if (leaving) {
              transport.close();
              return;
            }
            use(transport);
          }

          @Override
          public void failed(String why) {
            Page.log("WebTransport unavailable (" + why + ")");
            if (leaving) {
              return;
            }
            if ("webtransport".equals(forced)) {
              onClosed(1006, "WebTransport failed: " + why);
            } else {
              openWebSocket();
            }
          }
        });
  }

  private void openWebSocket() {
    String scheme = "https:".equals(Window.current().getLocation().getProtocol()) ? "wss" : "ws";
    String url =
        scheme
            + "://"
            + Window.current().getLocation().getHost()
            + "/lobby/"
            + user
            + "/"
            + meeting;
    use(new WebSocketTransport(url, this));
  }

  private void use(Transport transport) {
    connection = transport;
    doc.getDocumentElement().setAttribute("data-transport", transport.name());
  }

  @Override
  public void onOpen() {
    reconnectDelayMs = 1000;
    setStatus("connected");
  }

  @Override
  public void onPacket(PacketWrapper p) {
    try {
      switch (p.packetType) {
        case PacketWrapper.SESSION_ASSIGNED ->
            onSessionAssigned(SessionAssignedPacket.decode(p.data));
        case PacketWrapper.MEETING -> onMeetingEvent(MeetingPacket.decode(p.data));
        case PacketWrapper.MEDIA -> onMediaPacket(p, MediaPacket.decode(p.data));
        default -> {}
      }
    } catch (WireFormatException e) {
      Page.log("ignoring a malformed packet from " + p.userId + ": " + e.getMessage());
    }
  }

  private void onSessionAssigned(SessionAssignedPacket assigned) {
    sessionId = assigned.sessionId;
    joinedAtMs = Page.nowMs();
    setState("connected");
    if (hasCamera && camera == null) {
      camera = new CameraPublisher(stream.videoTrack(), this, codec, VIDEO_BITRATE, FPS);
      camera.start();
    }
    if (hasMic && microphone == null) {
      microphone = new MicrophonePublisher(stream.audioTrack(), this);
      microphone.start();
    }
    if (camera != null) {
      camera.requestKeyframe(); // newcomers and reconnects start clean
    }
    heartbeatTimer = Window.setInterval(this::sendHeartbeat, 1000);
    sendHeartbeat();
  }

  private void onMeetingEvent(MeetingPacket m) {
    switch (m.eventType) {
      case MeetingPacket.MEETING_STARTED -> {
        for (MeetingPacket.Participant p : m.participants) {
          addPeer(p.userId, p.sessionId, p.displayName);
        }
      }
      case MeetingPacket.PARTICIPANT_JOINED -> {
        addPeer(m.targetUserId, m.targetSessionId, m.displayName);
        if (camera != null) {
          camera.requestKeyframe(); // so the newcomer sees us at once
        }
      }
      case MeetingPacket.PARTICIPANT_LEFT -> removePeer(m.targetUserId, m.targetSessionId);
      default -> {}
    }
    updateCount();
  }

  private void onMediaPacket(PacketWrapper p, MediaPacket m) {
    if (m.mediaType == MediaPacket.KEYFRAME_REQUEST) {
      if (p.targetSessionId == sessionId && camera != null) {
        camera.requestKeyframe();
      }
      return;
    }
    RemotePeer peer = peers.get(p.userId);
    if (peer == null || peer.sessionId != p.sessionId) {
      if (leftSessions.contains(p.sessionId)) {
        return; // a straggler from a session that already left
      }
      peer = addPeer(p.userId, p.sessionId, p.userId);
    }
    peer.onMedia(m);
  }

  private RemotePeer addPeer(String userId, long peerSession, String displayName) {
    RemotePeer existing = peers.get(userId);
    if (existing != null) {
      if (existing.sessionId == peerSession) {
        return existing;
      }
      existing.close(); // the same user reconnected with a new session
    }
    HTMLElement tile = TileTemplate.instantiate(doc);
    el("grid").appendChild(tile);
    RemotePeer peer =
        new RemotePeer(
            userId,
            peerSession,
            displayName == null || displayName.isEmpty() ? userId : displayName,
            tile,
            audioContext,
            this::requestKeyframe,
            connectClickedMs,
            () -> joinedAtMs);
    peers.put(userId, peer);
    updateCount();
    return peer;
  }

  private void removePeer(String userId, long peerSession) {
    if (peerSession != 0) {
      leftSessions.add(peerSession);
      if (leftSessions.size() > LEFT_SESSIONS_KEPT) {
        leftSessions.remove(leftSessions.iterator().next());
      }
    }
    RemotePeer peer = peers.get(userId);
    if (peer != null && (peerSession == 0 || peer.sessionId == peerSession)) {
      peers.remove(userId);
      peer.close();
    }
  }

  private void requestKeyframe(long targetSession) {
    MediaPacket m = new MediaPacket();
    m.mediaType = MediaPacket.KEYFRAME_REQUEST;
    m.requestMediaType = MediaPacket.VIDEO;
    PacketWrapper p = wrap(m, 0);
    p.targetSessionId = targetSession;
    send(p);
  }

  private void sendHeartbeat() {
    MediaPacket m = new MediaPacket();
    m.mediaType = MediaPacket.HEARTBEAT;
    m.timestamp = System.currentTimeMillis();
    m.heartbeat = new MediaPacket.HeartbeatMetadata();
    m.heartbeat.videoEnabled = camera != null && camera.enabled();
    m.heartbeat.audioEnabled = microphone != null && microphone.enabled();
    m.heartbeat.displayName = user;
    send(wrap(m, 0));
    diagnostics.refresh();
  }

  @Override
  public void sendMedia(MediaPacket media, int mediaKind) {
    send(wrap(media, mediaKind), media.isKeyframe());
  }

  @Override
  public boolean congested() {
    return connection != null && connection.congested();
  }

  private PacketWrapper wrap(MediaPacket m, int kind) {
    PacketWrapper p = new PacketWrapper();
    p.packetType = PacketWrapper.MEDIA;
    p.userId = user;
    p.sessionId = sessionId;
    p.mediaKind = kind;
    p.data = m.encode();
    return p;
  }

  private void send(PacketWrapper p) {
    send(p, false);
  }

  private void send(PacketWrapper p, boolean keyframe) {
    if (connection != null) {
      connection.send(p, keyframe);
    }
  }

  @Override
  public void onClosed(int code, String reason) {
    stopHeartbeats();
    clearPeers();
    if (leaving) {
      return;
    }
    if (CloseCodes.forbidsReconnect(code)) {
      // the same participant joined from another tab or device: reconnecting by ourselves would
      // evict that one, which would reconnect and evict us, forever. The person decides.
      connection = null;
      setState("replaced");
      setStatus("joined from another tab");
      el("replaced").setHidden(false);
      return;
    }
    setState("reconnecting");
    setStatus("disconnected (" + code + (reason.isEmpty() ? "" : ": " + reason) + "), retrying");
    int delay = reconnectDelayMs;
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, 10_000);
    Window.setTimeout(
        () -> {
          if (!leaving) {
            open();
          }
        },
        delay);
  }

  /** Takes the meeting back from the other tab (which then shows this same choice). */
  private void useHere() {
    el("replaced").setHidden(true);
    reconnectDelayMs = 1000;
    open();
  }

  private void leave() {
    leaving = true;
    stopHeartbeats();
    if (connection != null) {
      connection.close();
    }
    if (camera != null) {
      camera.stop();
      camera = null;
    }
    if (microphone != null) {
      microphone.stop();
      microphone = null;
    }
    clearPeers();
    HTMLElement self = doc.getElementById("self-tile");
    if (self != null) {
      self.delete();
    }
    if (stream != null) {
      stream.stopAll();
    }
    el("meeting").setHidden(true);
    el("join").setHidden(false);
    el("connect").setAttribute("disabled", "");
    deviceMessage("You left the meeting.");
    acquireMedia();
  }

  private void toggleMic() {
    if (microphone != null) {
      microphone.setEnabled(!microphone.enabled());
      toggle(el("toggle-mic"), !microphone.enabled());
      el("toggle-mic").setInnerText(microphone.enabled() ? "Mute" : "Unmute");
      sendHeartbeat();
    }
  }

  private void toggleCamera() {
    if (camera != null) {
      camera.setEnabled(!camera.enabled());
      toggle(el("toggle-camera"), !camera.enabled());
      el("toggle-camera").setInnerText(camera.enabled() ? "Stop video" : "Start video");
      sendHeartbeat();
    }
  }

  // ---- page helpers ----

  private void addSelfTile() {
    if (doc.getElementById("self-tile") != null) {
      return;
    }
    HTMLElement tile = doc.createElement("div");
    tile.setAttribute("id", "self-tile");
    tile.setAttribute("data-self", "true");
    tile.setClassName("relative overflow-hidden rounded-xl bg-slate-800");
    HTMLElement video = doc.createElement("video");
    video.setAttribute("autoplay", "");
    video.setAttribute("muted", "");
    video.setAttribute("playsinline", "");
    video.setClassName("h-full w-full -scale-x-100 object-cover");
    if (hasCamera) {
      Page.attach(video, stream);
    }
    HTMLElement label = doc.createElement("span");
    label.setClassName("absolute bottom-2 left-2 rounded-md bg-black/60 px-2 py-1 text-sm");
    label.setInnerText(user + " (you)");
    tile.appendChild(video);
    tile.appendChild(label);
    el("grid").appendChild(tile);
    updateCount();
  }

  private void clearPeers() {
    for (RemotePeer p : peers.values()) {
      p.close();
    }
    peers.clear();
    updateCount();
  }

  private void stopHeartbeats() {
    if (heartbeatTimer >= 0) {
      Window.clearInterval(heartbeatTimer);
      heartbeatTimer = -1;
    }
  }

  private void updateCount() {
    int tiles = peers.size() + 1;
    el("participant-count").setInnerText(String.valueOf(tiles));
    el("grid").setClassName("grid flex-1 auto-rows-fr gap-2 p-2 " + GridLayout.columnsClass(tiles));
  }

  private void setState(String state) {
    doc.getDocumentElement().setAttribute("data-state", state);
  }

  private void setStatus(String text) {
    el("connection-status").setInnerText(text);
  }

  private static void toggle(HTMLElement button, boolean pressed) {
    button.setAttribute("aria-pressed", String.valueOf(pressed));
  }

  private HTMLElement el(String id) {
    return doc.getElementById(id);
  }

  private void on(String id, Runnable action) {
    el(id).addEventListener("click", (Event e) -> action.run());
  }
}
