package dev.videocall.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SenderLayersTest {
  private static final long MS = 1_000_000L;

  @Test
  void eachLayersBitrateIsMeasuredOverItsOwnWindow() {
    SenderLayers layers = new SenderLayers();
    long now = -5_000 * MS; // System.nanoTime may be negative
    for (int i = 0; i < 31 * 4; i++) { // 4 s at 30 fps
      layers.frame(new Packet.Layer(0, 3, 90), 250, now); // 60 kbit/s
      layers.frame(new Packet.Layer(2, 3, 360), 2500, now); // 600 kbit/s
      now += 33 * MS;
    }
    assertTrue(Math.abs(layers.bitrate(0) - 60_000) < 3_000, "layer 0: " + layers.bitrate(0));
    assertTrue(Math.abs(layers.bitrate(2) - 600_000) < 30_000, "layer 2: " + layers.bitrate(2));
    assertEquals(SenderLayers.DEFAULT_BPS[1], layers.bitrate(1), "never seen: the default");
  }

  /** A layer dynacast resumes ramps up: the window before the pause still counts. */
  @Test
  void aResumedLayerIsTakenAtTheLargerOfItsLastTwoWindows() {
    SenderLayers layers = new SenderLayers();
    long now = 0;
    for (int i = 0; i < 31 * 4; i++) { // 200 kbit/s
      layers.frame(new Packet.Layer(1, 3, 180), 833, now);
      now += 33 * MS;
    }
    now += 5_000 * MS; // paused
    for (int i = 0; i < 31 * 4; i++) { // resumed, ramping: 120 kbit/s
      layers.frame(new Packet.Layer(1, 3, 180), 500, now);
      now += 33 * MS;
    }
    assertTrue(layers.bitrate(1) > 190_000, "layer 1: " + layers.bitrate(1));
  }

  /**
   * A camera turned off, or a sender gone (a frame racing its leave recreates its entry), must not
   * take a share of every receiver's link nor get demands (attack review finding (e)).
   */
  @Test
  void aSenderWhoseFramesStoppedIsNotSending() {
    SenderLayers layers = new SenderLayers();
    long now = -1_000 * MS;
    assertFalse(layers.sending(now), "no frame yet");
    layers.frame(new Packet.Layer(0, 3, 90), 250, now);
    assertTrue(layers.sending(now + 1_000 * MS));
    assertFalse(layers.sending(now + SenderLayers.SENDING_NANOS + MS));
  }
}
