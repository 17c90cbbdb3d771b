package dev.videocall.server.bus;

import dev.videocall.server.core.Packet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The single-instance bus: delivers synchronously on the publishing thread. */
public final class LocalBus implements Bus {
  private final Map<String, List<Consumer<Packet>>> listeners = new ConcurrentHashMap<>();

  @Override
  public Subscription subscribe(String meetingId, Consumer<Packet> listener) {
    listeners.computeIfAbsent(meetingId, m -> new CopyOnWriteArrayList<>()).add(listener);
    return () ->
        listeners.computeIfPresent(
            meetingId,
            (m, list) -> {
              list.remove(listener);
              return list.isEmpty() ? null : list;
            });
  }

  @Override
  public void publish(Packet packet) {
    List<Consumer<Packet>> list = listeners.get(packet.meetingId());
    if (list != null) {
      for (Consumer<Packet> l : list) {
        l.accept(packet);
      }
    }
  }

  @Override
  public String state() {
    return "in-process";
  }

  @Override
  public boolean healthy() {
    return true;
  }

  @Override
  public void close() {
    listeners.clear();
  }
}
