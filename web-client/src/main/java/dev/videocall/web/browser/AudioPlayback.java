package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.webaudio.AudioContext;

/**
 * Plays decoded AudioData through an AudioContext at a chosen time.
 *
 * <p>Locals in {@code @JSBody} scripts carry a {@code vc} prefix: TeaVM's minifier renames the
 * parameters to short names (a, b, c...) but not the script's own variables, so a short local can
 * shadow a renamed parameter.
 */
public final class AudioPlayback {
  private AudioPlayback() {}

  /**
   * Copies {@code data} into an AudioBuffer, schedules it at context time {@code when} (seconds),
   * closes {@code data}.
   */
  @JSBody(
      params = {"ctx", "data", "when"},
      script =
          "var vcFrames = data.numberOfFrames, vcChannels = data.numberOfChannels;"
              + "var vcBuffer = ctx.createBuffer(vcChannels, vcFrames, data.sampleRate);"
              + "for (var vcIndex = 0; vcIndex < vcChannels; vcIndex++) {"
              + "  var vcPlane = new Float32Array(vcFrames);"
              + "  data.copyTo(vcPlane, {planeIndex: vcIndex, format: 'f32-planar'});"
              + "  vcBuffer.copyToChannel(vcPlane, vcIndex);"
              + "}"
              + "data.close();"
              + "var vcSource = ctx.createBufferSource();"
              + "vcSource.buffer = vcBuffer; vcSource.connect(ctx.destination);"
              + " vcSource.start(when);")
  public static native void schedule(AudioContext ctx, AudioData data, double when);
}
