package dev.videocall.cli;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import dev.videocall.proto.VideoCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/** Decodes received VP8/VP9 frames (FFmpeg's own decoders) into RGB pictures for checks. */
final class FrameDecoder implements AutoCloseable {
  /** A decoded picture, packed RGB. */
  record Picture(int width, int height, byte[] rgb) {
    int[] pixel(double fx, double fy) {
      int x = (int) (fx * width);
      int y = (int) (fy * height);
      int i = (y * width + x) * 3;
      return new int[] {rgb[i] & 0xff, rgb[i + 1] & 0xff, rgb[i + 2] & 0xff};
    }
  }

  private final AVCodecContext ctx;
  private final AVPacket packet = av_packet_alloc();
  private final AVFrame frame = av_frame_alloc();

  FrameDecoder(VideoCodec codec) {
    var decoder = avcodec_find_decoder(codec == VideoCodec.VP8 ? AV_CODEC_ID_VP8 : AV_CODEC_ID_VP9);
    ctx = avcodec_alloc_context3(decoder);
    if (avcodec_open2(ctx, decoder, (AVDictionary) null) < 0) {
      throw new IllegalStateException("cannot open the decoder");
    }
  }

  /** Decodes one frame; null if the decoder produced no picture (yet). */
  Picture decode(byte[] data) {
    // FFmpeg's decoders may read up to 64 bytes past the end: give them zeroed padding
    BytePointer bytes = new BytePointer(data.length + 64L);
    bytes.zero();
    bytes.put(data, 0, data.length);
    packet.data(bytes);
    packet.size(data.length);
    int r = avcodec_send_packet(ctx, packet);
    bytes.close();
    if (r < 0) {
      throw new IllegalStateException("not decodable: error " + r);
    }
    if (avcodec_receive_frame(ctx, frame) < 0) {
      return null;
    }
    int w = frame.width();
    int h = frame.height();
    SwsContext sws =
        sws_getContext(
            w,
            h,
            frame.format(),
            w,
            h,
            AV_PIX_FMT_RGB24,
            SWS_BILINEAR,
            null,
            null,
            (DoublePointer) null);
    BytePointer rgb = new BytePointer((long) w * h * 3);
    sws_scale(
        sws,
        frame.data(),
        frame.linesize(),
        0,
        h,
        new PointerPointer<>(rgb, null, null, null),
        new IntPointer(new int[] {w * 3, 0, 0, 0}));
    byte[] out = new byte[w * h * 3];
    rgb.get(out);
    rgb.close();
    sws_freeContext(sws);
    return new Picture(w, h, out);
  }

  @Override
  public void close() {
    av_frame_free(frame);
    av_packet_free(packet);
    avcodec_free_context(ctx);
  }
}
