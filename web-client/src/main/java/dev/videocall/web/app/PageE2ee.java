package dev.videocall.web.app;

import dev.videocall.types.e2ee.E2eeCrypto;
import dev.videocall.types.e2ee.E2eeMedia;
import dev.videocall.types.e2ee.E2eeSession;
import dev.videocall.types.e2ee.KnownAnswer;
import dev.videocall.types.wire.ChatPacket;
import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.WireFormatException;
import dev.videocall.web.browser.Page;
import dev.videocall.web.browser.WebCrypto;
import java.util.HashMap;
import java.util.Map;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * The page's end of an end-to-end encrypted meeting: the shared {@link E2eeSession} on WebCrypto.
 * Outgoing camera, microphone and screen frames and chat become SFrame ciphertext before they
 * leave; incoming ones are decrypted, in order per sender, before any decoder or the chat sees
 * them. A frame that does not authenticate is counted and dropped: the video decoder's order rule
 * then sees a gap and asks for one keyframe.
 */
final class PageE2ee {
  /** Where sealed packets go, and what the rest of the page hears. */
  interface Listener {
    /** A packet to send as it is (E2EE packets, sealed media and chat). */
    void sendNow(PacketWrapper p, boolean keyframe);

    /** A peer's safety code is known or changed. */
    void safetyCodes();

    /** This browser's crypto failed the known-answer test: nothing can be sent. */
    void selfTestFailed(String why);
  }

  private final Listener listener;
  private final WebCrypto crypto = new WebCrypto();
  private final E2eeSession session;
  private String selfTest; // null: not run yet; "pass" or "fail"
  private final Map<Long, String> codes = new HashMap<>();
  private final double[] encryptMs = new double[128];
  private final double[] decryptMs = new double[128];
  private int encrypts;
  private int decrypts;

  PageE2ee(Listener listener) {
    this.listener = listener;
    this.session =
        new E2eeSession(
            crypto,
            new E2eeSession.Out() {
              @Override
              public void send(int packetType, byte[] data, long target) {
                PacketWrapper p = new PacketWrapper();
                p.packetType = packetType;
                p.data = data;
                p.targetSessionId = target;
                listener.sendNow(p, false);
              }

              @Override
              public void safetyCode(long sessionId, String code) {
                codes.put(sessionId, code);
                listener.safetyCodes();
              }

              @Override
              public void log(String line) {
                Page.log(line);
              }
            },
            Page::nowMs);
  }

  /** Whether this browser can take part (WebCrypto in a secure context). */
  static boolean available() {
    return WebCrypto.isAvailable();
  }

  /** Someone is present (the roster shows them): they may have our key. */
  void memberJoined(long sessionId, boolean joinedWhileWeWereHere) {
    session.memberJoined(sessionId, joinedWhileWeWereHere);
  }

  /** Someone left (or was replaced by a newer session of theirs): a new key, never theirs. */
  void peerLeft(long sessionId) {
    codes.remove(sessionId);
    session.peerLeft(sessionId);
  }

  /**
   * Our session started (again): a new key pair and sender key, announced. The first time, the
   * browser's crypto must first pass RFC 9605's known answer ({@link KnownAnswer}); a browser that
   * fails it never sends a frame (nothing would be readable).
   */
  void start(long sessionId) {
    codes.clear();
    if (selfTest != null) {
      if ("pass".equals(selfTest)) {
        session.start(sessionId);
      }
      return;
    }
    HTMLElement root = HTMLDocument.current().getDocumentElement();
    KnownAnswer.run(
        crypto,
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(String ciphertext) {
            selfTest = "pass";
            root.setAttribute("data-e2ee-self-test", "pass");
            root.setAttribute("data-e2ee-self-test-ct", ciphertext);
            session.start(sessionId);
          }

          @Override
          public void failed(String why) {
            selfTest = "fail";
            root.setAttribute("data-e2ee-self-test", "fail");
            Page.log("E2EE known-answer test failed: " + why + "; not sending");
            listener.selfTestFailed(why);
          }
        });
  }

  String safetyCode(long sessionId) {
    return codes.get(sessionId);
  }

  E2eeSession.Counters counters() {
    return session.counters();
  }

  long currentKid() {
    return session.currentKid();
  }

  /** A camera, screen or microphone frame: its payload encrypted, then sent, in order. */
  void sendMedia(MediaPacket m, int mediaKind) {
    if (m.data == null || m.data.length == 0) {
      send(MeetingConnection.wrap(m), mediaKind, m.isKeyframe());
      return;
    }
    double started = Page.nowMs();
    session.encrypt(
        metadata(m),
        m.data,
        result(
            ciphertext -> {
              record(encryptMs, encrypts++, Page.nowMs() - started);
              m.data = ciphertext;
              send(MeetingConnection.wrap(m), mediaKind, m.isKeyframe());
            }));
  }

  private void send(PacketWrapper p, int mediaKind, boolean keyframe) {
    p.mediaKind = mediaKind;
    listener.sendNow(p, keyframe);
  }

  /** A chat message or reaction: the whole packet sealed inside an empty one. */
  void sendSocial(PacketWrapper p) {
    int type = p.packetType;
    session.encrypt(
        E2eeMedia.social(type),
        p.data,
        result(
            ciphertext -> {
              if (type == PacketWrapper.CHAT) {
                ChatPacket c = new ChatPacket();
                c.sealed = ciphertext;
                p.data = c.encode();
              } else {
                ChatPacket.Reaction r = new ChatPacket.Reaction();
                r.sealed = ciphertext;
                p.data = r.encode();
              }
              listener.sendNow(p, false);
            }));
  }

  /**
   * An incoming packet: key packets consumed, media and chat decrypted before {@code deliver} gets
   * them (with the plaintext in place), everything else handed on at once.
   */
  void receive(PacketWrapper p, Deliver deliver) throws WireFormatException {
    switch (p.packetType) {
      case PacketWrapper.E2EE_PUBLIC_KEY, PacketWrapper.E2EE_WRAPPED_KEY ->
          session.onPacket(p.sessionId, p.packetType, p.data);
      case PacketWrapper.MEDIA -> {
        MediaPacket m = MediaPacket.decode(p.data);
        if (!media(m)) {
          deliver.packet(p, m); // heartbeats, keyframe requests, round trips
          return;
        }
        if (p.sessionId == 0 || m.data == null || m.data.length == 0) {
          session.counters().malformed++; // media in an encrypted meeting is never plaintext
          return;
        }
        double started = Page.nowMs();
        session.decrypt(
            p.sessionId,
            metadata(m),
            m.data,
            result(
                plain -> {
                  record(decryptMs, decrypts++, Page.nowMs() - started);
                  m.data = plain;
                  deliver.packet(p, m);
                }));
      }
      case PacketWrapper.CHAT ->
          session.decrypt(
              p.sessionId,
              E2eeMedia.social(p.packetType),
              orEmpty(ChatPacket.decode(p.data).sealed),
              result(
                  plain -> {
                    p.data = plain;
                    deliver.packet(p, null);
                  }));
      case PacketWrapper.REACTION ->
          session.decrypt(
              p.sessionId,
              E2eeMedia.social(p.packetType),
              orEmpty(ChatPacket.Reaction.decode(p.data).sealed),
              result(
                  plain -> {
                    p.data = plain;
                    deliver.packet(p, null);
                  }));
      default -> deliver.packet(p, null);
    }
  }

  /** Where received packets go: the media packet decoded already when there is one. */
  interface Deliver {
    void packet(PacketWrapper p, MediaPacket media);
  }

  /** Frames that waited too long for their key are given up (once a second). */
  void tick() {
    session.tick();
  }

  /** Median milliseconds of the last (up to 128) encryptions and decryptions. */
  double medianEncryptMs() {
    return median(encryptMs, encrypts);
  }

  double medianDecryptMs() {
    return median(decryptMs, decrypts);
  }

  private static void record(double[] ring, int n, double ms) {
    ring[n % ring.length] = ms;
  }

  private static double median(double[] ring, int n) {
    int size = Math.min(n, ring.length);
    if (size == 0) {
      return 0;
    }
    double[] copy = new double[size];
    System.arraycopy(ring, 0, copy, 0, size);
    java.util.Arrays.sort(copy);
    return copy[size / 2];
  }

  /** Camera, microphone or screen: what is always encrypted here. */
  private static boolean media(MediaPacket m) {
    return m.mediaType == MediaPacket.VIDEO
        || m.mediaType == MediaPacket.AUDIO
        || m.mediaType == MediaPacket.SCREEN;
  }

  private static byte[] orEmpty(byte[] b) {
    return b == null ? new byte[0] : b;
  }

  /** The metadata SFrame authenticates with a frame ({@link E2eeMedia#media}). */
  private static byte[] metadata(MediaPacket m) {
    long sequence =
        m.mediaType == MediaPacket.AUDIO
            ? (m.audio == null ? 0 : m.audio.sequence)
            : (m.video == null ? 0 : m.video.sequence);
    boolean video = m.mediaType != MediaPacket.AUDIO && m.video != null;
    MediaPacket.VideoMetadata v = video ? m.video : new MediaPacket.VideoMetadata();
    return E2eeMedia.media(
        m.mediaType,
        m.isKeyframe(),
        sequence,
        m.timestamp,
        v.codec,
        v.width,
        v.height,
        v.spatialLayer,
        v.spatialLayers,
        v.temporalLayer,
        v.temporalLayers,
        v.sequenceT0,
        v.sequenceT1);
  }

  private interface Ok {
    void ok(byte[] value);
  }

  /** Successes go on; failures are already counted by the session and dropped here. */
  private static E2eeCrypto.Result<byte[]> result(Ok ok) {
    return new E2eeCrypto.Result<>() {
      @Override
      public void ok(byte[] value) {
        ok.ok(value);
      }

      @Override
      public void failed(String why) {}
    };
  }
}
