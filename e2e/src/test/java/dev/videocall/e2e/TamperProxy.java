package dev.videocall.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A test relay between a browser and the server (HTTP and WebSocket, loopback only): everything
 * passes unchanged, except that each binary WebSocket message the server sends on a media session
 * ({@code /lobby...}) goes through {@code tamper} first, as a compromised relay would change it.
 * The browser loads the page from this proxy, so the page's WebSocket comes through it too.
 * Compression is not offered to the server, so the messages are the packets themselves.
 */
final class TamperProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final UnaryOperator<byte[]> tamper;

  TamperProxy(int targetPort, UnaryOperator<byte[]> tamper) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.tamper = tamper;
    Thread t = new Thread(this::accept, "tamper-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        Thread t = new Thread(() -> handle(client, server), "tamper-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client, Socket server) {
    try (client;
        server) {
      InputStream fromClient = client.getInputStream();
      OutputStream toServer = server.getOutputStream();
      String head = readHead(fromClient);
      boolean media =
          head.startsWith("GET /lobby")
              && head.toLowerCase(Locale.ROOT).contains("upgrade: websocket");
      StringBuilder forwarded = new StringBuilder();
      for (String line : head.split("\r\n", -1)) {
        if (!line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:")) {
          forwarded.append(line).append("\r\n");
        }
      }
      forwarded.setLength(forwarded.length() - 2); // the split kept the empty last line
      toServer.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
      toServer.flush();
      Thread up =
          new Thread(
              () -> {
                try {
                  fromClient.transferTo(toServer);
                } catch (IOException e) {
                  // either side closed
                }
                closeQuietly(server);
              },
              "tamper-proxy-up");
      up.setDaemon(true);
      up.start();
      InputStream fromServer = server.getInputStream();
      OutputStream toClient = client.getOutputStream();
      if (!media) {
        fromServer.transferTo(toClient);
        return;
      }
      String response = readHead(fromServer);
      toClient.write(response.getBytes(StandardCharsets.ISO_8859_1));
      toClient.flush();
      relayFrames(fromServer, toClient);
    } catch (IOException e) {
      // a connection ended
    }
  }

  /** Server-to-client WebSocket frames: unmasked; binary messages go through the tamper. */
  private void relayFrames(InputStream in, OutputStream out) throws IOException {
    while (true) {
      int b0 = in.read();
      int b1 = in.read();
      if (b0 < 0 || b1 < 0) {
        return;
      }
      long len = b1 & 0x7f;
      if (len == 126) {
        len = (in.read() << 8) | in.read();
      } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = len << 8 | in.read();
        }
      }
      byte[] payload = in.readNBytes((int) len);
      boolean binaryWhole = (b0 & 0x8f) == 0x82; // FIN and opcode 2: a whole binary message
      if (binaryWhole) {
        payload = tamper.apply(payload);
      }
      out.write(b0);
      if (payload.length < 126) {
        out.write(payload.length);
      } else if (payload.length < 65536) {
        out.write(126);
        out.write(payload.length >> 8);
        out.write(payload.length & 0xff);
      } else {
        out.write(127);
        for (int i = 7; i >= 0; i--) {
          out.write((int) ((long) payload.length >> (8 * i)) & 0xff);
        }
      }
      out.write(payload);
      out.flush();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.write(c);
      matched =
          (c == '\r' && (matched == 0 || matched == 2))
                  || (c == '\n' && (matched == 1 || matched == 3))
              ? matched + 1
              : (c == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
