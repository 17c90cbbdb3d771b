package dev.videocall.server.core;

import java.util.List;

/** Presence messages as another instance (or an impostor) would send them, for tests elsewhere. */
public final class PresenceTestAccess {
  public byte[] left(String instanceId, Member m) {
    return new PresenceMessage(PresenceMessage.Kind.LEFT, instanceId, "forged", List.of(m))
        .encode();
  }

  public byte[] hello(String instanceId) {
    return new PresenceMessage(PresenceMessage.Kind.HELLO, instanceId, "", List.of()).encode();
  }
}
