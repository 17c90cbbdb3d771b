package dev.videocall.web.app;

import java.util.HashMap;
import java.util.Map;

/**
 * Who is speaking, from audio levels, with hysteresis so that the ring does not flicker: a
 * participant starts speaking after its level stays above {@link #ON} for {@link #START_MS} and
 * stops after it stays below {@link #OFF} for {@link #STOP_MS}. The active speaker (for speaker
 * view) is the one who spoke last and longest, changed only after {@link #SWITCH_MS} of someone
 * else speaking. Pure logic, unit-tested on the JVM; levels are RMS in 0..1.
 */
final class SpeakerDetector {
  static final double ON = 0.02;
  static final double OFF = 0.01;
  static final double START_MS = 120;
  static final double STOP_MS = 700;
  static final double SWITCH_MS = 1200;

  private static final class State {
    boolean speaking;
    double aboveSince = -1;
    double belowSince = -1;
    double speakingSince;
  }

  private final Map<String, State> states = new HashMap<>();
  private String active;

  /** Takes one level reading of {@code who} at {@code nowMs}; returns whether it is speaking. */
  boolean level(String who, double level, double nowMs) {
    State s = states.computeIfAbsent(who, k -> new State());
    if (level >= ON) {
      s.belowSince = -1;
      if (s.aboveSince < 0) {
        s.aboveSince = nowMs;
      }
      if (!s.speaking && nowMs - s.aboveSince >= START_MS) {
        s.speaking = true;
        s.speakingSince = nowMs;
      }
    } else if (level < OFF) {
      s.aboveSince = -1;
      if (s.belowSince < 0) {
        s.belowSince = nowMs;
      }
      if (s.speaking && nowMs - s.belowSince >= STOP_MS) {
        s.speaking = false;
      }
    } else {
      s.aboveSince = -1; // between the thresholds: hold the state, restart both clocks
      s.belowSince = -1;
    }
    if (s.speaking && !who.equals(active)) {
      State current = active == null ? null : states.get(active);
      if (current == null || !current.speaking || nowMs - s.speakingSince >= SWITCH_MS) {
        active = who;
      }
    }
    return s.speaking;
  }

  boolean speaking(String who) {
    State s = states.get(who);
    return s != null && s.speaking;
  }

  /** The active speaker, or null before anyone spoke. */
  String active() {
    return active;
  }

  void forget(String who) {
    states.remove(who);
    if (who.equals(active)) {
      active = null;
    }
  }
}
