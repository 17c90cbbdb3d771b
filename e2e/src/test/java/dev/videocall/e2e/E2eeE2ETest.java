package dev.videocall.e2e;

import static dev.videocall.e2e.Participant.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.testkit.LinkEmulator;
import dev.videocall.testkit.NatsProcess;
import dev.videocall.testkit.ServerProcess;
import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.WireFormatException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End-to-end encrypted meetings in Chromium (the TeaVM build on WebCrypto): RFC 9605's known answer
 * in the page, intact pictures while the server relays only ciphertext (tapped on NATS and tried
 * with FFmpeg's decoders), matching safety codes, a frame tampered with by a relay refused at the
 * cost of one keyframe request, and the CLI encrypting for a browser.
 */
class E2eeE2ETest {
  /** RFC 9605 Appendix C.3, AES_128_GCM_SHA256_128: the expected ciphertext, from the RFC. */
  private static final String RFC_CT =
      "9901234567b7412c2513a1b66dbb48841bbaf17f598751176ad847681a69c6d0b091c07018ce4adb34eb";

  private static NatsProcess nats;
  private static ServerProcess server;
  private static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    Path video = Path.of("target", "test-video.y4m");
    TestVideo.write(video);
    TestVideo.warm(video);
    nats = new NatsProcess();
    server = ServerProcess.start("e2ee", "--nats-url", nats.url());
    chromium = Chromium.withCamera(video);
  }

  @AfterAll
  static void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  private static String attr(Participant p, String name) {
    return p.page.locator("html").getAttribute(name);
  }

  private static long number(Participant p, String name) {
    String v = attr(p, name);
    return v == null ? 0 : (long) Double.parseDouble(v);
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "webtransport"})
  void picturesAreIntactWhileTheServerRelaysOnlyCiphertext(String transport) throws Exception {
    String meeting = "secret-" + transport;
    List<Participant> people = new ArrayList<>();
    try (RelayTap tap = new RelayTap(nats.url(), meeting)) {
      for (String user : List.of("ana", "ben")) {
        Participant p = new Participant(chromium.browser, user);
        people.add(p);
        p.open(server.meetingUrl(user, meeting) + "?e2ee=1&transport=" + transport).connect();
        assertEquals(transport, attr(p, "data-transport"));
      }
      Participant ana = people.get(0);
      Participant ben = people.get(1);
      for (Participant p : people) {
        waitUntil(
            p.user + " passes the known-answer test",
            Duration.ofSeconds(5),
            () -> "pass".equals(attr(p, "data-e2ee-self-test")));
        assertEquals(RFC_CT, attr(p, "data-e2ee-self-test-ct"), "RFC 9605 C.3 in Chromium");
        assertEquals("on", attr(p, "data-e2ee"));
      }
      waitUntil(
          "each decodes the other",
          Duration.ofSeconds(15),
          () -> ana.framesDecoded("ben") >= 10 && ben.framesDecoded("ana") >= 10);
      waitUntil(
          "audio both ways",
          Duration.ofSeconds(10),
          () -> ana.audioFramesDecoded("ben") >= 25 && ben.audioFramesDecoded("ana") >= 25);

      // the same safety code on both screens, on the tiles and in the people list
      String anaSeesBen = ana.tileAttribute("ben", "data-safety-code");
      assertNotNull(anaSeesBen);
      assertTrue(anaSeesBen.matches("\\d{5}( \\d{5}){5}"), anaSeesBen);
      assertEquals(anaSeesBen, ben.tileAttribute("ana", "data-safety-code"));

      Map<Participant, List<String>> watching = new LinkedHashMap<>();
      watching.put(ana, List.of("ben"));
      watching.put(ben, List.of("ana"));
      tap.clear();
      PictureQuality.Report r = PictureQuality.measure(watching, Duration.ofSeconds(10));
      String report = transport + " (e2ee): " + r.summary();
      System.out.println(report);
      assertTrue(r.samples().size() >= 15, "too few samples: " + report);
      assertEquals(0, r.corrupted(), report);
      assertEquals(0, r.backwards(), report);

      List<RelayTap.Payload> video = tap.of(MediaPacket.VIDEO);
      List<RelayTap.Payload> audio = tap.of(MediaPacket.AUDIO);
      assertTrue(video.size() >= 200, "relayed video frames: " + video.size());
      assertTrue(video.stream().anyMatch(RelayTap.Payload::keyframe), "a keyframe was relayed");
      assertTrue(audio.size() >= 200, "relayed audio frames: " + audio.size());
      assertEquals(
          0,
          RelayTap.vp8Pictures(onlyFrom("ana", video)),
          "FFmpeg's VP8 decoder made a picture of what the server relayed");
      assertEquals(0, RelayTap.vp8Pictures(onlyFrom("ben", video)));
      // Every frame a page decoded went through its decryption first (plaintext media in an
      // encrypted meeting is refused as malformed): the counter must reach what the decoders saw.
      // It is published once a second, hence the wait. (A fixed "more than 300" failed in CI when
      // a loaded machine sent fewer frames, not because any frame skipped decryption.)
      for (Participant p : people) {
        String other = p == ana ? "ben" : "ana";
        long decoded = p.framesDecoded(other) + p.audioFramesDecoded(other);
        assertTrue(decoded >= 100, p.user + " decoded only " + decoded + " frames");
        waitUntil(
            p.user + " decrypted every frame it decoded (" + decoded + ")",
            Duration.ofSeconds(3),
            () -> number(p, "data-e2ee-decrypted") >= decoded);
        System.out.printf(
            "%s (%s): %d decrypted, %d frames of %s decoded%n",
            p.user, transport, number(p, "data-e2ee-decrypted"), decoded, other);
        assertEquals(0, number(p, "data-e2ee-auth-failed"), p.user);
      }
      String cost =
          String.format(
              "E2EE in the page (%s, 640x360 30 fps VP8 + Opus): median encrypt %.2f ms, decrypt %.2f ms",
              transport,
              Double.parseDouble(attr(ana, "data-e2ee-encrypt-ms")),
              Double.parseDouble(attr(ana, "data-e2ee-decrypt-ms")));
      System.out.println(cost);
      Files.createDirectories(Artifacts.DIR);
      Files.writeString(
          Path.of("target", "e2ee-" + transport + ".txt"), report + "\n" + cost + "\n");

      if (transport.equals("websocket")) {
        ana.page.click("#toggle-chat");
        ana.page.fill("#chat-input", "meet at the north door");
        ana.page.press("#chat-input", "Enter");
        waitUntil(
            "ben reads ana's sealed chat",
            Duration.ofSeconds(5),
            () -> ben.page.innerText("#chat-messages").contains("meet at the north door"));
        ana.page.click("#toggle-chat");
        screenshots(ana);
      }
    } finally {
      Artifacts.save("e2ee-" + transport, people);
      people.forEach(Participant::close);
    }
  }

  private static List<RelayTap.Payload> onlyFrom(String user, List<RelayTap.Payload> all) {
    return all.stream().filter(p -> p.from().equals(user)).toList();
  }

  /** The lock and the safety codes, at a laptop's and a phone's size. */
  private static void screenshots(Participant p) throws Exception {
    for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
      p.page.setViewportSize(size[0], size[1]);
      Thread.sleep(300);
      String at = size[0] + "x" + size[1];
      p.page.screenshot(
          new com.microsoft.playwright.Page.ScreenshotOptions()
              .setPath(Artifacts.DIR.resolve("e2ee-meeting-" + at + ".png")));
      p.page.click("#header-people");
      p.page.waitForSelector("[data-safety-code]");
      Thread.sleep(200);
      p.page.screenshot(
          new com.microsoft.playwright.Page.ScreenshotOptions()
              .setPath(Artifacts.DIR.resolve("e2ee-people-" + at + ".png")));
      p.page.click("#header-people");
      p.page.keyboard().press("d");
      Thread.sleep(1200);
      p.page.screenshot(
          new com.microsoft.playwright.Page.ScreenshotOptions()
              .setPath(Artifacts.DIR.resolve("e2ee-diagnostics-" + at + ".png")));
      p.page.keyboard().press("d");
    }
    p.page.setViewportSize(1280, 800);
  }

  /**
   * A relay flips one bit in one of ana's delta frames on its way to ben (a proxy on ben's
   * WebSocket). Ben refuses it (counted), never decodes it, asks for one keyframe, and the picture
   * stays intact.
   */
  @Test
  void aFrameTamperedWithOnTheWayIsRefusedAndCostsOneKeyframeRequest() throws Exception {
    String meeting = "tamper";
    AtomicInteger deltasSeen = new AtomicInteger();
    AtomicInteger tampered = new AtomicInteger();
    int tamperAt = 150; // about five seconds into ana's stream
    List<Participant> people = new ArrayList<>();
    try (RelayTap tap = new RelayTap(nats.url(), meeting);
        TamperProxy proxy =
            new TamperProxy(
                server.httpPort, bytes -> flipOneBit(bytes, deltasSeen, tamperAt, tampered))) {
      Participant ana = new Participant(chromium.browser, "ana");
      people.add(ana);
      ana.open(server.meetingUrl("ana", meeting) + "?e2ee=1").connect();
      Participant ben = new Participant(chromium.browser, "ben");
      people.add(ben);
      ben.open(
              "http://localhost:"
                  + proxy.port()
                  + "/meeting/ben/"
                  + meeting
                  + "?e2ee=1&transport=websocket")
          .connect();
      waitUntil("ben decodes ana", Duration.ofSeconds(15), () -> ben.framesDecoded("ana") >= 10);
      long requestsBefore = tap.keyframeRequestsFrom("ben");
      waitUntil(
          "the relay tampered with a frame", Duration.ofSeconds(20), () -> tampered.get() == 1);
      waitUntil(
          "ben counts one refused frame",
          Duration.ofSeconds(5),
          () -> number(ben, "data-e2ee-auth-failed") == 1);
      Map<Participant, List<String>> watching = new LinkedHashMap<>();
      watching.put(ben, List.of("ana"));
      PictureQuality.Report r = PictureQuality.measure(watching, Duration.ofSeconds(6));
      System.out.println("after tampering: " + r.summary());
      assertEquals(0, r.corrupted(), r.summary());
      assertEquals(0, r.backwards(), r.summary());
      assertEquals(1, number(ben, "data-e2ee-auth-failed"));
      long requests = tap.keyframeRequestsFrom("ben") - requestsBefore;
      assertEquals(1, requests, "keyframe requests from ben after the tampered frame");
    } finally {
      Artifacts.save("e2ee-tamper", people);
      people.forEach(Participant::close);
    }
  }

  /** Flips the lowest bit of the last byte of ana's {@code at}-th delta frame (its GCM tag). */
  private static byte[] flipOneBit(
      byte[] wrapper, AtomicInteger deltas, int at, AtomicInteger tampered) {
    try {
      PacketWrapper w = PacketWrapper.decode(wrapper);
      if (w.packetType != PacketWrapper.MEDIA || !"ana".equals(w.userId)) {
        return wrapper;
      }
      MediaPacket m = MediaPacket.decode(w.data);
      if (m.mediaType != MediaPacket.VIDEO || m.isKeyframe() || deltas.incrementAndGet() != at) {
        return wrapper;
      }
      m.data[m.data.length / 2] ^= 0x01; // in the ciphertext
      w.data = m.encode();
      tampered.incrementAndGet();
      return w.encode();
    } catch (WireFormatException e) {
      return wrapper;
    }
  }

  /**
   * Keys follow who is there: when cat leaves, ana moves to a new key and ben keeps reading her
   * without a refused frame; when ben's connection drops and comes back (a new session, new keys),
   * ana and ben read each other again under a new safety code.
   */
  @Test
  void aDepartureAndAReconnectKeepEveryoneReadingUnderNewKeys() throws Exception {
    String meeting = "rekey";
    List<Participant> people = new ArrayList<>();
    try (LinkEmulator link = LinkEmulator.tcp(server.httpPort)) {
      Participant ana = new Participant(chromium.browser, "ana");
      people.add(ana);
      ana.open(server.meetingUrl("ana", meeting) + "?e2ee=1&transport=websocket").connect();
      Participant ben = new Participant(chromium.browser, "ben");
      people.add(ben);
      ben.open(
              "http://localhost:"
                  + link.port()
                  + "/meeting/ben/"
                  + meeting
                  + "?e2ee=1&transport=websocket")
          .connect();
      Participant cat = new Participant(chromium.browser, "cat");
      people.add(cat);
      cat.open(server.meetingUrl("cat", meeting) + "?e2ee=1&transport=websocket").connect();
      waitUntil(
          "everyone decodes everyone",
          Duration.ofSeconds(20),
          () ->
              ana.framesDecoded("ben") >= 10
                  && ana.framesDecoded("cat") >= 10
                  && ben.framesDecoded("ana") >= 10);
      waitUntil(
          "ana's key number is written",
          Duration.ofSeconds(3),
          () -> number(ana, "data-e2ee-kid") > 0);
      long kidWithCat = number(ana, "data-e2ee-kid");
      String codeBefore = ana.tileAttribute("ben", "data-safety-code");

      cat.close();
      people.remove(cat);
      waitUntil(
          "ana moves to a new key when cat leaves",
          Duration.ofSeconds(10),
          () -> number(ana, "data-e2ee-kid") > kidWithCat);
      long seen = ben.framesDecoded("ana");
      waitUntil(
          "ben reads ana under the new key",
          Duration.ofSeconds(10),
          () -> ben.framesDecoded("ana") > seen + 30);
      assertEquals(0, number(ben, "data-e2ee-auth-failed"));

      link.cutConnections(); // ben's network drops; the page reconnects by itself
      waitUntil(
          "ben is back with a new session and new keys",
          Duration.ofSeconds(20),
          () -> {
            String code = ana.tileAttribute("ben", "data-safety-code");
            return code != null && !code.equals(codeBefore) && ana.framesDecoded("ben") >= 10;
          });
      long anaSeen = ben.framesDecoded("ana");
      waitUntil(
          "ben reads ana again",
          Duration.ofSeconds(10),
          () -> ben.framesDecoded("ana") > anaSeen + 30);
      assertEquals(
          ana.tileAttribute("ben", "data-safety-code"),
          ben.tileAttribute("ana", "data-safety-code"));
      assertEquals(0, number(ana, "data-e2ee-auth-failed"));
    } finally {
      Artifacts.save("e2ee-rekey", people);
      people.forEach(Participant::close);
    }
  }

  /**
   * With identity (the default): a host starts an encrypted meeting from the home page, a guest
   * knocks and is let in, and both are encrypted with the same safety code; the home page's choice
   * is the meeting's, stored on the server, not the link's.
   */
  @Test
  void aHostStartsAnEncryptedMeetingFromTheHomePage() throws Exception {
    List<com.microsoft.playwright.BrowserContext> contexts = new ArrayList<>();
    try (ServerProcess idServer =
        ServerProcess.start(
            "e2ee-identity", "--auth", "guest", "--api-requests-per-second", "500")) {
      String base = "http://localhost:" + idServer.httpPort;
      com.microsoft.playwright.Page hana = Screens.open(chromium, contexts, 1280, 800);
      hana.navigate(base + "/");
      hana.waitForSelector("html[data-state=ready]");
      hana.fill("#home-name", "Hana");
      hana.check("#home-e2ee");
      hana.screenshot(
          new com.microsoft.playwright.Page.ScreenshotOptions()
              .setPath(Artifacts.DIR.resolve("e2ee-home-1280x800.png")));
      hana.setViewportSize(390, 844);
      hana.screenshot(
          new com.microsoft.playwright.Page.ScreenshotOptions()
              .setPath(Artifacts.DIR.resolve("e2ee-home-390x844.png"))
              .setFullPage(true));
      hana.setViewportSize(1280, 800);
      hana.click("#home-new");
      hana.waitForURL(u -> u.contains("/meeting/"));
      String meeting = hana.url().substring(hana.url().lastIndexOf('/') + 1);
      assertTrue(
          !meeting.contains("e2ee"), "the server keeps the choice, not the link: " + meeting);
      hana.waitForSelector("html[data-state=ready]");
      hana.click("#connect");
      hana.waitForSelector("html[data-state=connected][data-e2ee=on]");

      com.microsoft.playwright.Page sam = Screens.open(chromium, contexts, 1280, 800);
      sam.navigate(base + "/meeting/" + meeting); // the plain link: the server says it is encrypted
      sam.waitForSelector("html[data-state=ready]");
      sam.fill("#join-name", "Sam");
      sam.click("#connect");
      hana.waitForSelector("#waiting-card button[aria-label='Admit Sam']").click();
      sam.waitForSelector("html[data-state=connected][data-e2ee=on]");
      String samId = sam.getAttribute("html", "data-user");
      String hanaId = hana.getAttribute("html", "data-user");
      hana.waitForSelector("[data-peer-id='" + samId + "'][data-safety-code]");
      sam.waitForSelector("[data-peer-id='" + hanaId + "'][data-safety-code]");
      assertEquals(
          hana.getAttribute("[data-peer-id='" + samId + "']", "data-safety-code"),
          sam.getAttribute("[data-peer-id='" + hanaId + "']", "data-safety-code"));
      waitUntil(
          "sam decodes hana",
          Duration.ofSeconds(15),
          () -> {
            String v = sam.getAttribute("[data-peer-id='" + hanaId + "']", "data-frames-decoded");
            return v != null && Long.parseLong(v) >= 10;
          });
      // the counters are written once a second: the first frames can come before that
      waitUntil(
          "sam's counters are written",
          Duration.ofSeconds(3),
          () -> sam.getAttribute("html", "data-e2ee-auth-failed") != null);
      assertEquals("0", sam.getAttribute("html", "data-e2ee-auth-failed"));
    } finally {
      for (com.microsoft.playwright.BrowserContext c : contexts) {
        c.close();
      }
    }
  }

  /** videocall-cli stream --e2ee to a browser: the browser sees the pattern; the relay does not. */
  @Test
  void theCliEncryptsForABrowser() throws Exception {
    String jar = System.getProperty("videocall.cli.jar", "../cli/target/videocall-cli.jar");
    assertTrue(new File(jar).isFile(), "videocall-cli not built: " + jar);
    List<Participant> people = new ArrayList<>();
    List<Process> clis = new ArrayList<>();
    try (RelayTap secretTap = new RelayTap(nats.url(), "cli-secret");
        RelayTap plainTap = new RelayTap(nats.url(), "cli-plain")) {
      Participant viewer = new Participant(chromium.browser, "viewer");
      people.add(viewer);
      viewer.open(server.meetingUrl("viewer", "cli-secret") + "?e2ee=1").connect();
      clis.add(cli(jar, "cli-secret", "camera-bot", true, "cli-e2ee"));
      waitUntil(
          "the browser decodes the CLI's encrypted video",
          Duration.ofSeconds(20),
          () -> viewer.framesDecoded("camera-bot") >= 60);
      waitUntil(
          "and its audio",
          Duration.ofSeconds(10),
          () -> viewer.audioFramesDecoded("camera-bot") >= 50);
      int[][] bars = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
      for (int bar = 0; bar < bars.length; bar++) {
        int[] got = viewer.pixelAt("camera-bot", (bar + 0.5) / bars.length, 0.4);
        for (int c = 0; c < 3; c++) {
          assertTrue(
              Math.abs(got[c] - bars[bar][c]) <= 48, "bar " + bar + ": " + Arrays.toString(got));
        }
      }
      assertEquals(viewer.tileAttribute("camera-bot", "data-safety-code") != null, true);

      // a client that does not encrypt is refused by the encrypted meeting, and says why
      Process old = cli(jar, "cli-secret", "old-cli", false, "cli-old");
      assertTrue(old.waitFor(30, TimeUnit.SECONDS), "a refused CLI exits");
      assertNotEquals(0, old.exitValue());
      String said = Files.readString(Path.of("target", "cli-old.log"));
      assertTrue(said.contains("end-to-end encrypted"), said);

      // control: the same tap and decoders on an unencrypted meeting see the picture and the tone
      clis.add(cli(jar, "cli-plain", "plain-bot", false, "cli-plain"));
      waitUntil(
          "the plain meeting's frames",
          Duration.ofSeconds(20),
          () ->
              plainTap.of(MediaPacket.VIDEO).size() >= 60
                  && plainTap.of(MediaPacket.AUDIO).size() >= 100);
      List<RelayTap.Payload> secretVideo = secretTap.of(MediaPacket.VIDEO);
      List<RelayTap.Payload> secretAudio = secretTap.of(MediaPacket.AUDIO);
      int plainPictures = RelayTap.vp8Pictures(plainTap.of(MediaPacket.VIDEO));
      double plainTone = RelayTap.toneShare(plainTap.of(MediaPacket.AUDIO), 440);
      int secretPictures = RelayTap.vp8Pictures(secretVideo);
      double secretTone = RelayTap.toneShare(secretAudio, 440);
      String report =
          String.format(
              "relayed, decoded by FFmpeg: plain meeting %d pictures of %d frames, 440 Hz share %.3f;"
                  + " encrypted meeting %d pictures of %d frames, 440 Hz share %.3f (%d audio frames)",
              plainPictures,
              plainTap.of(MediaPacket.VIDEO).size(),
              plainTone,
              secretPictures,
              secretVideo.size(),
              secretTone,
              secretAudio.size());
      System.out.println(report);
      assertTrue(plainPictures >= 50, report);
      assertTrue(plainTone > 0.5, report);
      assertEquals(0, secretPictures, report);
      assertTrue(secretTone < 0.05, report);
    } finally {
      for (Process p : clis) {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      Artifacts.save("e2ee-cli", people);
      people.forEach(Participant::close);
    }
  }

  private static Process cli(String jar, String meeting, String user, boolean e2ee, String log)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                jar,
                "stream",
                "--user-id",
                user,
                "--meeting-id",
                meeting,
                "--test-pattern",
                "--resolution",
                "640x360",
                "--fps",
                "30",
                "--bitrate-kbps",
                "500",
                "--server",
                "http://127.0.0.1:" + server.httpPort));
    if (e2ee) {
      cmd.add("--e2ee");
    }
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(new File("target/" + log + ".log"))
        .start();
  }
}
