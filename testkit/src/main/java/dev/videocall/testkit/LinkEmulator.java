package dev.videocall.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A bad network link on this machine, between a client and a server: a bottleneck of a given rate
 * with a queue, a one-way delay, and (UDP) random loss, in each direction. The kernel here has no
 * netem, so this is a userspace proxy on loopback: clients connect to {@link #port()} (TCP: HTTP,
 * WebSocket; UDP: QUIC, i.e. WebTransport) and it forwards to the server. Conditions can change
 * while traffic flows ({@link #set}), e.g. to lift a limit in the middle of a test.
 *
 * <p>The model is a router's: a packet (or, for TCP, a chunk as read) waits behind the ones before
 * it for the bottleneck ({@code size * 8 / rate} each), then travels {@code delay}. TCP never loses
 * bytes: when the queue is full the proxy stops reading and TCP's own flow control slows the
 * sender, as a real bottleneck's drops would. UDP datagrams beyond the queue are dropped (tail
 * drop), and {@code loss} drops a share of them at random before that.
 */
public final class LinkEmulator implements AutoCloseable {
  /** How one direction of the link behaves. {@code bitsPerSecond} 0: no limit. */
  public record Conditions(long bitsPerSecond, int delayMs, double loss, int queueBytes) {
    public static final Conditions CLEAN = new Conditions(0, 0, 0, 256 * 1024);

    public static Conditions rate(long bitsPerSecond) {
      return new Conditions(bitsPerSecond, 0, 0, 64 * 1024);
    }

    public Conditions delay(int ms) {
      return new Conditions(bitsPerSecond, ms, loss, queueBytes);
    }

    public Conditions loss(double share) {
      return new Conditions(bitsPerSecond, delayMs, share, queueBytes);
    }

    public Conditions queue(int bytes) {
      return new Conditions(bitsPerSecond, delayMs, loss, bytes);
    }
  }

  private final boolean tcp;
  private final int targetPort;
  private final ServerSocket tcpListener;
  private final DatagramSocket udpListener;
  private volatile Conditions down = Conditions.CLEAN; // server to client
  private volatile Conditions up = Conditions.CLEAN; // client to server
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private final AtomicLong downBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  private LinkEmulator(boolean tcp, int targetPort) throws IOException {
    this.tcp = tcp;
    this.targetPort = targetPort;
    InetAddress lo = InetAddress.getLoopbackAddress();
    if (tcp) {
      tcpListener = new ServerSocket(0, 50, lo);
      udpListener = null;
      start("link-accept", this::acceptTcp);
    } else {
      tcpListener = null;
      udpListener = new DatagramSocket(new InetSocketAddress(lo, 0));
      start("link-udp-in", this::receiveUdpFromClients);
    }
  }

  /** A TCP link to {@code targetPort} on loopback. */
  public static LinkEmulator tcp(int targetPort) throws IOException {
    return new LinkEmulator(true, targetPort);
  }

  /** A UDP link to {@code targetPort} on loopback (one upstream socket per client address). */
  public static LinkEmulator udp(int targetPort) throws IOException {
    return new LinkEmulator(false, targetPort);
  }

  public int port() {
    return tcp ? tcpListener.getLocalPort() : udpListener.getLocalPort();
  }

  /** From now on: {@code down} for what the server sends, {@code up} for what the client sends. */
  public void set(Conditions down, Conditions up) {
    this.down = down;
    this.up = up;
  }

  /** Only the server-to-client direction changes (the usual weak downlink). */
  public void setDown(Conditions down) {
    this.down = down;
  }

  /**
   * Cuts every TCP connection through the link now (a network drop) and keeps accepting new ones:
   * clients see their connection fail and reconnect.
   */
  public void cutConnections() {
    for (AutoCloseable c : open) {
      if (c instanceof Socket) {
        closeQuietly(c);
        open.remove(c);
      }
    }
  }

  /** Bytes delivered to clients so far. */
  public long downBytes() {
    return downBytes.get();
  }

  /** Datagrams dropped by the queue or at random (UDP). */
  public long dropped() {
    return dropped.get();
  }

  /**
   * One direction's bottleneck and delay line: what is offered comes out in order, each item no
   * earlier than the link allows.
   */
  private final class Pipe {
    private final boolean downstream;
    private final Consumer<byte[]> sink;
    private final ArrayDeque<long[]> times = new ArrayDeque<>(); // [releaseAtNanos]
    private final ArrayDeque<byte[]> items = new ArrayDeque<>();
    private long queuedBytes;
    private long nextFreeNanos;
    private long lastReleaseNanos;
    private boolean delivering; // an item is out of the queue but not yet written

    Pipe(boolean downstream, Consumer<byte[]> sink, String name) {
      this.downstream = downstream;
      this.sink = sink;
      start(name, this::run);
    }

    /** Waits until everything offered has come out (or the link closes). */
    synchronized void awaitEmpty() throws InterruptedException {
      while ((!items.isEmpty() || delivering) && !closed) {
        wait(20);
      }
    }

    private Conditions conditions() {
      return downstream ? down : up;
    }

    /** Queues one item; TCP waits for room, UDP drops. False when dropped. */
    synchronized boolean offer(byte[] data, boolean mayWait) throws InterruptedException {
      Conditions c = conditions();
      if (!mayWait && c.loss() > 0 && ThreadLocalRandom.current().nextDouble() < c.loss()) {
        dropped.incrementAndGet();
        return false;
      }
      while (queuedBytes > 0 && queuedBytes + data.length > c.queueBytes()) {
        if (!mayWait) {
          dropped.incrementAndGet();
          return false;
        }
        wait(50);
        if (closed) {
          return false;
        }
        c = conditions();
      }
      long now = System.nanoTime();
      long serialize =
          c.bitsPerSecond() <= 0 ? 0 : data.length * 8L * 1_000_000_000L / c.bitsPerSecond();
      nextFreeNanos = Math.max(now, nextFreeNanos) + serialize;
      long release = Math.max(lastReleaseNanos, nextFreeNanos + c.delayMs() * 1_000_000L);
      lastReleaseNanos = release;
      times.add(new long[] {release});
      items.add(data);
      queuedBytes += data.length;
      notifyAll();
      return true;
    }

    private void run() {
      try {
        while (!closed) {
          byte[] data;
          synchronized (this) {
            while (items.isEmpty() && !closed) {
              wait(100);
            }
            if (closed) {
              return;
            }
            long wait = times.peekFirst()[0] - System.nanoTime();
            if (wait > 0) {
              wait(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
              continue;
            }
            times.pollFirst();
            data = items.pollFirst();
            queuedBytes -= data.length;
            delivering = true;
            notifyAll();
          }
          if (downstream) {
            downBytes.addAndGet(data.length);
          }
          try {
            sink.accept(data);
          } finally {
            synchronized (this) {
              delivering = false; // the end of the stream waits for this (a half close after it)
              notifyAll();
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- TCP ----

  private void acceptTcp() {
    while (!closed) {
      try {
        Socket client = tcpListener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        open.add(client);
        open.add(server);
        splice(client.getInputStream(), server.getOutputStream(), false, server);
        splice(server.getInputStream(), client.getOutputStream(), true, client);
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  /**
   * One direction: read, through the pipe, write; at the end, a half close after the pipe drained.
   */
  private void splice(InputStream in, OutputStream out, boolean downstream, Socket to) {
    Pipe pipe =
        new Pipe(
            downstream,
            data -> {
              try {
                out.write(data);
                out.flush();
              } catch (IOException e) {
                closeQuietly(to);
              }
            },
            downstream ? "link-tcp-down" : "link-tcp-up");
    start(
        downstream ? "link-tcp-read-down" : "link-tcp-read-up",
        () -> {
          byte[] buf = new byte[4096];
          try {
            for (int n = in.read(buf); n >= 0 && !closed; n = in.read(buf)) {
              byte[] chunk = new byte[n];
              System.arraycopy(buf, 0, chunk, 0, n);
              pipe.offer(chunk, true);
            }
          } catch (IOException e) {
            // a side closed
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          try {
            pipe.awaitEmpty(); // what it holds still goes, at the link's pace
            to.shutdownOutput();
          } catch (IOException e) {
            closeQuietly(to);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  // ---- UDP ----

  private final Map<SocketAddress, DatagramSocket> upstreams = new ConcurrentHashMap<>();
  private final Map<SocketAddress, Pipe[]> pipes = new ConcurrentHashMap<>();

  private void receiveUdpFromClients() {
    byte[] buf = new byte[65_536];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udpListener.receive(p);
      } catch (IOException e) {
        return;
      }
      SocketAddress client = p.getSocketAddress();
      byte[] data = new byte[p.getLength()];
      System.arraycopy(p.getData(), p.getOffset(), data, 0, data.length);
      try {
        pipesOf(client)[1].offer(data, false);
      } catch (IOException e) {
        // the upstream socket could not be made: the datagram is lost, as on a network
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Pipe[] pipesOf(SocketAddress client) throws IOException {
    Pipe[] existing = pipes.get(client);
    if (existing != null) {
      return existing;
    }
    DatagramSocket upstream =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    open.add(upstream);
    upstreams.put(client, upstream);
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    Pipe toServer =
        new Pipe(
            false,
            d -> sendQuietly(upstream, new DatagramPacket(d, d.length, server)),
            "link-udp-up");
    Pipe toClient =
        new Pipe(
            true,
            d -> sendQuietly(udpListener, new DatagramPacket(d, d.length, client)),
            "link-udp-down");
    Pipe[] both = {toClient, toServer};
    pipes.put(client, both);
    start(
        "link-udp-from-server",
        () -> {
          byte[] buf = new byte[65_536];
          while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
              upstream.receive(p);
              byte[] data = new byte[p.getLength()];
              System.arraycopy(p.getData(), p.getOffset(), data, 0, data.length);
              toClient.offer(data, false);
            } catch (IOException e) {
              return;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        });
    return both;
  }

  private static void sendQuietly(DatagramSocket s, DatagramPacket p) {
    try {
      s.send(p);
    } catch (IOException e) {
      // a datagram lost
    }
  }

  // ----

  private void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    if (tcpListener != null) {
      closeQuietly(tcpListener);
    }
    if (udpListener != null) {
      udpListener.close();
    }
    for (AutoCloseable c : open) {
      closeQuietly(c);
    }
  }
}
