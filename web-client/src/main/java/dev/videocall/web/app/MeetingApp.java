package dev.videocall.web.app;

import dev.videocall.types.wire.ChatPacket;
import dev.videocall.types.wire.LayerDemand;
import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.MeetingPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.ReceiverReport;
import dev.videocall.types.wire.SessionAssignedPacket;
import dev.videocall.types.wire.WireFormatException;
import dev.videocall.web.browser.Devices;
import dev.videocall.web.browser.Js;
import dev.videocall.web.browser.Levels;
import dev.videocall.web.browser.MediaStreamTrack;
import dev.videocall.web.browser.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;
import org.teavm.jso.webaudio.AudioContext;

/**
 * The meeting page: it wires the pieces together. The pre-join screen ({@link JoinScreen}), the
 * session ({@link MeetingConnection}), who is there ({@link Roster}), the tiles ({@link
 * MeetingView}), each remote participant's media ({@link RemotePeer}), this person's camera,
 * microphone and screen ({@link LocalMedia}, publishers), chat, the participant list, reactions,
 * the speaking ring ({@link SpeakerDetector}), diagnostics, and the controls with their shortcuts.
 */
final class MeetingApp
    implements MeetingConnection.Listener, Roster.Listener, RemotePeer.Host, PacketSink {
  private static final int VIDEO_BITRATE = 600_000;
  static final String[] REACTIONS = {"👍", "👏", "😂", "🎉", "❤️", "😮"};

  private final HTMLDocument doc = HTMLDocument.current();
  private final String shortcutUser;
  private final String meeting;
  private final String codec;
  private final LocalMedia media = new LocalMedia();
  private final AudioContext audio;
  private final Roster roster = new Roster(this);
  private final Map<Long, RemotePeer> peers = new LinkedHashMap<>();
  private final SpeakerDetector speakers = new SpeakerDetector();
  private final MeetingView view;
  private final Toasts toasts;
  private final Diagnostics diagnostics;
  private final Controls controls = new Controls();
  private final MeetingAccess access;
  private final HostTools hostTools;
  private JoinScreen join;
  private AskToJoin ask;
  private ChatPanel chat;
  private ParticipantsPanel people;
  private MeetingConnection connection;
  private PageE2ee e2ee; // null: the meeting is not end-to-end encrypted
  private String user;
  private String displayName = "";
  private Tile selfTile;
  private Tile selfScreenTile;
  private CameraPublisher camera;
  private CameraPublisher screen;
  private MicrophonePublisher mic;
  private MediaStreamTrack screenTrack;
  private Levels.Meter selfMeter;
  private boolean handRaised;
  private boolean inMeeting;
  private String panel; // "chat", "people" or null
  private double connectClickedMs;
  private double joinedAtMs;
  private double meetingStartMs;
  private int clockTimer = -1;

  MeetingApp(String user, String meeting) {
    this.shortcutUser = user;
    this.meeting = meeting;
    String requested = Page.queryParam("codec");
    this.codec = "vp9".equalsIgnoreCase(requested) ? CameraPublisher.VP9 : CameraPublisher.VP8;
    this.audio = newAudioContext();
    this.view = new MeetingView(el("tiles"));
    view.onUnpinned(this::updateButtons); // the layout button says what it switches to
    this.toasts = new Toasts(el("toasts"));
    this.diagnostics = new Diagnostics(el("diagnostics"), el("diagnostics-rows"), el("rtt"));
    this.access = new MeetingAccess(meeting, user);
    this.hostTools =
        new HostTools(
            access,
            new HostTools.Listener() {
              @Override
              public void hostsChanged() {
                renderPeople();
              }

              @Override
              public void toast(String text) {
                toasts.show(text);
              }

              @Override
              public void confirmEnd() {
                el("leave-dialog").setHidden(false);
              }
            });
  }

  @org.teavm.jso.JSBody(script = "try { return new AudioContext(); } catch (vcE) { return null; }")
  private static native AudioContext newAudioContext();

  @org.teavm.jso.JSBody(params = "ctx", script = "if (ctx && ctx.resume) ctx.resume();")
  private static native void resume(AudioContext ctx);

  void start() {
    doc.setTitle(meeting + " · videocall");
    el("meeting-name").setInnerText(meeting);
    join =
        new JoinScreen(
            media,
            audio,
            name -> {
              displayName = name;
              connectClickedMs = Page.nowMs(); // the join latency includes asking the server
              ask.ask(name);
            });
    ask =
        new AskToJoin(
            access,
            join,
            new AskToJoin.Listener() {
              @Override
              public void admitted(String displayName) {
                join.hide();
                enter(displayName);
              }

              @Override
              public void refused(String code, String message) {
                join.hide();
                media.closeAll();
                showEnded(code, message);
              }
            });
    on("waiting-cancel", ask::cancel);
    // /meeting/<user>/<meeting>: the user segment names the person (a name hint with identity)
    String defaultName =
        Prefs.displayName().isEmpty() && shortcutUser != null && !serverMade(shortcutUser)
            ? shortcutUser
            : Prefs.displayName();
    join.start(meeting, defaultName);
    ask.prepare(defaultName);
    setUpMeeting();
  }

  /** A server-made subject ("g-" and 16 hex digits): an id, never a name to show. */
  static boolean serverMade(String id) {
    if (id.length() != 18 || !id.startsWith("g-")) {
      return false;
    }
    for (int i = 2; i < id.length(); i++) {
      if (Character.digit(id.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  // ---- entering and leaving ----

  private void enter(String name) {
    if (access.e2ee() && !PageE2ee.available()) {
      media.closeAll();
      showEnded(
          "E2EE_UNAVAILABLE",
          "This meeting is end-to-end encrypted, and this browser cannot encrypt here: open the"
              + " meeting over HTTPS (or on localhost) in a current browser.");
      return;
    }
    e2ee = access.e2ee() ? new PageE2ee(e2eeListener()) : null;
    showEncryption();
    user = access.user();
    doc.getDocumentElement().setAttribute("data-user", user);
    displayName = name;
    resume(audio);
    inMeeting = true;
    el("join").setHidden(true);
    el("left").setHidden(true);
    el("meeting").setHidden(false);
    selfTile = new Tile(doc, Tile.Kind.SELF, "self", true, () -> pin(selfTile));
    selfTile.root.setAttribute("id", "self-tile");
    selfTile.root.setAttribute("data-self", "true");
    selfTile.name(name + " (you)", name);
    view.add(selfTile);
    // Simulcast only when asked for (?simulcast=1): on a loaded 2-core machine the selector still
    // drops receivers to the smallest layer on a busy page's lateness,
    // and PictureQualityE2ETest then sees its 29-30 dB pictures. (Tried again with temporal layers
    // and a smallest layer at 12 %: three pages in one browser on two cores fell to the small
    // layers, PSNR minimum 29.2 dB, and the WebSocket run managed 54 samples in 30 s.)
    // Temporal layers unless asked not to (?temporal=0, to compare)
    boolean temporal = !"0".equals(Page.queryParam("temporal"));
    camera =
        CameraPublisher.camera(
            this,
            codec,
            VIDEO_BITRATE,
            LocalMedia.FPS,
            "1".equals(Page.queryParam("simulcast")),
            temporal);
    screen = CameraPublisher.screen(this, temporal);
    mic = new MicrophonePublisher(this, e2ee != null);
    mic.setEnabled(media.micWanted());
    showSelfCamera(media.cameraWanted() ? media.camera() : null);
    if (media.mic() != null) {
      selfMeter = Levels.meter(audio, media.mic());
    }
    updateButtons();
    Devices.setSpeaker(audio, media.speakerDevice());
    connection = new MeetingConnection(access, name, this);
    connection.open();
    hostTools.start();
    startClock();
    renderPeople();
    view.layout();
  }

  private PageE2ee.Listener e2eeListener() {
    return new PageE2ee.Listener() {
      @Override
      public void sendNow(PacketWrapper p, boolean keyframe) {
        if (connection != null) {
          connection.send(p, keyframe);
        }
      }

      @Override
      public void safetyCodes() {
        for (RemotePeer p : peers.values()) {
          String code = e2ee.safetyCode(p.person.sessionId);
          if (code != null) {
            p.tile.root.setAttribute("data-safety-code", code);
          }
        }
        renderPeople();
      }

      @Override
      public void selfTestFailed(String why) {
        showEnded(
            "E2EE_UNAVAILABLE",
            "This browser's encryption gave a wrong answer to a known test, so this end-to-end"
                + " encrypted meeting cannot be joined from it ("
                + why
                + ").");
      }
    };
  }

  /** The lock in the header of an end-to-end encrypted meeting. */
  private void showEncryption() {
    HTMLElement badge = el("e2e-badge");
    badge.setHidden(e2ee == null);
    el("e2ee-hint").setHidden(e2ee == null);
    doc.getDocumentElement().setAttribute("data-e2ee", e2ee == null ? "off" : "on");
    if (e2ee != null) {
      badge.setClassName(
          "flex items-center gap-1 rounded-full bg-emerald-900/70 px-2 py-0.5 text-xs"
              + " text-emerald-100");
      badge.setAttribute(
          "title",
          "End-to-end encrypted: only the people here can see and hear"
              + " it. Compare safety codes in People.");
      badge.setAttribute("role", "img");
      badge.setAttribute("aria-label", "End-to-end encrypted");
      HTMLElement lock = doc.createElement("span");
      lock.setClassName("inline-block h-3.5 w-3.5 shrink-0");
      lock.setInnerHTML(Icons.svg("lock"));
      badge.setInnerHTML("");
      badge.appendChild(lock);
      HTMLElement text = doc.createElement("span");
      text.setClassName("hidden sm:inline");
      text.setInnerText("Encrypted");
      badge.appendChild(text);
    }
  }

  /** A host is asked whether the meeting goes on without them, or ends for everyone. */
  private void leaveAsked() {
    if (hostTools.isHost()) {
      el("leave-dialog").setHidden(false);
      Js.focus(el("leave-only"));
      return;
    }
    leave();
  }

  private void leave() {
    stopMeeting();
    el("left-title").setInnerText("You left the meeting");
    el("left-detail").setInnerText("You were in " + meeting + ".");
    el("rejoin").setHidden(false);
    el("rejoin").setInnerText("Rejoin");
    doc.getDocumentElement().setAttribute("data-state", "left");
  }

  /**
   * The end of this person's meeting, not of their choosing: removed, the meeting ended, or never
   * let in. Nothing is retried, and the screen says why.
   */
  private void showEnded(String code, String message) {
    if (inMeeting) {
      stopMeeting();
    }
    el("join").setHidden(true);
    el("meeting").setHidden(true);
    el("left").setHidden(false);
    String title;
    String detail;
    String state;
    switch (code) {
      case "REMOVED" -> {
        title = "You were removed from the meeting";
        detail = "A host removed you from " + meeting + ". You can't rejoin it.";
        state = "removed";
      }
      case "MEETING_ENDED" -> {
        title = "The meeting has ended";
        detail = "A host ended " + meeting + " for everyone.";
        state = "ended";
      }
      case "REJECTED" -> {
        title = "You weren't let in";
        detail = "Your request to join " + meeting + " was declined.";
        state = "rejected";
      }
      case "MEETING_LOCKED" -> {
        title = "This meeting is locked";
        detail =
            "A host locked this meeting, so no one new can join. Ask them to unlock it, then"
                + " try again.";
        state = "locked";
      }
      case "E2EE_MISMATCH" -> {
        title = "You can't join this meeting";
        detail =
            access.e2ee()
                ? "This meeting is not end-to-end encrypted, and this link asks for encryption."
                : "This meeting is end-to-end encrypted. Open it with its invitation link, which"
                    + " ends in ?e2ee=1.";
        state = "refused";
      }
      default -> {
        title = "You can't join this meeting";
        detail = message;
        state = "refused";
      }
    }
    el("left-title").setInnerText(title);
    el("left-detail").setInnerText(detail);
    // a locked meeting may be unlocked: trying again makes sense; the rest are final
    el("rejoin").setHidden(!"locked".equals(state));
    el("rejoin").setInnerText("locked".equals(state) ? "Try again" : "Rejoin");
    doc.getDocumentElement().setAttribute("data-state", state);
  }

  private void stopMeeting() {
    el("leave-dialog").setHidden(true);
    hostTools.stop();
    inMeeting = false;
    connection.close();
    stopSharing();
    camera.stop();
    screen.stop();
    mic.stop();
    media.closeAll(); // the camera's light goes off, and stays off
    if (selfMeter != null) {
      Levels.close(selfMeter);
      selfMeter = null;
    }
    roster.clear();
    view.remove(selfTile);
    stopClock();
    el("meeting").setHidden(true);
    el("left").setHidden(false);
  }

  /** Rejoin from the "you left" screen: the devices that were on come back on. */
  private void rejoin() {
    if ("locked".equals(doc.getDocumentElement().getAttribute("data-state"))) {
      Js.navigate(Js.path()); // from the start: the join screen, then the server's answer
      return;
    }
    el("left").setHidden(true);
    media.openMic(
        m -> {
          connectClickedMs = Page.nowMs();
          if (media.cameraWanted()) {
            media.openCamera(c -> ask.ask(displayName));
          } else {
            ask.ask(displayName);
          }
        });
  }

  // ---- the meeting's chrome ----

  private void setUpMeeting() {
    controls.bind("toggle-mic", "m", "Mute or unmute the microphone", this::toggleMic);
    controls.bind("toggle-camera", "v", "Turn the camera off or on", this::toggleCamera);
    controls.bind("toggle-screen", "s", "Share your screen, or stop", this::toggleScreen);
    controls.bind("toggle-hand", "h", "Raise or lower your hand", this::toggleHand);
    controls.bind("toggle-reactions", null, null, this::toggleReactionPicker);
    controls.bind("toggle-chat", "c", "Open or close the chat", () -> togglePanel("chat"));
    controls.bind("toggle-people", "p", "Show who is here", () -> togglePanel("people"));
    controls.bind("toggle-layout", "l", "Switch between grid and speaker view", this::toggleLayout);
    controls.bind("toggle-diagnostics", "d", "Show connection details", this::toggleDiagnostics);
    controls.bind("leave", "X", "Leave the meeting", this::leaveAsked);
    controls.bind("toggle-more", null, null, this::toggleMoreMenu);
    controls.start(this::escape);
    on("use-here", this::useHere);
    on("leave-only", this::leave);
    on(
        "leave-end",
        () -> {
          el("leave-dialog").setHidden(true);
          hostTools.end();
        });
    on("leave-cancel", () -> el("leave-dialog").setHidden(true));
    on("rejoin", this::rejoin);
    on("tab-chat", () -> showPanel("chat"));
    on("tab-people", () -> showPanel("people"));
    on("close-panel", () -> showPanel(null));
    on("copy-link", this::copyLink);
    on("alone-copy-link", this::copyLink);
    on("header-people", () -> togglePanel("people"));
    on("open-settings", this::openSettings);
    on("close-settings", () -> el("settings").setHidden(true));
    el("settings-camera")
        .addEventListener(
            "change",
            (Event e) ->
                media.switchCamera(
                    Js.value(el("settings-camera")),
                    track -> {
                      showSelfCamera(track);
                      afterStateChange();
                    }));
    el("settings-mic")
        .addEventListener(
            "change",
            (Event e) ->
                media.switchMic(
                    Js.value(el("settings-mic")),
                    track -> {
                      mic.setTrack(track);
                      if (selfMeter != null) {
                        Levels.close(selfMeter);
                      }
                      selfMeter = track == null ? null : Levels.meter(audio, track);
                      afterStateChange();
                    }));
    el("settings-speaker")
        .addEventListener(
            "change",
            (Event e) -> {
              String id = Js.value(el("settings-speaker"));
              media.speaker(id);
              Devices.setSpeaker(audio, id);
            });
    chat =
        new ChatPanel(
            el("chat-messages"),
            el("chat-form"),
            el("chat-input"),
            el("toggle-chat"),
            p -> send(p, false),
            () -> "chat".equals(panel));
    people =
        new ParticipantsPanel(
            el("people-list"),
            el("people-count"),
            new ParticipantsPanel.Actions() {
              @Override
              public boolean allowed() {
                return hostTools.isHost();
              }

              @Override
              public void act(String key, String name, String action) {
                hostTools.act(key, name, action);
              }
            });
    HTMLElement picker = el("reaction-picker");
    for (String emoji : REACTIONS) {
      HTMLElement b = doc.createElement("button");
      b.setAttribute("type", "button");
      b.setAttribute("aria-label", "React " + emoji);
      b.setAttribute("data-reaction", emoji);
      b.setClassName(
          "flex h-11 w-11 items-center justify-center rounded-full text-2xl hover:bg-slate-700");
      b.setInnerText(emoji);
      b.addEventListener("click", (Event e) -> react(emoji));
      picker.appendChild(b);
    }
    Js.onResize(view::layout);
    Js.setInterval(this::everySecond, 1000);
    Js.setInterval(this::selfLevel, 100);
    updateButtons();
  }

  private void updateButtons() {
    boolean micOn = media.micWanted() && media.mic() != null;
    Controls.set(
        el("toggle-mic"),
        micOn ? "mic" : "mic-off",
        micOn ? "Mute microphone" : "Unmute microphone",
        !micOn);
    boolean camOn = cameraOn();
    Controls.set(
        el("toggle-camera"),
        camOn ? "camera" : "camera-off",
        camOn ? "Turn camera off" : "Turn camera on",
        !camOn);
    boolean sharing = screenTrack != null;
    Controls.set(el("toggle-screen"), "screen", sharing ? "Stop sharing" : "Share screen", false);
    el("toggle-screen").setAttribute("aria-pressed", String.valueOf(sharing));
    el("toggle-screen").setHidden(!Devices.canShareScreen());
    Controls.set(el("toggle-hand"), "hand", handRaised ? "Lower hand" : "Raise hand", false);
    el("toggle-hand").setAttribute("aria-pressed", String.valueOf(handRaised));
    Controls.set(el("toggle-reactions"), "smile", "Send a reaction", false);
    Controls.set(el("toggle-chat"), "chat", "Chat", false);
    el("toggle-chat").setAttribute("aria-pressed", String.valueOf("chat".equals(panel)));
    if (chat != null) {
      chat.reattachBadge(el("toggle-chat"));
    }
    Controls.set(el("toggle-people"), "people", "People", false);
    el("toggle-people").setAttribute("aria-pressed", String.valueOf("people".equals(panel)));
    Controls.set(
        el("toggle-layout"),
        view.speakerView() ? "grid" : "speaker-view",
        view.speakerView() ? "Grid view" : "Speaker view",
        false);
    Controls.set(el("toggle-diagnostics"), "stats", "Connection details", false);
    Controls.set(el("leave"), "leave", "Leave the meeting", false);
    Controls.set(el("toggle-more"), "more", "More", false);
    if (selfTile != null) {
      selfTile.micOn(micOn);
      selfTile.cameraOn(camOn);
      selfTile.hand(handRaised);
    }
  }

  private void toggleMic() {
    if (media.mic() == null) {
      media.openMic(
          track -> {
            if (track != null) {
              media.micWanted(true);
              mic.setTrack(track);
              mic.setEnabled(true);
              selfMeter = Levels.meter(audio, track);
            }
            afterStateChange();
          });
      return;
    }
    media.micWanted(!media.micWanted());
    mic.setEnabled(media.micWanted());
    afterStateChange();
  }

  /** Whether the camera is on: wanted, and open. */
  private boolean cameraOn() {
    return media.cameraWanted() && media.camera() != null;
  }

  /** Camera off stops the track (the light goes off); on opens it again, starting a keyframe. */
  private void toggleCamera() {
    if (cameraOn()) {
      camera.setTrack(null);
      media.closeCamera();
      showSelfCamera(null);
      afterStateChange();
    } else {
      media.openCamera(
          track -> {
            showSelfCamera(track);
            afterStateChange();
          });
    }
  }

  private void showSelfCamera(MediaStreamTrack track) {
    if (camera != null && inMeeting && connection != null && connection.sessionId() != 0) {
      camera.setTrack(track);
    }
    if (track != null) {
      Devices.show(selfTile.video(), Devices.streamOf(track));
    }
    selfTile.showVideo(track != null);
  }

  private void toggleScreen() {
    if (screenTrack != null) {
      stopSharing();
      afterStateChange();
      return;
    }
    Devices.screen()
        .then(
            s -> {
              screenTrack = s.videoTrack();
              Devices.onEnded(screenTrack, this::onScreenEnded); // the browser's "Stop sharing"
              screen.setTrack(screenTrack);
              selfScreenTile =
                  new Tile(doc, Tile.Kind.SCREEN, "self-screen", true, () -> pin(selfScreenTile));
              selfScreenTile.root.setAttribute("data-screen-share", "true");
              selfScreenTile.root.setAttribute("data-screen-of", user);
              selfScreenTile.root.setAttribute("data-self", "true");
              selfScreenTile.name("Your screen");
              Devices.show(selfScreenTile.video(), s);
              selfScreenTile.showVideo(true);
              view.add(selfScreenTile);
              afterStateChange();
              return null;
            },
            error -> {
              toasts.show("Screen sharing was not started.");
              return null;
            });
  }

  private void onScreenEnded() {
    stopSharing();
    afterStateChange();
  }

  private void stopSharing() {
    if (screenTrack == null) {
      return;
    }
    screen.setTrack(null);
    screenTrack.stop();
    screenTrack = null;
    if (selfScreenTile != null) {
      view.remove(selfScreenTile);
      selfScreenTile = null;
    }
  }

  private void toggleHand() {
    handRaised = !handRaised;
    afterStateChange();
  }

  /** The others hear of a change at once (not at the next heartbeat). */
  private void afterStateChange() {
    updateButtons();
    if (connection != null) {
      connection.tick();
    }
    renderPeople();
  }

  private void toggleReactionPicker() {
    HTMLElement picker = el("reaction-picker");
    picker.setHidden(!picker.isHidden());
    el("toggle-reactions").setAttribute("aria-expanded", String.valueOf(!picker.isHidden()));
  }

  private void react(String emoji) {
    ChatPacket.Reaction r = new ChatPacket.Reaction();
    r.emoji = emoji;
    PacketWrapper p = new PacketWrapper();
    p.packetType = PacketWrapper.REACTION;
    p.data = r.encode();
    send(p, false);
    showReaction("You", emoji);
    toggleReactionPicker();
  }

  private void showReaction(String who, String emoji) {
    boolean known = false;
    for (String e : REACTIONS) {
      known |= e.equals(emoji);
    }
    if (!known) {
      return; // only what the page offers
    }
    HTMLElement r = doc.createElement("div");
    r.setClassName("vc-reaction flex flex-col items-center");
    r.setAttribute("data-reaction-shown", emoji);
    r.getStyle().setProperty("left", (10 + Math.random() * 75) + "%");
    HTMLElement e = doc.createElement("span");
    e.setInnerText(emoji);
    HTMLElement n = doc.createElement("span");
    n.setClassName("rounded bg-black/60 px-1 text-xs");
    n.setInnerText(who);
    r.appendChild(e);
    r.appendChild(n);
    el("reactions").appendChild(r);
    Js.setTimeout(r::delete, 3600);
  }

  private void togglePanel(String which) {
    showPanel(which.equals(panel) ? null : which);
  }

  private void showPanel(String which) {
    panel = which;
    el("side-panel").setHidden(which == null);
    el("chat-panel").setHidden(!"chat".equals(which));
    el("people-panel").setHidden(!"people".equals(which));
    el("tab-chat").setAttribute("aria-selected", String.valueOf("chat".equals(which)));
    el("tab-people").setAttribute("aria-selected", String.valueOf("people".equals(which)));
    if ("chat".equals(which)) {
      chat.opened();
    }
    renderPeople();
    updateButtons();
    view.layout();
  }

  /**
   * Escape closes what is open, the topmost first: a dialog, a menu, then the side panel. (In a
   * text field it only gave the keyboard back: see {@link Controls}.)
   */
  private void escape() {
    for (String id : new String[] {"leave-dialog", "settings", "more-menu", "reaction-picker"}) {
      if (!el(id).isHidden()) {
        el(id).setHidden(true);
        el("toggle-reactions").setAttribute("aria-expanded", "false");
        el("toggle-more").setAttribute("aria-expanded", "false");
        return;
      }
    }
    if (panel != null) {
      showPanel(null);
    }
  }

  /**
   * The "More" menu of a narrow window: the controls the window has no room for (the same buttons,
   * hidden by the styles at this width), and the settings.
   */
  private void toggleMoreMenu() {
    HTMLElement menu = el("more-menu");
    boolean open = menu.isHidden();
    menu.setHidden(!open);
    el("toggle-more").setAttribute("aria-expanded", String.valueOf(open));
    if (!open) {
      return;
    }
    menu.setInnerText("");
    for (String id :
        new String[] {
          "toggle-hand", "toggle-screen", "toggle-people", "toggle-layout", "toggle-diagnostics"
        }) {
      HTMLElement button = el(id);
      if (Js.displayed(button) || (id.equals("toggle-screen") && !Devices.canShareScreen())) {
        continue; // it is on the bar already, or this browser cannot do it
      }
      String pressed = button.getAttribute("aria-pressed");
      moreItem(
          menu,
          button.getInnerHTML(),
          button.getAttribute("aria-label"),
          "true".equals(pressed),
          button::click);
    }
    moreItem(
        menu,
        Icons.svg("settings").replace("<svg ", "<svg class=\"h-6 w-6\" "),
        "Settings",
        false,
        this::openSettings);
  }

  private void moreItem(
      HTMLElement menu, String iconHtml, String label, boolean on, Runnable action) {
    HTMLElement item = doc.createElement("button");
    item.setAttribute("type", "button");
    item.setAttribute("role", "menuitem");
    item.setClassName("vc-menu-item" + (on ? " text-sky-300" : ""));
    HTMLElement icon = doc.createElement("span");
    icon.setClassName("inline-flex h-6 w-6 shrink-0");
    icon.setInnerHTML(iconHtml);
    HTMLElement text = doc.createElement("span");
    text.setInnerText(label);
    item.appendChild(icon);
    item.appendChild(text);
    item.addEventListener(
        "click",
        (Event e) -> {
          el("more-menu").setHidden(true);
          el("toggle-more").setAttribute("aria-expanded", "false");
          action.run();
        });
    menu.appendChild(item);
  }

  /** Pins a tile (shown large) or unpins it; the layout button says what it now switches to. */
  private void pin(Tile t) {
    view.togglePin(t);
    updateButtons();
  }

  private void toggleLayout() {
    view.speakerView(!view.speakerView());
    updateButtons();
  }

  private void toggleDiagnostics() {
    el("toggle-diagnostics").setAttribute("aria-pressed", String.valueOf(diagnostics.toggle()));
  }

  private void copyLink() {
    // the link says the meeting is encrypted: without identity that makes it so; with identity
    // a page that opens it refuses a server that says otherwise
    String link = Js.origin() + "/meeting/" + meeting + (access.e2ee() ? "?e2ee=1" : "");
    Js.copy(
        link,
        result ->
            toasts.show(
                "ok".equals(result)
                    ? "Invitation link copied: " + link
                    : "Invitation link: " + link));
    el("copy-link").setAttribute("data-link", link);
  }

  /** Camera, microphone and speaker, switched during the call without rejoining. */
  private void openSettings() {
    JoinScreen.fill(el("settings-camera"), "videoinput", media.cameraDevice());
    JoinScreen.fill(el("settings-mic"), "audioinput", media.micDevice());
    JoinScreen.fill(el("settings-speaker"), "audiooutput", media.speakerDevice());
    el("settings-speaker-label").setHidden(!Devices.canChooseSpeaker());
    el("settings").setHidden(false);
  }

  private void useHere() {
    el("replaced").setHidden(true);
    connection.open();
  }

  // ---- clock and levels ----

  private void startClock() {
    stopClock();
    clockTimer = Js.setInterval(this::tickClock, 1000);
  }

  private void stopClock() {
    if (clockTimer >= 0) {
      Js.clearTimer(clockTimer);
      clockTimer = -1;
    }
  }

  private void tickClock() {
    double start = meetingStartMs > 0 ? meetingStartMs : Js.now();
    long s = Math.max(0, (long) ((Js.now() - start) / 1000));
    long h = s / 3600;
    long m = (s / 60) % 60;
    long sec = s % 60;
    el("call-timer")
        .setInnerText(
            (h > 0 ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (sec < 10 ? "0" : "") + sec);
  }

  private void everySecond() {
    if (inMeeting) {
      diagnostics.refresh(peers.values());
      reportLayers();
      if (e2ee != null) {
        e2ee.tick();
        reportEncryption();
      }
      double now = Page.nowMs();
      for (RemotePeer p : peers.values()) {
        p.tile.stale(p.person.silent(now));
        if (p.screenTileOutlived(now)) {
          view.remove(p.screenTile);
          p.screenEnded();
        }
      }
    }
  }

  /** The encryption's counters: for diagnostics, and as {@code data-*} for tests. */
  private void reportEncryption() {
    dev.videocall.types.e2ee.E2eeSession.Counters c = e2ee.counters();
    HTMLElement root = doc.getDocumentElement();
    root.setAttribute("data-e2ee-kid", String.valueOf(e2ee.currentKid()));
    root.setAttribute("data-e2ee-encrypted", String.valueOf(c.encrypted));
    root.setAttribute("data-e2ee-decrypted", String.valueOf(c.decrypted));
    root.setAttribute("data-e2ee-auth-failed", String.valueOf(c.authFailed));
    root.setAttribute("data-e2ee-no-key", String.valueOf(c.noKey));
    root.setAttribute("data-e2ee-encrypt-ms", String.valueOf(e2ee.medianEncryptMs()));
    root.setAttribute("data-e2ee-decrypt-ms", String.valueOf(e2ee.medianDecryptMs()));
    diagnostics.encryption(
        "key "
            + e2ee.currentKid()
            + " · "
            + c.decrypted
            + " frames decrypted · "
            + (c.authFailed + c.noKey + c.malformed)
            + " refused");
  }

  private void selfLevel() {
    if (!inMeeting || selfTile == null) {
      return;
    }
    double level = selfMeter != null && media.micWanted() ? Levels.read(selfMeter) : 0;
    selfTile.speaking(speakers.level("self", level, Page.nowMs()));
  }

  @Override
  public void audioLevel(RemotePeer peer, double level) {
    boolean speaking = speakers.level(String.valueOf(peer.person.sessionId), level, Page.nowMs());
    peer.tile.speaking(speaking);
    String active = speakers.active();
    if (active != null && !"self".equals(active)) {
      RemotePeer p = peers.get(Long.parseLong(active));
      if (p != null) {
        view.activeSpeaker(p.tile);
      }
    }
  }

  // ---- the session ----

  @Override
  public void assigned(SessionAssignedPacket a) {
    joinedAtMs = Page.nowMs();
    doc.getDocumentElement().setAttribute("data-state", "connected");
    if (media.cameraWanted() && media.camera() != null) {
      camera.setTrack(media.camera());
    }
    if (media.mic() != null) {
      mic.setTrack(media.mic());
    }
    if (screenTrack != null) {
      screen.setTrack(screenTrack);
    }
    camera.requestKeyframe(); // newcomers and reconnects start clean
    if (e2ee != null) {
      e2ee.start(a.sessionId); // new session, new keys: the others' old keys for us are useless
      for (Roster.Person p : roster.people()) {
        // still shown (media that was in flight may have brought them back after the roster was
        // cleared): members of the new session too, or their keys would wait forever
        e2ee.memberJoined(p.sessionId, false);
      }
    }
    updateButtons();
    hostTools.refresh(); // a reconnect may have missed a change of hosts
  }

  @Override
  public void status(String status) {
    HTMLElement pill = el("connection-status");
    pill.setInnerText(status);
    pill.setAttribute("data-status", status);
    pill.setHidden("connected".equals(status)); // shown only when something is wrong
  }

  @Override
  public void interrupted() {
    doc.getDocumentElement().setAttribute("data-state", "reconnecting");
    roster.clear();
  }

  @Override
  public void replaced() {
    roster.clear();
    doc.getDocumentElement().setAttribute("data-state", "replaced");
    status("joined from another tab");
    el("replaced").setHidden(false);
  }

  @Override
  public void ended(String code, String message) {
    showEnded(code, message);
  }

  @Override
  public List<ReceiverReport.TileSize> tileSizes() {
    double ratio = Page.devicePixelRatio();
    List<ReceiverReport.TileSize> sizes = new ArrayList<>();
    for (RemotePeer p : peers.values()) {
      // the tile's box is what the picture fills; a tile not laid out (hidden) measures 0
      int height = (int) Math.round(p.tile.root.getClientHeight() * ratio);
      sizes.add(new ReceiverReport.TileSize(p.person.sessionId, height));
      if (sizes.size() == ReceiverReport.MAX_TILES) {
        break;
      }
    }
    return sizes;
  }

  @Override
  public void layerDemand(LayerDemand demand) {
    camera.demand(demand.instance, demand.cameraLayers);
  }

  /** The camera's simulcast layers as {@code data-*}, for tests and diagnostics. */
  private void reportLayers() {
    HTMLElement root = doc.getDocumentElement();
    root.setAttribute("data-camera-layers", camera.runningLayers());
    root.setAttribute("data-camera-layer-sizes", camera.layerSizes());
    root.setAttribute("data-camera-layer-frames", camera.layerFrames());
    root.setAttribute("data-camera-temporal-layers", String.valueOf(camera.temporalLayers()));
  }

  @Override
  public void rtt(double ms) {
    diagnostics.rtt(ms);
  }

  @Override
  public MediaPacket.HeartbeatMetadata heartbeat() {
    MediaPacket.HeartbeatMetadata h = new MediaPacket.HeartbeatMetadata();
    h.videoEnabled = cameraOn();
    h.audioEnabled = media.micWanted() && media.mic() != null;
    h.screenEnabled = screenTrack != null;
    h.handRaised = handRaised;
    h.displayName = displayName;
    return h;
  }

  @Override
  public void packet(PacketWrapper p) {
    if (e2ee == null) {
      dispatch(p, null);
      return;
    }
    try {
      e2ee.receive(p, this::dispatch);
    } catch (WireFormatException e) {
      Page.log("ignoring a malformed packet from " + p.userId + ": " + e.getMessage());
    }
  }

  /** A packet as this page reads it (decrypted already in an end-to-end encrypted meeting). */
  private void dispatch(PacketWrapper p, MediaPacket decoded) {
    try {
      switch (p.packetType) {
        case PacketWrapper.MEETING -> onMeetingEvent(MeetingPacket.decode(p.data));
        case PacketWrapper.MEDIA ->
            onMedia(p, decoded != null ? decoded : MediaPacket.decode(p.data));
        case PacketWrapper.CHAT -> {
          Roster.Person from = roster.get(p.sessionId);
          chat.received(from == null ? p.userId : from.name, ChatPacket.decode(p.data));
        }
        case PacketWrapper.REACTION -> {
          Roster.Person from = roster.get(p.sessionId);
          showReaction(
              from == null ? p.userId : from.name, ChatPacket.Reaction.decode(p.data).emoji);
        }
        default -> {}
      }
    } catch (WireFormatException e) {
      Page.log("ignoring a malformed packet from " + p.userId + ": " + e.getMessage());
    }
  }

  private void onMeetingEvent(MeetingPacket m) {
    double now = Page.nowMs();
    switch (m.eventType) {
      case MeetingPacket.MEETING_STARTED -> {
        if (m.startTimeMs > 0) {
          meetingStartMs = m.startTimeMs;
        }
        for (MeetingPacket.Participant p : m.participants) {
          roster.add(p.userId, p.sessionId, p.displayName, now, false);
        }
      }
      case MeetingPacket.PARTICIPANT_JOINED -> {
        roster.add(m.targetUserId, m.targetSessionId, m.displayName, now, true);
        camera.requestKeyframe(); // so the newcomer sees us at once
        screen.requestKeyframe();
      }
      case MeetingPacket.PARTICIPANT_LEFT -> roster.remove(m.targetSessionId, m.message);
      case MeetingPacket.MUTE_REQUESTED -> {
        if (m.targetUserId.equals(user) && media.micWanted()) {
          media.micWanted(false);
          mic.setEnabled(false);
          afterStateChange();
          toasts.show(by(m) + " muted you");
        }
      }
      case MeetingPacket.VIDEO_STOP_REQUESTED -> {
        if (m.targetUserId.equals(user) && cameraOn()) {
          toggleCamera();
          toasts.show(by(m) + " turned off your camera");
        }
      }
      default -> hostTools.onEvent(m);
    }
  }

  /** Who made a host's decision (the event carries the host's display name). */
  private static String by(MeetingPacket m) {
    return m.displayName == null || m.displayName.isEmpty() ? "A host" : m.displayName;
  }

  private void onMedia(PacketWrapper p, MediaPacket m) {
    if (m.mediaType == MediaPacket.KEYFRAME_REQUEST) {
      if (p.targetSessionId == connection.sessionId()) {
        if (m.requestMediaType == MediaPacket.SCREEN) {
          screen.requestKeyframe();
        } else {
          camera.requestKeyframe(m.requestLayer - 1); // 0 on the wire: every layer
        }
      }
      return;
    }
    Roster.Person person = roster.from(p.userId, p.sessionId, Page.nowMs());
    if (person == null) {
      return; // a straggler from a session that already left
    }
    if (m.mediaType == MediaPacket.HEARTBEAT) {
      if (m.heartbeat != null) {
        boolean wasOff = !person.cameraOn;
        roster.state(
            person,
            m.heartbeat.displayName,
            m.heartbeat.videoEnabled,
            m.heartbeat.audioEnabled,
            m.heartbeat.screenEnabled,
            m.heartbeat.handRaised);
        RemotePeer peer = peers.get(person.sessionId);
        if (peer != null && wasOff && person.cameraOn) {
          peer.cameraRestarted();
        }
      }
      return;
    }
    RemotePeer peer = peers.get(person.sessionId);
    if (peer != null) {
      peer.onMedia(m);
    }
  }

  // ---- the roster's changes ----

  @Override
  public void joined(Roster.Person p, boolean announced) {
    Tile tile = new Tile(doc, Tile.Kind.PEER, String.valueOf(p.sessionId), false, () -> pin(p));
    tile.root.setAttribute("data-peer-id", p.userId);
    tile.root.setAttribute("data-frames-decoded", "0");
    tile.root.setAttribute("data-audio-frames-decoded", "0");
    tile.name(p.name);
    peers.put(p.sessionId, new RemotePeer(p, tile, audio, this));
    view.add(tile);
    if (e2ee != null) {
      e2ee.memberJoined(p.sessionId, announced); // shown, so it may hold our key
    }
    if (announced) {
      toasts.people(p.name, "joined");
    }
    renderPeople();
  }

  private void pin(Roster.Person p) {
    RemotePeer peer = peers.get(p.sessionId);
    if (peer != null) {
      pin(peer.tile);
    }
  }

  @Override
  public void left(Roster.Person p, String why) {
    if (e2ee != null && !why.isEmpty()) { // empty: our own connection ended, not theirs
      e2ee.peerLeft(p.sessionId);
    }
    RemotePeer peer = peers.remove(p.sessionId);
    if (peer != null) {
      if (peer.screenTile != null) {
        view.remove(peer.screenTile);
      }
      peer.close();
      view.remove(peer.tile);
    }
    speakers.forget(String.valueOf(p.sessionId));
    if (inMeeting && !why.isEmpty() && !"reconnected".equals(why)) {
      toasts.people(p.name, "left");
    }
    renderPeople();
  }

  @Override
  public void changed(Roster.Person p) {
    RemotePeer peer = peers.get(p.sessionId);
    if (peer == null) {
      return;
    }
    boolean handWas = "true".equals(peer.tile.root.getAttribute("data-hand-raised"));
    peer.tile.name(p.name);
    peer.tile.cameraOn(p.cameraOn);
    peer.tile.micOn(p.micOn);
    peer.tile.hand(p.handRaised);
    if (p.cameraOn && peer.framesDecoded() > 0) {
      peer.tile.showVideo(true);
    }
    if (p.handRaised && !handWas) {
      toasts.people(p.name, "raised a hand");
    }
    if (!p.sharing && peer.screenTile != null) {
      view.remove(peer.screenTile);
      peer.screenEnded();
    }
    renderPeople();
  }

  @Override
  public Tile screenTile(RemotePeer peer) {
    Tile[] made = new Tile[1];
    Tile t =
        new Tile(
            doc, Tile.Kind.SCREEN, "screen-" + peer.person.sessionId, false, () -> pin(made[0]));
    made[0] = t;
    t.root.setAttribute("data-screen-share", "true");
    t.root.setAttribute("data-screen-of", peer.person.userId);
    t.name(peer.person.name + "'s screen");
    view.add(t);
    return t;
  }

  @Override
  public void requestKeyframe(long sessionId, int mediaType, int layer) {
    MediaPacket m = new MediaPacket();
    m.mediaType = MediaPacket.KEYFRAME_REQUEST;
    m.requestMediaType = mediaType;
    m.requestLayer = layer < 0 ? 0 : layer + 1;
    PacketWrapper p = MeetingConnection.wrap(m);
    p.targetSessionId = sessionId;
    send(p, false);
  }

  @Override
  public double connectClickedMs() {
    return connectClickedMs;
  }

  @Override
  public double joinedAtMs() {
    return joinedAtMs;
  }

  private void renderPeople() {
    if (people == null) {
      return;
    }
    List<ParticipantsPanel.Row> rows = new ArrayList<>();
    if (inMeeting) {
      rows.add(
          new ParticipantsPanel.Row(
              "self",
              displayName,
              true,
              media.micWanted() && media.mic() != null,
              cameraOn(),
              handRaised,
              hostTools.isHost(),
              null));
    }
    for (Roster.Person p : roster.people()) {
      rows.add(
          new ParticipantsPanel.Row(
              p.userId,
              p.name,
              false,
              p.micOn,
              p.cameraOn,
              p.handRaised,
              hostTools.isHost(p.userId),
              e2ee == null ? null : e2ee.safetyCode(p.sessionId)));
    }
    people.render(rows);
    el("participant-count").setInnerText(String.valueOf(Math.max(1, rows.size())));
    el("alone").setHidden(!inMeeting || roster.size() > 0 || !el("waiting-card").isHidden());
  }

  // ---- sending ----

  @Override
  public void sendMedia(MediaPacket media, int mediaKind) {
    if (e2ee != null) {
      e2ee.sendMedia(media, mediaKind);
      return;
    }
    PacketWrapper p = MeetingConnection.wrap(media);
    p.mediaKind = mediaKind;
    send(p, media.isKeyframe());
  }

  private void send(PacketWrapper p, boolean keyframe) {
    if (e2ee != null
        && (p.packetType == PacketWrapper.CHAT || p.packetType == PacketWrapper.REACTION)) {
      e2ee.sendSocial(p);
      return;
    }
    if (connection != null) {
      connection.send(p, keyframe);
    }
  }

  @Override
  public boolean congested() {
    return connection != null && connection.congested();
  }

  private HTMLElement el(String id) {
    return doc.getElementById(id);
  }

  private void on(String id, Runnable action) {
    el(id).addEventListener("click", (Event e) -> action.run());
  }
}
