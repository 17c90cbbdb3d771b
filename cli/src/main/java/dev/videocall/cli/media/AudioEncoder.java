package dev.videocall.cli.media;

import static dev.videocall.cli.media.Ffmpeg.check;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.ShortPointer;

/** Opus (libopus), 48 kHz mono, 20 ms frames: what the browser's AudioDecoder expects. */
public final class AudioEncoder implements AutoCloseable {
  public static final int SAMPLE_RATE = 48_000;
  public static final int FRAME_SAMPLES = 960;

  private final AVCodecContext ctx;
  private final AVFrame frame = av_frame_alloc();
  private final AVPacket packet = av_packet_alloc();
  private long samplesIn;

  public AudioEncoder(int bitrate) {
    AVCodec encoder = avcodec_find_encoder_by_name("libopus");
    if (encoder == null) {
      throw new Ffmpeg.MediaException("this FFmpeg build has no libopus encoder");
    }
    ctx = avcodec_alloc_context3(encoder);
    ctx.sample_rate(SAMPLE_RATE);
    ctx.sample_fmt(AV_SAMPLE_FMT_S16);
    av_channel_layout_default(ctx.ch_layout(), 1);
    ctx.bit_rate(bitrate);
    ctx.time_base(av_make_q(1, SAMPLE_RATE));
    check(avcodec_open2(ctx, encoder, (AVDictionary) null), "open libopus");
    frame.nb_samples(FRAME_SAMPLES);
    frame.format(AV_SAMPLE_FMT_S16);
    check(
        org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy(
            frame.ch_layout(), ctx.ch_layout()),
        "set the channel layout");
    frame.sample_rate(SAMPLE_RATE);
    check(av_frame_get_buffer(frame, 0), "allocate an audio frame");
  }

  /** Encodes exactly {@link #FRAME_SAMPLES} mono samples. */
  public List<EncodedFrame> encode(short[] samples) {
    check(av_frame_make_writable(frame), "make an audio frame writable");
    new ShortPointer(frame.data(0)).put(samples, 0, FRAME_SAMPLES);
    frame.pts(samplesIn);
    samplesIn += FRAME_SAMPLES;
    check(avcodec_send_frame(ctx, frame), "encode audio");
    List<EncodedFrame> out = new ArrayList<>(1);
    while (true) {
      int r = avcodec_receive_packet(ctx, packet);
      if (Ffmpeg.isAgainOrEof(r)) {
        return out;
      }
      check(r, "read encoded audio");
      byte[] data = new byte[packet.size()];
      packet.data().get(data);
      out.add(new EncodedFrame(data, true, packet.pts() * 1_000_000L / SAMPLE_RATE));
      av_packet_unref(packet);
    }
  }

  @Override
  public void close() {
    av_packet_free(packet);
    av_frame_free(frame);
    avcodec_free_context(ctx);
  }
}
