package dev.videocall.cli;

import dev.videocall.cli.media.EncodedFrame;
import dev.videocall.cli.media.Scaler;
import dev.videocall.cli.media.VideoEncoder;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.types.Packets;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * The stream's camera as the page publishes it: one encoder per spatial layer (the full size, then
 * a half and a quarter, {@link LayerControl#LAYER_BITRATE_SHARE} of the bitrate each), every layer
 * numbered and keyframed on its own and marked in {@code spatial_layer}/{@code spatial_layers};
 * keyframes per layer on request, and the layers no receiver gets paused (dynacast). One layer: the
 * plain stream, no layer fields.
 */
final class StreamLayers implements AutoCloseable {
  private final VideoEncoder[] encoders;
  private final Scaler[] scalers; // null for the full size
  private final int[] widths;
  private final int[] heights;
  private final long[] sequence;
  private final boolean[] paused;
  private final LayerControl control;

  StreamLayers(VideoCodec codec, int width, int height, int fps, int kbps, int layers) {
    encoders = new VideoEncoder[layers];
    scalers = new Scaler[layers];
    widths = new int[layers];
    heights = new int[layers];
    sequence = new long[layers];
    paused = new boolean[layers];
    control = new LayerControl(layers);
    try {
      for (int l = 0; l < layers; l++) {
        int shift = layers - 1 - l;
        widths[l] = Math.max(2, (width >> shift) & ~1);
        heights[l] = Math.max(2, (height >> shift) & ~1);
        int bitrate = (int) Math.max(20, kbps * LayerControl.LAYER_BITRATE_SHARE[layers - 1][l]);
        encoders[l] = new VideoEncoder(codec, widths[l], heights[l], fps, bitrate);
        if (shift > 0) {
          scalers[l] = new Scaler(width, height, widths[l], heights[l]);
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  int count() {
    return encoders.length;
  }

  /** The layers' sizes, smallest first, e.g. "160x90, 320x180, 640x360". */
  String sizes() {
    StringBuilder out = new StringBuilder();
    for (int l = 0; l < encoders.length; l++) {
      out.append(l == 0 ? "" : ", ").append(widths[l]).append('x').append(heights[l]);
    }
    return out.toString();
  }

  VideoCodec codec() {
    return encoders[0].codec();
  }

  /**
   * A packet that reached the stream's session ({@code ownSession}): keyframe requests, demands.
   */
  void onPacket(PacketWrapper w, long ownSession) {
    control.onPacket(w, ownSession);
  }

  /** Frame {@code index} of the source, at every running layer: the packets to send, in order. */
  List<MediaPacket> encode(AVFrame frame, long index) {
    long now = System.nanoTime();
    int keyframes = control.keyframesDue(now);
    List<MediaPacket> out = new ArrayList<>(encoders.length);
    for (int l = 0; l < encoders.length; l++) {
      if (!control.running(l, now)) {
        paused[l] = true;
        continue;
      }
      boolean key = paused[l] || (keyframes & (1 << l)) != 0; // a paused layer resumes with one
      paused[l] = false;
      AVFrame input = scalers[l] == null ? frame : scalers[l].scale(frame);
      for (EncodedFrame f : encoders[l].encode(input, index, key)) {
        out.add(
            Packets.layeredVideoFrame(
                f.data(),
                f.keyframe(),
                sequence[l]++,
                f.timestampUs(),
                encoders[l].codec(),
                widths[l],
                heights[l],
                l,
                encoders.length));
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (int l = 0; l < encoders.length; l++) {
      if (encoders[l] != null) {
        encoders[l].close();
      }
      if (scalers[l] != null) {
        scalers[l].close();
      }
    }
  }
}
