package dev.videocall.cli.media;

import static dev.videocall.cli.media.Ffmpeg.check;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import dev.videocall.proto.VideoCodec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * VP8 or VP9 through FFmpeg's libvpx wrappers, tuned for live video: realtime deadline, no frame
 * lag (every input frame comes out at once), a keyframe every 3 s and whenever a receiver asks.
 */
public final class VideoEncoder implements AutoCloseable {
  private final AVCodecContext ctx;
  private final AVPacket packet = av_packet_alloc();
  private final VideoCodec codec;
  private final int fps;

  public VideoEncoder(VideoCodec codec, int width, int height, int fps, int bitrateKbps) {
    this.codec = codec;
    this.fps = fps;
    String name = codec == VideoCodec.VP8 ? "libvpx" : "libvpx-vp9";
    AVCodec encoder = avcodec_find_encoder_by_name(name);
    if (encoder == null) {
      throw new Ffmpeg.MediaException("this FFmpeg build has no " + name + " encoder");
    }
    ctx = avcodec_alloc_context3(encoder);
    ctx.width(width);
    ctx.height(height);
    ctx.pix_fmt(AV_PIX_FMT_YUV420P);
    ctx.time_base(av_make_q(1, fps));
    ctx.framerate(av_make_q(fps, 1));
    ctx.bit_rate(bitrateKbps * 1000L);
    ctx.rc_max_rate(bitrateKbps * 1000L * 3 / 2);
    ctx.rc_buffer_size(bitrateKbps * 1000);
    ctx.gop_size(fps * 3);
    ctx.max_b_frames(0);
    ctx.thread_count(2);
    av_opt_set(ctx.priv_data(), "deadline", "realtime", 0);
    av_opt_set(ctx.priv_data(), "cpu-used", codec == VideoCodec.VP8 ? "10" : "8", 0);
    av_opt_set(ctx.priv_data(), "lag-in-frames", "0", 0);
    av_opt_set(ctx.priv_data(), "auto-alt-ref", "0", 0);
    if (codec != VideoCodec.VP8) {
      av_opt_set(ctx.priv_data(), "row-mt", "1", 0);
    }
    check(
        avcodec_open2(ctx, encoder, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
        "open " + name);
  }

  public VideoCodec codec() {
    return codec;
  }

  /** Encodes frame number {@code index} (a YUV420P frame of the configured size). */
  public List<EncodedFrame> encode(AVFrame frame, long index, boolean forceKeyframe) {
    frame.pts(index);
    frame.pict_type(forceKeyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
    check(avcodec_send_frame(ctx, frame), "encode a video frame");
    List<EncodedFrame> out = new ArrayList<>(1);
    while (true) {
      int r = avcodec_receive_packet(ctx, packet);
      if (Ffmpeg.isAgainOrEof(r)) {
        return out;
      }
      check(r, "read an encoded video frame");
      byte[] data = new byte[packet.size()];
      packet.data().get(data);
      out.add(
          new EncodedFrame(
              data, (packet.flags() & AV_PKT_FLAG_KEY) != 0, packet.pts() * 1_000_000L / fps));
      av_packet_unref(packet);
    }
  }

  @Override
  public void close() {
    av_packet_free(packet);
    avcodec_free_context(ctx);
  }
}
