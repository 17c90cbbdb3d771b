package dev.videocall.web.app;

import dev.videocall.types.webtransport.PacketRoute;
import dev.videocall.types.wire.PacketDeframer;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.WireFormatException;
import dev.videocall.web.browser.ByteReader;
import dev.videocall.web.browser.ByteWriter;
import dev.videocall.web.browser.Page;
import dev.videocall.web.browser.StreamReader;
import dev.videocall.web.browser.WebTransport;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The WebTransport session with the server. Packets go by {@link PacketRoute}, the mapping the
 * server and the Java client use: control packets on one long-lived stream, video on a stream per
 * group of pictures (a keyframe opens it, the delta frames follow on it in order, so the network
 * cannot reorder them), audio as a datagram when it fits; streams carry varint-length-prefixed
 * packets, a datagram exactly one.
 */
final class WebTransportTransport implements Transport {
  private static final int MAX_PACKET_BYTES = 1 << 20;

  /** More video writes than this not yet taken by the network (about a second): congested. */
  private static final int CONGESTED_WRITES = 30;

  /**
   * The stream of one group of pictures (per media kind: camera, screen). Writes made before the
   * browser has opened it wait in order; ending it waits for them.
   */
  private final class Group {
    ByteWriter writer;
    final java.util.List<byte[]> pending = new java.util.ArrayList<>();
    boolean ended;
    boolean failed;

    Group() {
      session
          .openStream()
          .then(
              w -> {
                writer = w;
                for (byte[] framed : pending) {
                  write(framed);
                }
                pending.clear();
                if (ended) {
                  close(w);
                }
                return null;
              },
              error -> {
                failed = true; // the frames of this group are lost; the next keyframe starts over
                videoWritesInFlight -= pending.size();
                pending.clear();
                return null;
              });
    }

    void send(byte[] framed) {
      if (failed) {
        return;
      }
      videoWritesInFlight++;
      if (writer == null) {
        pending.add(framed);
      } else {
        write(framed);
      }
    }

    private void write(byte[] framed) {
      writer
          .write(Int8Array.copyFromJavaArray(framed))
          .then(
              ok -> {
                videoWritesInFlight--;
                return null;
              },
              error -> {
                videoWritesInFlight--;
                return null;
              });
    }

    /** FIN after what was written: a writer's close waits for its queued writes. */
    void end() {
      ended = true;
      if (writer != null) {
        close(writer);
      }
    }

    private void close(ByteWriter w) {
      w.close().then(ok -> null, error -> null);
    }
  }

  private final java.util.Map<Integer, Group> groups = new java.util.HashMap<>();

  private final WebTransport session;
  private final Listener listener;
  private final ByteWriter datagrams;
  private ByteWriter control;
  private final java.util.List<byte[]> pendingControl = new java.util.ArrayList<>();
  private int videoWritesInFlight;
  private boolean closed;

  private WebTransportTransport(WebTransport session, Listener listener) {
    this.session = session;
    this.listener = listener;
    this.datagrams = session.datagramWriter();
  }

  /** Callbacks of {@link #connect}. */
  interface Attempt {
    void ready(WebTransportTransport transport);

    void failed(String why);
  }

  /**
   * Discovers the endpoint, opens the session; reports failure if it is not ready within {@code
   * timeoutMs} (a blocked UDP port may never answer).
   */
  static void connect(String lobbyPath, Listener listener, int timeoutMs, Attempt attempt) {
    boolean[] settled = {false};
    WebTransport[] opened = {null};
    org.teavm.jso.browser.Window.setTimeout(
        () -> {
          if (!settled[0]) {
            settled[0] = true;
            if (opened[0] != null) {
              opened[0].close(0, "timed out");
            }
            attempt.failed("not ready within " + timeoutMs + " ms");
          }
        },
        timeoutMs);
    WebTransport.discover()
        .then(
            endpoint -> {
              if (settled[0]) {
                return null;
              }
              WebTransport wt =
                  WebTransport.open(
                      endpoint.getUrl() + lobbyPath,
                      WebTransport.certificateHashOf(endpoint) == null
                          ? null
                          : hex(WebTransport.certificateHashOf(endpoint)));
              opened[0] = wt;
              wt.ready()
                  .then(
                      ok -> {
                        if (settled[0]) {
                          wt.close(0, "too late");
                          return null;
                        }
                        settled[0] = true;
                        WebTransportTransport t = new WebTransportTransport(wt, listener);
                        t.start();
                        attempt.ready(t);
                        return null;
                      },
                      error -> {
                        if (!settled[0]) {
                          settled[0] = true;
                          attempt.failed(Page.message((JSObject) error));
                        }
                        return null;
                      });
              return null;
            },
            error -> {
              if (!settled[0]) {
                settled[0] = true;
                attempt.failed("no WebTransport endpoint: " + Page.message((JSObject) error));
              }
              return null;
            });
  }

  private void start() {
    session
        .openStream()
        .then(
            writer -> {
              control = writer;
              for (byte[] framed : pendingControl) {
                control.write(Int8Array.copyFromJavaArray(framed));
              }
              pendingControl.clear();
              return null;
            });
    readDatagrams(WebTransport.readerOf(session.datagramStream()));
    acceptStreams(session.incomingStreams());
    session
        .closed()
        .then(
            info -> {
              ended(info.getCloseCode(), info.getReason());
              return null;
            },
            error -> {
              ended(1006, Page.message((JSObject) error));
              return null;
            });
    listener.onOpen();
  }

  @Override
  public void send(PacketWrapper packet, boolean keyframe) {
    if (closed) {
      return;
    }
    byte[] bytes = packet.encode();
    switch (PacketRoute.of(packet.mediaKind, keyframe, bytes.length)) {
      case DATAGRAM ->
          datagrams.write(Int8Array.copyFromJavaArray(bytes)).then(ok -> null, e -> null);
      case OWN_STREAM -> {
        byte[] framed = PacketDeframer.frame(bytes);
        session
            .openStream()
            .then(
                writer -> {
                  writer.write(Int8Array.copyFromJavaArray(framed)).then(ok -> null, e -> null);
                  return writer.close();
                })
            .then(ok -> null, error -> null);
      }
      case NEW_GROUP -> {
        Group previous = groups.get(packet.mediaKind);
        if (previous != null) {
          previous.end();
        }
        Group g = new Group();
        groups.put(packet.mediaKind, g);
        g.send(PacketDeframer.frame(bytes));
      }
      case GROUP -> {
        Group g = groups.get(packet.mediaKind);
        if (g != null) {
          g.send(PacketDeframer.frame(bytes));
        } // else: no keyframe sent yet on this connection; undecodable anyway
      }
      default -> {
        byte[] framed = PacketDeframer.frame(bytes);
        if (control == null) {
          pendingControl.add(framed);
        } else {
          control.write(Int8Array.copyFromJavaArray(framed)).then(ok -> null, e -> null);
        }
      }
    }
  }

  @Override
  public boolean congested() {
    return videoWritesInFlight > CONGESTED_WRITES;
  }

  @Override
  public void close() {
    closed = true;
    session.close(1000, "leaving");
  }

  @Override
  public String name() {
    return "webtransport";
  }

  private void ended(int code, String reason) {
    closed = true;
    listener.onClosed(code, reason == null ? "" : reason);
  }

  private void readDatagrams(ByteReader reader) {
    reader
        .read()
        .then(
            chunk -> {
              if (chunk.isDone()) {
                return null;
              }
              deliver(chunk.getValue().copyToJavaArray(), false);
              readDatagrams(reader);
              return null;
            },
            error -> null);
  }

  private void acceptStreams(StreamReader streams) {
    streams
        .read()
        .then(
            next -> {
              if (next.isDone()) {
                return null;
              }
              readStream(
                  WebTransport.readerOf(next.getValue()), new PacketDeframer(MAX_PACKET_BYTES));
              acceptStreams(streams);
              return null;
            },
            error -> null);
  }

  private void readStream(ByteReader reader, PacketDeframer deframer) {
    reader
        .read()
        .then(
            chunk -> {
              if (chunk.getValue() != null) {
                byte[] bytes = chunk.getValue().copyToJavaArray();
                deframer.feed(bytes, 0, bytes.length);
                try {
                  for (byte[] p = deframer.next(); p != null; p = deframer.next()) {
                    deliver(p, true);
                  }
                } catch (WireFormatException e) {
                  Page.log("dropping a malformed stream from the server: " + e.getMessage());
                  return null;
                }
              }
              if (!chunk.isDone()) {
                readStream(reader, deframer);
              }
              return null;
            },
            error -> null);
  }

  /**
   * A packet from a stream ({@code reliable}) or a datagram; the receiver report counts only the
   * first: the server does not expect datagrams, which may be lost, to arrive.
   */
  private void deliver(byte[] bytes, boolean reliable) {
    try {
      listener.onPacket(PacketWrapper.decode(bytes), reliable ? bytes.length : 0);
    } catch (WireFormatException e) {
      Page.log("ignoring a malformed packet from the server: " + e.getMessage());
    }
  }

  private static Int8Array hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return Int8Array.copyFromJavaArray(out);
  }
}
