package dev.videocall.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.client.VideocallClient;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.testkit.ServerProcess;
import dev.videocall.types.Packets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Chromium's own WebTransport API against the server's HTTP/3 endpoint, pinned by the certificate
 * hash from /api/webtransport, in one meeting with a Java participant on WebSocket.
 */
class WebTransportInteropE2ETest {
  /** Opens a session, reads the control stream, sends a datagram and waits for a video stream. */
  private static final String BROWSER_SIDE =
      "async () => {"
          + " const info = await (await fetch('/api/webtransport')).json();"
          + " const hash = Uint8Array.from(info.certificateHash.match(/../g).map(h => parseInt(h, 16)));"
          + " const started = performance.now();"
          + " const wt = new WebTransport(info.url + '/lobby/browser/wt-interop',"
          + "   {serverCertificateHashes: [{algorithm: 'sha-256', value: hash}]});"
          + " await wt.ready;"
          + " const readyMs = performance.now() - started;"
          + " const streams = wt.incomingUnidirectionalStreams.getReader();"
          + " const readPacket = async () => {"
          + "   const {value: stream} = await streams.read(); const r = stream.getReader();"
          + "   let bytes = new Uint8Array(0);"
          + "   const whole = () => { if (!bytes.length) return false; const n = 1 << (bytes[0] >> 6);"
          + "     if (bytes.length < n) return false; let v = bytes[0] & 0x3f;"
          + "     for (let i = 1; i < n; i++) v = v * 256 + bytes[i]; return bytes.length >= n + v; };"
          + "   while (!whole()) { const {value, done} = await r.read(); if (value) {"
          + "     const m = new Uint8Array(bytes.length + value.length); m.set(bytes); m.set(value, bytes.length); bytes = m; }"
          + "     if (done) break; }"
          + "   return bytes; };"
          + " const control = await readPacket();"
          + " window.__wtDatagrams = wt.datagrams.writable.getWriter();"
          + " window.__wt = wt; window.__readPacket = readPacket;"
          + " return {readyMs: readyMs, url: info.url, control: Array.from(control.slice(0, 4))}; }";

  @Test
  void chromiumSessionExchangesPacketsWithAWebSocketParticipant() throws Exception {
    try (ServerProcess server = ServerProcess.start("wt-interop");
        Chromium chromium = Chromium.launch();
        Participant browser = new Participant(chromium.browser, "browser")) {
      browser.page.navigate("http://localhost:" + server.httpPort + "/healthz");
      @SuppressWarnings("unchecked")
      Map<String, Object> opened = (Map<String, Object>) browser.page.evaluate(BROWSER_SIDE);
      @SuppressWarnings("unchecked")
      List<Number> control = (List<Number>) opened.get("control");
      // varint length, then PacketWrapper field 1 (tag 0x08) = SESSION_ASSIGNED (8)
      int at = 1 << (control.get(0).intValue() >>> 6);
      assertEquals(0x08, control.get(at).intValue(), "first packet starts with packet_type");
      assertEquals(8, control.get(at + 1).intValue(), "first packet is SESSION_ASSIGNED");
      Artifacts.appendReport(
          "webtransport-session-ready-ms (Chromium, "
              + opened.get("url")
              + "): "
              + opened.get("readyMs"));

      LinkedBlockingQueue<PacketWrapper> javaInbox = new LinkedBlockingQueue<>();
      try (VideocallClient javaPeer =
          VideocallClient.to(URI.create("http://127.0.0.1:" + server.httpPort))
              .user("java")
              .meeting("wt-interop")
              .onPacket(javaInbox::add)
              .connect()
              .get(10, TimeUnit.SECONDS)) {
        // browser -> server by datagram -> Java over WebSocket, stamped with the browser's identity
        byte[] heartbeat = Packets.heartbeat(true, true).toByteArray();
        // the browser adds the HTTP/3 datagram prefix (quarter stream id) itself
        PacketWrapper got = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got == null && System.nanoTime() < deadline) {
          PacketWrapper p = javaInbox.poll(200, TimeUnit.MILLISECONDS);
          if (p != null
              && "browser".equals(p.getUserId())
              && p.getPacketType() == PacketWrapper.PacketType.MEDIA) {
            got = p;
          }
          if (got == null) {
            browser.page.evaluate(
                "bytes => window.__wtDatagrams.write(new Uint8Array(bytes))", toList(heartbeat));
          }
        }
        assertTrue(got != null, "the Java participant received the browser's datagram");
        assertEquals(
            MediaPacket.MediaType.HEARTBEAT, MediaPacket.parseFrom(got.getData()).getMediaType());

        // browser -> server on a bidirectional stream (signal 0x41) -> Java over WebSocket
        byte[] bidiFrame =
            Packets.media(
                    Packets.videoFrame(
                        "bidi-from-browser".getBytes(StandardCharsets.UTF_8),
                        true,
                        2,
                        0,
                        VideoCodec.VP8))
                .toByteArray();
        browser.page.evaluate(
            "async bytes => { const s = await window.__wt.createBidirectionalStream();"
                + " const w = s.writable.getWriter(); const n = bytes.length;"
                + " const head = n < 64 ? [n] : [0x40 | (n >> 8), n & 0xff];"
                + " await w.write(new Uint8Array(head.concat(bytes))); await w.close(); }",
            toList(bidiFrame));
        PacketWrapper viaBidi = null;
        long bidiDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (viaBidi == null && System.nanoTime() < bidiDeadline) {
          PacketWrapper p = javaInbox.poll(200, TimeUnit.MILLISECONDS);
          if (p != null
              && p.getPacketType() == PacketWrapper.PacketType.MEDIA
              && MediaPacket.parseFrom(p.getData())
                  .getData()
                  .toStringUtf8()
                  .equals("bidi-from-browser")) {
            viaBidi = p;
          }
        }
        assertTrue(
            viaBidi != null, "a packet on a bidirectional stream reached the Java participant");
        assertEquals("browser", viaBidi.getUserId());

        // Java over WebSocket -> server -> browser on a video stream of its own
        javaPeer.send(
            Packets.media(
                Packets.videoFrame(
                    "frame-for-browser".getBytes(StandardCharsets.UTF_8),
                    true,
                    1,
                    0,
                    VideoCodec.VP8)));
        @SuppressWarnings("unchecked")
        List<Number> frame =
            (List<Number>)
                browser.page.evaluate(
                    "async () => { for (;;) { const p = await window.__readPacket();"
                        + " const s = new TextDecoder().decode(p);"
                        + " if (s.includes('frame-for-browser')) return Array.from(p); } }");
        byte[] bytes = new byte[frame.size()];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = frame.get(i).byteValue();
        }
        int lengthBytes = 1 << ((bytes[0] & 0xFF) >>> 6);
        PacketWrapper relayed =
            PacketWrapper.parseFrom(java.util.Arrays.copyOfRange(bytes, lengthBytes, bytes.length));
        assertEquals("java", relayed.getUserId());
        assertEquals(
            "frame-for-browser", MediaPacket.parseFrom(relayed.getData()).getData().toStringUtf8());
      }
    }
  }

  private static List<Integer> toList(byte[] bytes) {
    Integer[] out = new Integer[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xFF;
    }
    return List.of(out);
  }
}
