package dev.videocall.cli.media;

import static dev.videocall.cli.media.Ffmpeg.check;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avdevice;

/** An ALSA capture device ({@code hw:N}) as 48 kHz mono 16-bit PCM through FFmpeg's avdevice. */
public final class Microphone implements AudioSource {
  private final AVFormatContext input;
  private final AVPacket packet = av_packet_alloc();
  private final short[] pending = new short[AudioEncoder.FRAME_SAMPLES * 8];
  private int pendingCount;

  public Microphone(int card) {
    avdevice.avdevice_register_all();
    AVInputFormat alsa = av_find_input_format("alsa");
    if (alsa == null) {
      throw new Ffmpeg.MediaException(
          "this FFmpeg build cannot capture audio from ALSA; use --test-tone or --no-audio");
    }
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "sample_rate", String.valueOf(AudioEncoder.SAMPLE_RATE), 0);
    av_dict_set(options, "channels", "1", 0);
    AVFormatContext ctx = avformat_alloc_context();
    int r = avformat_open_input(ctx, "hw:" + card, alsa, options);
    av_dict_free(options);
    if (r < 0) {
      throw new Ffmpeg.MediaException(
          "no audio device " + card + " (hw:" + card + "): " + Ffmpeg.message(r));
    }
    input = ctx;
  }

  @Override
  public void read(short[] block) {
    while (pendingCount < block.length) {
      check(av_read_frame(input, packet), "read from the microphone");
      try {
        ByteBuffer pcm =
            packet.data().capacity(packet.size()).asBuffer().order(ByteOrder.LITTLE_ENDIAN);
        while (pcm.remaining() >= 2 && pendingCount < pending.length) {
          pending[pendingCount++] = pcm.getShort();
        }
      } finally {
        av_packet_unref(packet);
      }
    }
    System.arraycopy(pending, 0, block, 0, block.length);
    System.arraycopy(pending, block.length, pending, 0, pendingCount - block.length);
    pendingCount -= block.length;
  }

  @Override
  public void close() {
    av_packet_free(packet);
    avformat_close_input(input);
  }
}
