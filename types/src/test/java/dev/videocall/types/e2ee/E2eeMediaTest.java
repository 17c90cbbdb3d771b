package dev.videocall.types.e2ee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The metadata an encrypted frame is authenticated with. */
class E2eeMediaTest {
  private static byte[] layered(long... f) {
    return E2eeMedia.media(
        1,
        false,
        41,
        123_456,
        1,
        640,
        360,
        (int) f[0],
        (int) f[1],
        (int) f[2],
        (int) f[3],
        f[4],
        f[5]);
  }

  @Test
  void aFrameWithoutLayersKeepsTheLayoutOlderClientsUse() {
    byte[] old = E2eeMedia.media(1, false, 41, 123_456, 1, 640, 360);
    assertEquals(27, old.length);
    assertArrayEquals(old, layered(0, 0, 0, 0, 0, 0));
  }

  /**
   * Every layer field is authenticated: a relay that renumbers {@code sequence_t0} (attack review
   * of the temporal layers) or moves a frame to another layer changes the metadata, and with it the
   * AAD, and the frame fails authentication.
   */
  @Test
  void everyLayerFieldIsAuthenticated() {
    long[] sent = {1, 3, 2, 3, 10, 20};
    byte[] original = layered(sent);
    assertEquals(59, original.length);
    assertFalse(Arrays.equals(original, layered(0, 0, 0, 0, 0, 0)), "fields stripped");
    for (int i = 0; i < sent.length; i++) {
      long[] changed = sent.clone();
      changed[i]++;
      assertFalse(Arrays.equals(original, layered(changed)), "field " + i + " changed");
    }
  }
}
