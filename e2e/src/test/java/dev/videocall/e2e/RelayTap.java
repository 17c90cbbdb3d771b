package dev.videocall.e2e;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import dev.videocall.types.Subjects;
import dev.videocall.types.wire.MediaPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.WireFormatException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * What the server relays, seen from where an operator (or an attacker on the server's bus) would
 * look: every packet of a meeting as published on NATS. And real decoders (FFmpeg's VP8 and Opus)
 * to try the relayed payloads with.
 */
final class RelayTap implements AutoCloseable {
  /** A relayed media payload and what the cleartext fields said about it. */
  record Payload(String from, int mediaType, boolean keyframe, long sequence, byte[] data) {}

  private final Connection nats;
  private final List<Payload> payloads = new ArrayList<>();
  private final List<String> keyframeRequests = new ArrayList<>();

  RelayTap(String natsUrl, String meeting) throws Exception {
    nats = Nats.connect(natsUrl);
    Dispatcher d =
        nats.createDispatcher(
            m -> {
              try {
                PacketWrapper w = PacketWrapper.decode(m.getData());
                if (w.packetType != PacketWrapper.MEDIA) {
                  return;
                }
                MediaPacket p = MediaPacket.decode(w.data);
                if (p.mediaType == MediaPacket.KEYFRAME_REQUEST) {
                  synchronized (payloads) {
                    keyframeRequests.add(w.userId);
                  }
                  return;
                }
                if (p.data == null || p.data.length == 0) {
                  return;
                }
                long seq =
                    p.mediaType == MediaPacket.AUDIO
                        ? (p.audio == null ? 0 : p.audio.sequence)
                        : (p.video == null ? 0 : p.video.sequence);
                synchronized (payloads) {
                  payloads.add(new Payload(w.userId, p.mediaType, p.isKeyframe(), seq, p.data));
                }
              } catch (WireFormatException e) {
                // not a packet: nothing the server relays to clients
              }
            });
    d.subscribe(Subjects.meeting(meeting));
    nats.flush(java.time.Duration.ofSeconds(2));
  }

  List<Payload> of(int mediaType) {
    List<Payload> out = new ArrayList<>();
    synchronized (payloads) {
      for (Payload p : payloads) {
        if (p.mediaType() == mediaType) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** How many keyframe requests {@code user} sent. */
  int keyframeRequestsFrom(String user) {
    synchronized (payloads) {
      return (int) keyframeRequests.stream().filter(user::equals).count();
    }
  }

  void clear() {
    synchronized (payloads) {
      payloads.clear();
      keyframeRequests.clear();
    }
  }

  @Override
  public void close() throws InterruptedException {
    nats.close();
  }

  /** How many pictures FFmpeg's VP8 decoder makes of these payloads, fed in order. */
  static int vp8Pictures(List<Payload> video) {
    return decode(AV_CODEC_ID_VP8, video, null);
  }

  /**
   * FFmpeg's Opus decoder on these payloads: the share of the decoded signal's energy at {@code hz}
   * (Goertzel over 20 ms blocks), near 1 for a pure tone, near 0 for noise or nothing.
   */
  static double toneShare(List<Payload> audio, double hz) {
    double[] energy = new double[2]; // [at hz, total]
    decode(
        AV_CODEC_ID_OPUS,
        audio,
        samples -> {
          double k = 2 * Math.cos(2 * Math.PI * hz / 48_000);
          double s1 = 0;
          double s2 = 0;
          double total = 0;
          for (float x : samples) {
            double s0 = x + k * s1 - s2;
            s2 = s1;
            s1 = s0;
            total += x * x;
          }
          double power = s1 * s1 + s2 * s2 - k * s1 * s2;
          energy[0] += 2 * power / samples.length;
          energy[1] += total;
        });
    return energy[1] == 0 ? 0 : energy[0] / energy[1];
  }

  private interface Samples {
    void decoded(float[] samples);
  }

  private static int decode(int codecId, List<Payload> payloads, Samples samples) {
    av_log_set_level(-8); // AV_LOG_QUIET: garbage makes the decoders talk
    AVCodec codec = avcodec_find_decoder(codecId);
    AVCodecContext ctx = avcodec_alloc_context3(codec);
    if (codecId == AV_CODEC_ID_OPUS) {
      ctx.sample_rate(48_000);
      org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default(ctx.ch_layout(), 1);
    }
    if (avcodec_open2(ctx, codec, (AVDictionary) null) < 0) {
      throw new IllegalStateException("FFmpeg cannot open decoder " + codecId);
    }
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    int pictures = 0;
    try {
      for (Payload p : payloads) {
        BytePointer data = new BytePointer(p.data());
        packet.data(data);
        packet.size(p.data().length);
        if (avcodec_send_packet(ctx, packet) < 0) {
          continue;
        }
        while (avcodec_receive_frame(ctx, frame) >= 0) {
          pictures++;
          if (samples != null && frame.nb_samples() > 0) {
            float[] out = new float[frame.nb_samples()];
            new FloatPointer(frame.data(0)).get(out); // fltp: plane 0 is the one channel
            samples.decoded(out);
          }
        }
        data.close();
      }
    } finally {
      packet.data(null);
      av_packet_free(packet);
      av_frame_free(frame);
      avcodec_free_context(ctx);
    }
    return pictures;
  }
}
