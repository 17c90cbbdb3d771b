package dev.videocall.web.app;

import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.web.browser.AudioData;
import dev.videocall.web.browser.AudioEncoder;
import dev.videocall.web.browser.EncodedChunk;
import dev.videocall.web.browser.FrameReader;
import dev.videocall.web.browser.MediaStreamTrack;
import dev.videocall.web.browser.MediaStreamTrackProcessor;
import dev.videocall.web.browser.Page;
import org.teavm.jso.JSObject;

/** Microphone → MediaStreamTrackProcessor → AudioEncoder (Opus, 20 ms) → MEDIA packets. */
final class MicrophonePublisher {
  private static final int BITRATE = 32_000;

  private MediaStreamTrack track;
  private final PacketSink sink;
  private final boolean constantBitrate;
  private int generation;
  private FrameReader<AudioData> reader;
  private AudioEncoder encoder;
  private float sampleRate;
  private int channels;
  private boolean enabled = true;
  private boolean stopped;
  private long sequence;

  /** {@code constantBitrate}: in encrypted meetings, so packet sizes do not follow speech. */
  MicrophonePublisher(PacketSink sink, boolean constantBitrate) {
    this.sink = sink;
    this.constantBitrate = constantBitrate;
  }

  /** Publishes {@code next} (another microphone) instead of the current track; null: none. */
  void setTrack(MediaStreamTrack next) {
    if (reader != null) {
      reader.cancel();
      reader = null;
    }
    track = next;
    generation++;
    if (next == null || stopped) {
      return;
    }
    int mine = generation;
    reader = MediaStreamTrackProcessor.audioData(next);
    FramePump.run(reader, this::onData, () -> stopped || mine != generation, "microphone");
  }

  void setEnabled(boolean on) {
    enabled = on;
  }

  boolean enabled() {
    return enabled;
  }

  void stop() {
    stopped = true;
    setTrack(null);
    if (encoder != null && !"closed".equals(encoder.getState())) {
      encoder.close();
    }
  }

  private void onData(AudioData data) {
    if (!enabled || stopped || track == null) {
      data.close();
      return;
    }
    if (encoder == null || "closed".equals(encoder.getState())) {
      // the encoder must match the track's real rate and channel count
      sampleRate = data.getSampleRate();
      channels = data.getNumberOfChannels();
      encoder = AudioEncoder.create(this::onChunk, error -> onEncoderError(error));
      encoder.configureOpus(sampleRate, channels, BITRATE, constantBitrate);
    }
    encoder.encode(data);
    data.close();
  }

  private void onEncoderError(JSObject error) {
    Page.log("audio encoder error, reopening: " + Page.message(error));
    encoder = null;
  }

  private void onChunk(EncodedChunk chunk, JSObject metadata) {
    MediaPacket m = new MediaPacket();
    m.mediaType = MediaPacket.AUDIO;
    m.data = EncodedChunk.bytesOf(chunk);
    m.frameType = "key";
    m.timestamp = chunk.getTimestamp();
    m.sendTimeUs = (long) (System.currentTimeMillis() * 1000.0);
    m.audio = new MediaPacket.AudioMetadata();
    m.audio.audioFormat = "opus";
    m.audio.channels = channels;
    m.audio.sampleRate = sampleRate;
    m.audio.sequence = sequence++;
    sink.sendMedia(m, PacketWrapper.KIND_AUDIO);
  }
}
