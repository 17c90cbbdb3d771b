package dev.videocall.cli.media;

import static dev.videocall.cli.media.Ffmpeg.check;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;

/** A V4L2 camera ({@code /dev/videoN}) through FFmpeg's avdevice, scaled to YUV420P. */
public final class Camera implements VideoSource {
  /** The frame formats a person can ask for, with FFmpeg's v4l2 input_format names. */
  public enum FrameFormat {
    NV12("nv12"),
    YUYV("yuyv422"),
    MJPEG("mjpeg");

    final String v4l2;

    FrameFormat(String v4l2) {
      this.v4l2 = v4l2;
    }

    public static FrameFormat parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown frame format " + s + " (use NV12, YUYV or MJPEG)", e);
      }
    }
  }

  private final AVFormatContext input;
  private final AVCodecContext decoder;
  private final int stream;
  private final AVPacket packet = av_packet_alloc();
  private final AVFrame decoded = av_frame_alloc();
  private final YuvFrame out;
  private SwsContext scaler;

  public Camera(int index, int width, int height, int fps, FrameFormat format) {
    String device = device(index);
    if (!Files.exists(Path.of(device))) {
      throw new Ffmpeg.MediaException(
          "no camera " + index + ": " + device + " does not exist" + Devices.camerasHint());
    }
    avdevice.avdevice_register_all();
    AVInputFormat v4l2 = av_find_input_format("video4linux2");
    if (v4l2 == null) {
      throw new Ffmpeg.MediaException("this FFmpeg build has no video4linux2 input");
    }
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "video_size", width + "x" + height, 0);
    av_dict_set(options, "framerate", String.valueOf(fps), 0);
    av_dict_set(options, "input_format", format.v4l2, 0);
    AVFormatContext ctx = avformat_alloc_context();
    int r = avformat_open_input(ctx, device, v4l2, options);
    av_dict_free(options);
    if (r < 0) {
      throw new Ffmpeg.MediaException(
          "camera "
              + index
              + " cannot capture "
              + format
              + " at "
              + width
              + "x"
              + height
              + " "
              + fps
              + " fps ("
              + Ffmpeg.message(r)
              + "). It supports:\n"
              + Devices.formats(index));
    }
    input = ctx;
    check(avformat_find_stream_info(input, (PointerPointer<?>) null), "read the camera's stream");
    int found = -1;
    for (int i = 0; i < input.nb_streams(); i++) {
      if (input.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
        found = i;
        break;
      }
    }
    if (found < 0) {
      throw new Ffmpeg.MediaException(device + " has no video stream");
    }
    stream = found;
    AVCodec codec = avcodec_find_decoder(input.streams(stream).codecpar().codec_id());
    decoder = avcodec_alloc_context3(codec);
    check(
        avcodec_parameters_to_context(decoder, input.streams(stream).codecpar()),
        "configure the camera decoder");
    check(avcodec_open2(decoder, codec, (AVDictionary) null), "open the camera decoder");
    out = new YuvFrame(width, height);
  }

  static String device(int index) {
    return "/dev/video" + index;
  }

  @Override
  public AVFrame next() {
    while (true) {
      check(av_read_frame(input, packet), "read from the camera");
      try {
        if (packet.stream_index() != stream) {
          continue;
        }
        check(avcodec_send_packet(decoder, packet), "decode a camera frame");
        int r = avcodec_receive_frame(decoder, decoded);
        if (Ffmpeg.isAgainOrEof(r)) {
          continue;
        }
        check(r, "decode a camera frame");
        scaler =
            sws_getCachedContext(
                scaler,
                decoded.width(),
                decoded.height(),
                decoded.format(),
                out.width,
                out.height,
                AV_PIX_FMT_YUV420P,
                SWS_BILINEAR,
                null,
                null,
                (DoublePointer) null);
        org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable(out.frame);
        sws_scale(
            scaler,
            decoded.data(),
            decoded.linesize(),
            0,
            decoded.height(),
            out.frame.data(),
            out.frame.linesize());
        return out.frame;
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  @Override
  public void close() {
    if (scaler != null) {
      sws_freeContext(scaler);
    }
    av_frame_free(decoded);
    av_packet_free(packet);
    avcodec_free_context(decoder);
    avformat_close_input(input);
    out.close();
  }
}
