package dev.videocall.web.app;

import dev.videocall.types.DisplayNames;
import dev.videocall.web.browser.Devices;
import dev.videocall.web.browser.Js;
import dev.videocall.web.browser.Levels;
import dev.videocall.web.browser.MediaStreamTrack;
import dev.videocall.web.browser.Page;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;
import org.teavm.jso.webaudio.AudioContext;

/**
 * The pre-join screen: camera preview, a microphone level meter, camera / microphone / speaker
 * choice, joining with camera or microphone off, and the display name. Choices are remembered.
 */
final class JoinScreen {
  /** Told when the person presses Join with a valid name. */
  interface Listener {
    void join(String displayName);
  }

  private final HTMLDocument doc = HTMLDocument.current();
  private final LocalMedia media;
  private final AudioContext audio;
  private final Listener listener;
  private Levels.Meter meter;
  private int meterTimer = -1;
  private boolean active;

  JoinScreen(LocalMedia media, AudioContext audio, Listener listener) {
    this.media = media;
    this.audio = audio;
    this.listener = listener;
  }

  void start(String meeting, String defaultName) {
    active = true;
    el("join-meeting").setInnerText(meeting);
    HTMLElement name = el("join-name");
    if (Js.value(name).isEmpty()) {
      Js.setValue(name, defaultName);
    }
    on("connect", this::submit);
    on("join-toggle-camera", this::toggleCamera);
    on("join-toggle-mic", this::toggleMic);
    el("select-camera")
        .addEventListener(
            "change",
            (Event e) -> media.switchCamera(Js.value(el("select-camera")), this::showCamera));
    el("select-mic")
        .addEventListener(
            "change", (Event e) -> media.switchMic(Js.value(el("select-mic")), this::meterOn));
    el("select-speaker")
        .addEventListener("change", (Event e) -> media.speaker(Js.value(el("select-speaker"))));
    el("select-speaker-label").setHidden(!Devices.canChooseSpeaker());
    name.addEventListener(
        "keydown",
        (Event e) -> {
          if ("Enter".equals(key(e))) {
            submit();
          }
        });
    show();
  }

  /** Shows the screen again (after leaving, or from the start) and opens the devices. */
  void show() {
    active = true;
    el("join").setHidden(false);
    doc.getDocumentElement().setAttribute("data-state", "joining");
    if (!Page.isSecureContext()) {
      doc.getDocumentElement().setAttribute("data-insecure", "true");
      message(
          "Camera, microphone and video decoding need a secure (HTTPS) page, and this one was"
              + " opened over plain HTTP from another computer, so the browser blocks them. You"
              + " can still join and see who is in the meeting. For video and sound, open the"
              + " meeting over HTTPS: start the server with --https-self-signed (or --tls-cert and"
              + " --tls-key), or put it behind a TLS proxy.");
      ready();
      return;
    }
    if (!LocalMedia.capturePossible()) {
      message(
          "This browser cannot capture camera or microphone here (it needs a Chromium browser)."
              + " You can still join to watch and listen.");
      ready();
      return;
    }
    media.openMic(
        mic -> {
          meterOn(mic);
          if (media.cameraWanted()) {
            media.openCamera(
                camera -> {
                  showCamera(camera);
                  afterDevices();
                });
          } else {
            showCamera(null);
            afterDevices();
          }
        });
  }

  private void afterDevices() {
    if (media.camera() == null && media.mic() == null && media.problem() != null) {
      message(
          "Camera and microphone are unavailable ("
              + media.problem()
              + "). You can still join to watch and listen.");
    } else if (media.camera() == null && media.cameraWanted()) {
      message("Camera unavailable: you can join with sound only.");
    } else if (media.mic() == null) {
      message("Microphone unavailable: you can join with video only.");
    }
    // labels are only known once a device was allowed
    fill("select-camera", "videoinput", media.cameraDevice());
    fill("select-mic", "audioinput", media.micDevice());
    fill("select-speaker", "audiooutput", media.speakerDevice());
    ready();
  }

  private void ready() {
    el("connect").removeAttribute("disabled");
    doc.getDocumentElement().setAttribute("data-state", "ready");
    buttons();
  }

  private void fill(String selectId, String kind, String selected) {
    fill(el(selectId), kind, selected);
  }

  /** Fills a select with the devices of {@code kind}, {@code selected} chosen. */
  static void fill(HTMLElement select, String kind, String selected) {
    HTMLDocument doc = HTMLDocument.current();
    Devices.list(
        kind,
        lines -> {
          select.setInnerText("");
          if (lines.isEmpty()) {
            HTMLElement none = doc.createElement("option");
            none.setInnerText(kind.equals("audiooutput") ? "Default" : "None found");
            select.appendChild(none);
            return;
          }
          for (String line : lines.split("\n")) {
            int tab = line.indexOf('\t');
            HTMLElement o = doc.createElement("option");
            String id = tab < 0 ? line : line.substring(0, tab);
            o.setAttribute("value", id);
            o.setInnerText(tab < 0 ? line : line.substring(tab + 1));
            if (id.equals(selected)) {
              o.setAttribute("selected", "");
            }
            select.appendChild(o);
          }
        });
  }

  private void showCamera(MediaStreamTrack camera) {
    HTMLElement preview = el("preview");
    if (camera != null && active) {
      Devices.show(preview, Devices.streamOf(camera));
      preview.setHidden(false);
      el("preview-placeholder").setHidden(true);
    } else {
      preview.setHidden(true);
      el("preview-placeholder").setHidden(false);
      el("preview-placeholder").setInnerText(media.cameraWanted() ? "No camera" : "Camera is off");
    }
    buttons();
  }

  private void meterOn(MediaStreamTrack mic) {
    if (meter != null) {
      Levels.close(meter);
      meter = null;
    }
    if (mic == null || audio == null) {
      return;
    }
    meter = Levels.meter(audio, mic);
    if (meterTimer < 0) {
      meterTimer =
          Js.setInterval(
              () -> {
                double level = meter == null || !media.micWanted() ? 0 : Levels.read(meter);
                double pct = Math.min(100, Math.sqrt(level) * 180);
                el("mic-level").getStyle().setProperty("width", pct + "%");
              },
              100);
    }
  }

  private void toggleCamera() {
    if (media.cameraWanted()) {
      media.closeCamera();
      showCamera(null);
    } else {
      media.openCamera(this::showCamera);
    }
    buttons();
  }

  private void toggleMic() {
    media.micWanted(!media.micWanted());
    buttons();
  }

  private void buttons() {
    Controls.set(
        el("join-toggle-camera"),
        media.cameraWanted() ? "camera" : "camera-off",
        media.cameraWanted() ? "Turn camera off" : "Turn camera on",
        !media.cameraWanted());
    Controls.set(
        el("join-toggle-mic"),
        media.micWanted() ? "mic" : "mic-off",
        media.micWanted() ? "Mute microphone" : "Unmute microphone",
        !media.micWanted());
  }

  private void submit() {
    String name = Js.value(el("join-name")).strip();
    String problem = DisplayNames.problem(name);
    HTMLElement error = el("join-name-error");
    error.setHidden(problem == null);
    error.setInnerText(problem == null ? "" : problem);
    if (problem != null) {
      Js.focus(el("join-name"));
      return;
    }
    Prefs.set("name", name);
    busy(true);
    listener.join(name);
  }

  /** While the server is asked: Join cannot be pressed twice. */
  void busy(boolean busy) {
    if (busy) {
      el("connect").setAttribute("disabled", "");
    } else {
      el("connect").removeAttribute("disabled");
    }
  }

  /** The server did not let this person in yet, for a reason they can fix (or retry). */
  void problem(String text) {
    busy(false);
    HTMLElement error = el("join-name-error");
    error.setHidden(false);
    error.setInnerText(text);
  }

  /**
   * In the waiting room: the preview stays, the form gives way to "Asking to join…" (Cancel); or
   * back to the form.
   */
  void waiting(boolean waiting, String meetingTitle) {
    el("join-form").setHidden(waiting);
    el("waiting").setHidden(!waiting);
    if (waiting) {
      el("join-name-error").setHidden(true);
      el("waiting-detail")
          .setInnerText("You'll join " + meetingTitle + " as soon as a host lets you in.");
      doc.getDocumentElement().setAttribute("data-state", "waiting");
      Js.focus(el("waiting-cancel"));
    } else {
      busy(false);
      doc.getDocumentElement().setAttribute("data-state", "ready");
    }
  }

  /** Leaves the screen; the preview stops (the meeting shows the camera in its own tile). */
  void hide() {
    active = false;
    el("join").setHidden(true);
    el("waiting").setHidden(true);
    el("join-form").setHidden(false);
    busy(false);
    el("preview").setHidden(true);
    if (meter != null) {
      Levels.close(meter);
      meter = null;
    }
    if (meterTimer >= 0) {
      Js.clearTimer(meterTimer);
      meterTimer = -1;
    }
  }

  private void message(String text) {
    HTMLElement m = el("device-message");
    m.setInnerText(text);
    m.setHidden(false);
  }

  @org.teavm.jso.JSBody(params = "e", script = "return e.key || '';")
  private static native String key(Event e);

  private HTMLElement el(String id) {
    return doc.getElementById(id);
  }

  private void on(String id, Runnable action) {
    el(id).addEventListener("click", (Event e) -> action.run());
  }
}
