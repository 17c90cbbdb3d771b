package dev.videocall.web.browser;

import org.teavm.jso.JSBody;

/** MediaStreamTrackProcessor: a track's raw frames as a readable stream. */
public final class MediaStreamTrackProcessor {
  private MediaStreamTrackProcessor() {}

  @JSBody(
      params = "track",
      script = "return new MediaStreamTrackProcessor({track: track}).readable.getReader();")
  public static native FrameReader<VideoFrame> videoFrames(MediaStreamTrack track);

  @JSBody(
      params = "track",
      script = "return new MediaStreamTrackProcessor({track: track}).readable.getReader();")
  public static native FrameReader<AudioData> audioData(MediaStreamTrack track);

  @JSBody(script = "return typeof MediaStreamTrackProcessor === 'function';")
  public static native boolean isAvailable();
}
