package dev.videocall.server;

import dev.videocall.types.Packets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket participant that joins, keeps sending heartbeats, and does not read: a raw socket
 * with a tiny receive buffer, so the server's writes back up within a few hundred kilobytes.
 */
final class StalledReader implements AutoCloseable {
  private final Socket socket = new Socket();
  private final OutputStream out;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
  final AtomicLong bytesRead = new AtomicLong();

  StalledReader(int port, String user, String meeting) throws IOException {
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    out = socket.getOutputStream();
    out.write(
        ("GET /lobby/"
                + user
                + "/"
                + meeting
                + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:"
                + port
                + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    String status = readResponseHead(socket.getInputStream());
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + status);
    }
    heartbeats.scheduleAtFixedRate(this::heartbeat, 0, 300, TimeUnit.MILLISECONDS);
  }

  /** Starts reading (and discarding) everything, as a receiver that recovered would. */
  void resume() {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                InputStream in = socket.getInputStream();
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                  bytesRead.addAndGet(n);
                }
              } catch (IOException e) {
                // closed
              }
            },
            "stalled-reader-drain");
    t.setDaemon(true);
    t.start();
  }

  /** What a resumed reader parsed: whole binary messages, pongs, and the close frame. */
  static final class Received {
    final java.util.List<byte[]> binary = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicLong pongs = new AtomicLong();
    volatile int closeCode = -1;
    volatile String closeReason = "";
    volatile String malformed;
    volatile boolean ended;
  }

  /**
   * Starts reading and parsing every server frame, pausing after each binary one to read slowly;
   * anything that is not a well-formed unmasked binary, pong or close frame is recorded as
   * malformed and ends the parse.
   */
  Received resumeParsing(long pauseMillisPerFrame) {
    Received r = new Received();
    Thread t =
        new Thread(
            () -> {
              try {
                java.io.DataInputStream in =
                    new java.io.DataInputStream(
                        new java.io.BufferedInputStream(socket.getInputStream()));
                while (true) {
                  int b0 = in.readUnsignedByte();
                  int b1 = in.readUnsignedByte();
                  long len = b1 & 0x7f;
                  if (len == 126) {
                    len = in.readUnsignedShort();
                  } else if (len == 127) {
                    len = in.readLong();
                  }
                  int opcode = b0 & 0x0f;
                  if ((b0 & 0x80) == 0 || (b1 & 0x80) != 0 || len > (16 << 20)) {
                    r.malformed = "frame head " + b0 + " " + b1 + " length " + len;
                    return;
                  }
                  byte[] payload = new byte[(int) len];
                  in.readFully(payload);
                  bytesRead.addAndGet(payload.length);
                  if (opcode == 0x2) {
                    r.binary.add(payload);
                    if (pauseMillisPerFrame > 0) {
                      Thread.sleep(pauseMillisPerFrame);
                    }
                  } else if (opcode == 0xA) {
                    r.pongs.incrementAndGet();
                  } else if (opcode == 0x8) {
                    r.closeCode =
                        len >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    r.closeReason =
                        len > 2
                            ? new String(payload, 2, (int) len - 2, StandardCharsets.UTF_8)
                            : "";
                    return;
                  } else {
                    r.malformed = "unexpected opcode " + opcode + " (length " + len + ")";
                    return;
                  }
                }
              } catch (IOException | InterruptedException e) {
                // connection ended
              } finally {
                r.ended = true;
              }
            },
            "stalled-reader-parse");
    t.setDaemon(true);
    t.start();
    return r;
  }

  /** Sends a PING, which the server answers with a PONG queued behind whatever it is writing. */
  synchronized void ping() throws IOException {
    out.write(
        new byte[] {(byte) 0x89, (byte) 0x84, 1, 2, 3, 4, 'p' ^ 1, 'i' ^ 2, 'n' ^ 3, 'g' ^ 4});
    out.flush();
  }

  private synchronized void heartbeat() {
    try {
      writeMaskedBinary(Packets.heartbeat(false, false).toByteArray());
    } catch (IOException e) {
      heartbeats.shutdown();
    }
  }

  private void writeMaskedBinary(byte[] payload) throws IOException {
    byte[] mask = {1, 2, 3, 4};
    int n = payload.length;
    byte[] head =
        n < 126
            ? new byte[] {(byte) 0x82, (byte) (0x80 | n)}
            : new byte[] {(byte) 0x82, (byte) (0x80 | 126), (byte) (n >> 8), (byte) n};
    byte[] frame = new byte[head.length + 4 + n];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(mask, 0, frame, head.length, 4);
    for (int i = 0; i < n; i++) {
      frame[head.length + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    out.write(frame);
    out.flush();
  }

  private static String readResponseHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Override
  public void close() throws IOException {
    heartbeats.shutdownNow();
    socket.close();
  }
}
