package dev.videocall.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A known-content microphone for Chromium ({@code --use-file-for-fake-audio-capture}): a WAV file
 * of talk and pause, 48 kHz mono, which the browser loops. Chromium's built-in fake microphone only
 * beeps for a moment every second, too short to count as speaking; this one "speaks" for {@code
 * talkMs} at a time, so that the speaking ring and the active speaker can be tested for real.
 */
final class TestAudio {
  private static final int RATE = 48_000;

  private TestAudio() {}

  /** Writes {@code talkMs} of a 300 Hz tone (RMS about 0.2), then {@code pauseMs} of silence. */
  static Path talkAndPause(Path file, int talkMs, int pauseMs) throws IOException {
    int talk = RATE * talkMs / 1000;
    int samples = talk + RATE * pauseMs / 1000;
    ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + samples * 2);
    b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2);
    b.putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(samples * 2);
    for (int i = 0; i < samples; i++) {
      double v = i < talk ? 0.3 * Math.sin(2 * Math.PI * 300 * i / RATE) : 0;
      b.putShort((short) Math.round(v * Short.MAX_VALUE));
    }
    Files.createDirectories(file.getParent());
    Files.write(file, b.array());
    return file;
  }
}
