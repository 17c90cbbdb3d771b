package dev.videocall.server.bus;

import dev.videocall.server.core.Packet;
import java.util.function.Consumer;

/**
 * Carries a meeting's packets to every server instance that has participants in it. The default is
 * in-process; a NATS implementation spans instances.
 */
public interface Bus extends AutoCloseable {
  /** Delivers every packet later published for {@code meetingId}, by any instance, to listener. */
  Subscription subscribe(String meetingId, Consumer<Packet> listener);

  /** Publishes to all subscribers of the packet's meeting. */
  void publish(Packet packet);

  /**
   * Sends a presence message (see {@code Presence}) to every other instance; a single instance has
   * nobody to tell.
   */
  default void publishPresence(byte[] message) {}

  /** Receives the presence messages of every other instance. */
  default void onPresence(Consumer<byte[]> listener) {}

  /**
   * Sends a server notice (a moderation step: deliver a meeting event to some sessions, close them)
   * to every other instance; see {@code Relay#notice}.
   */
  default void publishNotice(byte[] notice) {}

  /** Receives the notices of every other instance. */
  default void onNotice(Consumer<byte[]> listener) {}

  /** The largest packet the bus can carry to other instances. */
  default int maxPacketBytes() {
    return Integer.MAX_VALUE;
  }

  /** A short state for health checks, e.g. "in-process" or "connected". */
  String state();

  /** False when the bus cannot currently reach other instances (local delivery still works). */
  boolean healthy();

  @Override
  void close();

  /** Stops a subscription's deliveries. */
  interface Subscription {
    void unsubscribe();
  }
}
