package dev.videocall.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The link emulator against plain sockets: rate, delay, loss, and a limit lifted mid-stream. */
class LinkEmulatorTest {
  @Test
  void tcpIsCarriedIntactAtTheGivenRateAndDelay() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LinkEmulator link = LinkEmulator.tcp(server.getLocalPort())) {
      link.set(LinkEmulator.Conditions.rate(2_000_000).delay(50), LinkEmulator.Conditions.CLEAN);
      byte[] payload = new byte[250_000]; // 2 Mbit: about a second at 2 Mbit/s
      new Random(7).nextBytes(payload);
      Thread sender =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  OutputStream out = s.getOutputStream();
                  out.write(payload);
                  out.flush();
                  s.shutdownOutput();
                  s.getInputStream().read(); // until the client closes
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      sender.start();
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), link.port())) {
        long start = System.nanoTime();
        InputStream in = client.getInputStream();
        int first = in.read();
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        byte[] rest = in.readAllBytes();
        long totalMs = (System.nanoTime() - start) / 1_000_000;
        byte[] got = new byte[1 + rest.length];
        got[0] = (byte) first;
        System.arraycopy(rest, 0, got, 1, rest.length);
        assertArrayEquals(payload, got);
        assertTrue(firstMs >= 50, "the first byte waited for the delay: " + firstMs + " ms");
        assertTrue(totalMs >= 950 && totalMs < 2500, "2 Mbit at 2 Mbit/s took " + totalMs + " ms");
      }
    }
  }

  /**
   * A limit set on a connection that is already open holds to within 10 %: 90 KB at 300 kbit/s take
   * 2.4 s however fast the server writes.
   */
  @Test
  void aLimitSetOnAnOpenConnectionHolds() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LinkEmulator link = LinkEmulator.tcp(server.getLocalPort());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), link.port());
        Socket accepted = server.accept()) {
      OutputStream out = accepted.getOutputStream();
      InputStream in = client.getInputStream();
      out.write(new byte[1000]);
      out.flush();
      in.readNBytes(1000); // open and clean
      link.setDown(LinkEmulator.Conditions.rate(300_000).queue(32 * 1024));
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 90; i++) {
                    out.write(new byte[1000]);
                    out.flush();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      long start = System.nanoTime();
      writer.start();
      in.readNBytes(90_000);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= 2160 && ms <= 2700, "90 KB at 300 kbit/s took " + ms + " ms");
      writer.join();
    }
  }

  @Test
  void udpIsLimitedLosesTheGivenShareAndComesBackWhenTheLimitIsLifted() throws Exception {
    try (DatagramSocket echo =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        LinkEmulator link = LinkEmulator.udp(echo.getLocalPort());
        DatagramSocket client =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      Thread echoer =
          new Thread(
              () -> {
                byte[] buf = new byte[2048];
                while (!echo.isClosed()) {
                  DatagramPacket p = new DatagramPacket(buf, buf.length);
                  try {
                    echo.receive(p);
                    echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      echoer.setDaemon(true);
      echoer.start();
      client.setSoTimeout(300);
      InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), link.port());

      // 20 % loss each way, no rate limit: about 64 % come back
      link.set(LinkEmulator.Conditions.CLEAN.loss(0.2), LinkEmulator.Conditions.CLEAN.loss(0.2));
      int back = roundTrips(client, to, 500, 2);
      assertTrue(back > 260 && back < 380, "64 % of 500 expected, got " + back);

      // 300 kbit/s down with a small queue: 1,000-byte datagrams at 2 Mbit/s mostly dropped
      link.set(LinkEmulator.Conditions.rate(300_000).queue(8_000), LinkEmulator.Conditions.CLEAN);
      long before = link.downBytes();
      long start = System.nanoTime();
      roundTrips(client, to, 250, 4); // 250 KB offered in about 1 s
      double seconds = (System.nanoTime() - start) / 1e9;
      double kbps = (link.downBytes() - before) * 8 / seconds / 1000;
      assertTrue(kbps > 200 && kbps < 400, "down through a 300 kbit/s link: " + kbps + " kbit/s");

      link.set(LinkEmulator.Conditions.CLEAN, LinkEmulator.Conditions.CLEAN); // lifted
      assertTrue(roundTrips(client, to, 200, 1) >= 195, "all back once the limit is lifted");
    }
  }

  /**
   * Sends {@code n} 1,000-byte datagrams ({@code gapMs} apart) and counts the echoes, received
   * while sending (a socket's buffer holds only about 90 such datagrams).
   */
  private static int roundTrips(DatagramSocket client, InetSocketAddress to, int n, int gapMs)
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger back =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean sending =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread receiver =
        new Thread(
            () -> {
              byte[] buf = new byte[2048];
              while (true) {
                try {
                  client.receive(new DatagramPacket(buf, buf.length));
                  back.incrementAndGet();
                } catch (java.net.SocketTimeoutException e) {
                  if (!sending.get()) {
                    return;
                  }
                } catch (java.io.IOException e) {
                  return;
                }
              }
            });
    receiver.start();
    byte[] data = new byte[1000];
    for (int i = 0; i < n; i++) {
      client.send(new DatagramPacket(data, data.length, to));
      if (gapMs > 0) {
        Thread.sleep(gapMs);
      }
    }
    sending.set(false);
    receiver.join();
    return back.get();
  }
}
