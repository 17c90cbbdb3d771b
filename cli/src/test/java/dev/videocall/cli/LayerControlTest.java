package dev.videocall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.types.Packets;
import org.junit.jupiter.api.Test;

class LayerControlTest {
  private static PacketWrapper demand(String instance, int mask) {
    return Packets.layerDemand(instance, mask);
  }

  /**
   * Two server instances each say what their receivers get: the camera runs the union (the bot took
   * the last one alone, and with two instances its upper layers paused and resumed every second:
   * the attack review).
   */
  @Test
  void theDemandsOfEveryInstanceAddUp() {
    LayerControl c = new LayerControl(3);
    long now = System.nanoTime();
    assertTrue(c.running(2, now), "every layer until a demand is heard");
    c.onPacket(demand("a", 0b100), -1);
    c.onPacket(demand("b", 0b010), -1);
    now = System.nanoTime();
    assertTrue(c.running(0, now), "the smallest always");
    assertTrue(c.running(1, now));
    assertTrue(c.running(2, now));
    c.onPacket(demand("a", 0b001), -1);
    assertFalse(c.running(2, System.nanoTime()), "instance a no longer needs the largest");
    assertFalse(
        c.running(1, now + LayerControl.DEMAND_TTL_NANOS + 1), "a demand not repeated expires");
  }

  @Test
  void aRequestedLayerRunsAndKeyframesKeepTheirGap() {
    LayerControl c = new LayerControl(3);
    c.onPacket(demand("a", 0b001), -1);
    long now = System.nanoTime();
    assertFalse(c.running(2, now));
    c.onPacket(Packets.keyframeRequest(7, MediaType.VIDEO, 2), 7);
    c.onPacket(Packets.keyframeRequest(8, MediaType.VIDEO, 1), 7); // someone else's: ignored
    c.onPacket(Packets.keyframeRequest(7, MediaType.VIDEO, 5), 7); // a layer it does not have
    now = System.nanoTime();
    assertTrue(c.running(2, now), "a keyframe request wakes a paused layer");
    assertEquals(0b100, c.keyframesDue(now));
    c.onPacket(Packets.keyframeRequest(7, MediaType.VIDEO, -1), 7);
    assertEquals(0b011, c.keyframesDue(now + 1), "layer 2 had one just now: it waits");
    assertEquals(
        0b100, c.keyframesDue(now + LayerControl.KEYFRAME_GAP_NANOS), "and comes after the gap");
    assertEquals(0, c.keyframesDue(now + 2 * LayerControl.KEYFRAME_GAP_NANOS));
  }
}
