package dev.videocall.web.app;

import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.WireFormatException;
import dev.videocall.web.browser.Page;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.events.MessageEvent;
import org.teavm.jso.typedarrays.Int8Array;
import org.teavm.jso.websocket.CloseEvent;
import org.teavm.jso.websocket.WebSocket;

/** The WebSocket session with the server: binary PacketWrappers both ways. */
final class WebSocketTransport implements Transport {
  /** Above this many unsent bytes, video frames are skipped (the uplink is congested). */
  static final int CONGESTED_BYTES = 512 * 1024;

  private final WebSocket socket;
  private boolean open;

  WebSocketTransport(String url, Listener listener) {
    socket = new WebSocket(url);
    socket.setBinaryType("arraybuffer");
    socket.onOpen(
        (Event e) -> {
          open = true;
          listener.onOpen();
        });
    socket.onMessage(
        (MessageEvent e) -> {
          byte[] bytes = Int8Array.create(e.getDataAsArray()).copyToJavaArray();
          PacketWrapper packet;
          try {
            packet = PacketWrapper.decode(bytes);
          } catch (WireFormatException ex) {
            Page.log("ignoring a malformed packet from the server: " + ex.getMessage());
            return;
          }
          listener.onPacket(packet, bytes.length);
        });
    socket.onClose(
        (CloseEvent e) -> {
          open = false;
          listener.onClosed(e.getCode(), e.getReason());
        });
  }

  @Override
  public void send(PacketWrapper packet, boolean keyframe) {
    if (open) {
      socket.send(Int8Array.copyFromJavaArray(packet.encode()));
    }
  }

  @Override
  public boolean congested() {
    return socket.getBufferedAmount() > CONGESTED_BYTES;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public void close() {
    open = false;
    socket.close(1000, "leaving");
  }
}
