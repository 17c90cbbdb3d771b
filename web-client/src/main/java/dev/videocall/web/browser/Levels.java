package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.webaudio.AudioContext;

/** Audio levels: of a local microphone track (an analyser) and of decoded remote audio. */
public final class Levels {
  private Levels() {}

  /** A meter on a track; read it with {@link #read}. */
  public interface Meter extends JSObject {}

  @JSBody(
      params = {"ctx", "track"},
      script =
          "var vcSource = ctx.createMediaStreamSource(new MediaStream([track]));"
              + "var vcAnalyser = ctx.createAnalyser(); vcAnalyser.fftSize = 1024;"
              + "vcSource.connect(vcAnalyser);"
              + "return {analyser: vcAnalyser, source: vcSource, buf: new Float32Array(1024)};")
  public static native Meter meter(AudioContext ctx, MediaStreamTrack track);

  /** The RMS level (0..1) of the meter's last 1024 samples. */
  @JSBody(
      params = "meter",
      script =
          "meter.analyser.getFloatTimeDomainData(meter.buf); var vcSum = 0;"
              + "for (var vcI = 0; vcI < meter.buf.length; vcI++) vcSum += meter.buf[vcI] *"
              + " meter.buf[vcI];"
              + "return Math.sqrt(vcSum / meter.buf.length);")
  public static native double read(Meter meter);

  @JSBody(params = "meter", script = "try { meter.source.disconnect(); } catch (vcE) {}")
  public static native void close(Meter meter);

  /** The RMS level (0..1) of decoded audio (first channel). */
  @JSBody(
      params = "data",
      script =
          "var vcN = data.numberOfFrames; var vcP = new Float32Array(vcN);"
              + "data.copyTo(vcP, {planeIndex: 0, format: 'f32-planar'}); var vcSum = 0;"
              + "for (var vcI = 0; vcI < vcN; vcI++) vcSum += vcP[vcI] * vcP[vcI];"
              + "return vcN ? Math.sqrt(vcSum / vcN) : 0;")
  public static native double of(AudioData data);
}
