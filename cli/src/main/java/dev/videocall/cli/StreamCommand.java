package dev.videocall.cli;

import com.google.protobuf.ByteString;
import dev.videocall.cli.media.AudioEncoder;
import dev.videocall.cli.media.AudioSource;
import dev.videocall.cli.media.Camera;
import dev.videocall.cli.media.EncodedFrame;
import dev.videocall.cli.media.Microphone;
import dev.videocall.cli.media.TestPattern;
import dev.videocall.cli.media.TestTone;
import dev.videocall.cli.media.VideoEncoder;
import dev.videocall.cli.media.VideoSource;
import dev.videocall.client.VideocallClient;
import dev.videocall.proto.AudioMetadata;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.VideoCodec;
import dev.videocall.types.Ids;
import dev.videocall.types.Packets;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code videocall-cli stream}: a camera or test pattern (and a tone or microphone) into a meeting.
 */
final class StreamCommand {
  static final String USAGE =
      """
      videocall-cli stream --meeting-id M --name NAME (--video-device-index N | --test-pattern)
          [--resolution 1280x720] [--fps 30] [--frame-format NV12|YUYV|MJPEG] [--bitrate-kbps 500]
          [--codec vp8|vp9] [--server http://localhost:8080] [--transport webtransport|websocket]
          [--audio-device N | --test-tone | --no-audio] [--duration 30s] [--connect-timeout 20s]
          [--token ROOM_TOKEN] [--wait 10m] [--user-id U]
        Streams until Ctrl-C (or for --duration), then leaves the meeting. The server gives a guest
        identity for --name and a room token (waiting up to --wait for a host when the meeting has a
        waiting room); --token uses a room token as it is. A server without identity (--auth none)
        needs --user-id. --frame-format applies to cameras (default YUYV). Audio defaults to the
        test tone with --test-pattern and to none with a camera.""";

  private static final Set<String> VALUED =
      Set.of(
          "user-id",
          "meeting-id",
          "video-device-index",
          "resolution",
          "fps",
          "frame-format",
          "bitrate-kbps",
          "codec",
          "server",
          "transport",
          "audio-device",
          "display-name",
          "name",
          "token",
          "wait",
          "duration",
          "connect-timeout");
  private static final Set<String> FLAGS = Set.of("test-pattern", "test-tone", "no-audio");

  private final AtomicBoolean keyframeWanted = new AtomicBoolean();
  private final AtomicLong keyframeRequests = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile String closeReason;
  private volatile long ownSession = -1;

  int run(List<String> argv) throws Exception {
    Args a = new Args(argv, VALUED, FLAGS);
    String user = a.has("user-id") ? Ids.require("user id", a.string("user-id", null)) : null;
    String token = a.string("token", null);
    String meeting =
        token != null && !a.has("meeting-id")
            ? "(the token's)"
            : Ids.require("meeting id", a.required("meeting-id"));
    String name = a.string("name", a.string("display-name", user));
    if (name == null) {
      throw new Args.UsageError("--name is required (how others see this stream)");
    }
    String problem = dev.videocall.types.DisplayNames.problem(name);
    if (problem != null) {
      throw new Args.UsageError("--name: " + problem);
    }
    boolean pattern = a.has("test-pattern");
    if (pattern == a.has("video-device-index")) {
      throw new Args.UsageError("give exactly one of --video-device-index N and --test-pattern");
    }
    int[] size = a.resolution("resolution", "1280x720");
    int fps = a.integer("fps", 30, 1, 120);
    int kbps = a.integer("bitrate-kbps", 500, 20, 50_000);
    VideoCodec codec =
        switch (a.string("codec", "vp8")) {
          case "vp8" -> VideoCodec.VP8;
          case "vp9" -> VideoCodec.VP9_PROFILE0_LEVEL10_8BIT;
          default -> throw new Args.UsageError("--codec must be vp8 or vp9");
        };
    String transport = a.string("transport", "auto");
    if (!Set.of("auto", "webtransport", "websocket").contains(transport)) {
      throw new Args.UsageError("--transport must be webtransport or websocket");
    }
    int audioChoices =
        (a.has("audio-device") ? 1 : 0)
            + (a.has("test-tone") ? 1 : 0)
            + (a.has("no-audio") ? 1 : 0);
    if (audioChoices > 1) {
      throw new Args.UsageError("give at most one of --audio-device, --test-tone and --no-audio");
    }
    URI server = ServerUrl.parse(a.string("server", "http://localhost:8080"));

    VideoSource video =
        pattern
            ? new TestPattern(size[0], size[1])
            : new Camera(
                a.integer("video-device-index", 0, 0, 255),
                size[0],
                size[1],
                fps,
                Camera.FrameFormat.parse(a.string("frame-format", "YUYV")));
    AudioSource audio = null;
    if (a.has("audio-device")) {
      audio = new Microphone(a.integer("audio-device", 0, 0, 63));
    } else if (a.has("test-tone") || (pattern && !a.has("no-audio"))) {
      audio = new TestTone();
    }
    java.time.Duration patience = a.duration("wait", java.time.Duration.ofMinutes(10));
    MeetingEntry.Way[] way = new MeetingEntry.Way[1];
    try (VideoSource v = video;
        VideoEncoder encoder = new VideoEncoder(codec, size[0], size[1], fps, kbps)) {
      VideocallClient client =
          Connection.join(
              server,
              () -> way[0] = MeetingEntry.find(server, user, meeting, name, token, patience),
              transport,
              a.duration("connect-timeout", java.time.Duration.ofSeconds(20)),
              this::onPacket,
              (code, reason) -> {
                if (stopped.getCount() > 0) {
                  closeReason =
                      switch (code) {
                        case dev.videocall.types.CloseCodes.REPLACED ->
                            "another session of "
                                + way[0].who()
                                + " joined this meeting and replaced this one; not reconnecting ("
                                + code
                                + ")";
                        case dev.videocall.types.CloseCodes.REMOVED ->
                            "a host removed us from the meeting (" + code + ")";
                        case dev.videocall.types.CloseCodes.MEETING_ENDED ->
                            "a host ended the meeting for everyone (" + code + ")";
                        default -> "session closed by the server (" + code + "): " + reason;
                      };
                  stopped.countDown();
                }
              });
      ownSession = client.sessionId();
      client.mediaState(true, audio != null);
      System.err.printf(
          "streaming %s %dx%d@%d %s %d kbit/s%s to %s/%s over %s (Ctrl-C to leave)%n",
          pattern ? "test pattern" : "camera",
          size[0],
          size[1],
          fps,
          codec == VideoCodec.VP8 ? "VP8" : "VP9",
          kbps,
          audio == null ? "" : " + Opus",
          server,
          client.meetingId(),
          client.transportName());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stopped.countDown();
                    client.close();
                    try {
                      // the JVM ends with this hook: let the goodbye reach the server first
                      client.closed().get(2, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                      // leaving anyway; the server's heartbeat timeout covers it
                    }
                  },
                  "leave-meeting"));
      Thread audioThread = null;
      if (audio != null) {
        AudioSource source = audio;
        audioThread =
            new Thread(() -> pumpAudio(client, source, source instanceof Microphone), "audio");
        audioThread.setDaemon(true);
        audioThread.start();
      }
      java.time.Duration limit = a.duration("duration", null);
      if (limit != null) {
        Thread timer =
            new Thread(
                () -> {
                  try {
                    if (!stopped.await(
                        limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                      stopped.countDown();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "duration");
        timer.setDaemon(true);
        timer.start();
      }
      pumpVideo(client, v, encoder, fps, pattern);
      client.close();
      if (closeReason != null) {
        System.err.println(closeReason);
        return 1;
      }
      return 0;
    } finally {
      if (audio != null) {
        audio.close();
      }
    }
  }

  private void onPacket(PacketWrapper w) {
    if (w.getPacketType() != PacketWrapper.PacketType.MEDIA) {
      return;
    }
    try {
      MediaPacket m = MediaPacket.parseFrom(w.getData());
      // only requests addressed to this session: a request for someone else's stream (broadcast
      // or forged) must not make us send keyframes
      if (m.getMediaType() == MediaType.KEYFRAME_REQUEST && w.getTargetSessionId() == ownSession) {
        keyframeRequests.incrementAndGet();
        keyframeWanted.set(true);
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      // not ours to judge: other participants' media may be encrypted or new
    }
  }

  private void pumpVideo(
      VideocallClient client, VideoSource source, VideoEncoder encoder, int fps, boolean paced)
      throws InterruptedException {
    long start = System.nanoTime();
    long periodNs = 1_000_000_000L / fps;
    long sequence = 0;
    long bytes = 0;
    long lastReport = start;
    for (long i = 0; stopped.getCount() > 0; i++) {
      if (paced) {
        long wait = start + i * periodNs - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      List<EncodedFrame> out = encoder.encode(source.next(), i, keyframeWanted.getAndSet(false));
      for (EncodedFrame f : out) {
        client.send(
            Packets.media(
                Packets.videoFrame(
                    f.data(), f.keyframe(), sequence++, f.timestampUs(), encoder.codec())));
        bytes += f.data().length;
      }
      long now = System.nanoTime();
      if (now - lastReport >= 10_000_000_000L) {
        System.err.printf(
            "sent %d frames, %.0f kbit/s, %d keyframe requests%n",
            sequence, bytes * 8 / ((now - lastReport) / 1e6), keyframeRequests.get());
        bytes = 0;
        lastReport = now;
      }
    }
  }

  private void pumpAudio(VideocallClient client, AudioSource source, boolean live) {
    try (AudioEncoder encoder = new AudioEncoder(32_000)) {
      short[] block = new short[AudioEncoder.FRAME_SAMPLES];
      long start = System.nanoTime();
      long sequence = 0;
      for (long i = 0; stopped.getCount() > 0; i++) {
        if (!live) {
          long wait = start + i * 20_000_000L - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        source.read(block);
        for (EncodedFrame f : encoder.encode(block)) {
          client.send(Packets.media(audioPacket(f, sequence++)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      System.err.println("audio stopped: " + e.getMessage());
    }
  }

  private static MediaPacket audioPacket(EncodedFrame f, long sequence) {
    return MediaPacket.newBuilder()
        .setMediaType(MediaType.AUDIO)
        .setData(ByteString.copyFrom(f.data()))
        .setTimestamp(f.timestampUs())
        .setDuration(20_000)
        .setSendTimeUs(System.currentTimeMillis() * 1000)
        .setAudioMetadata(
            AudioMetadata.newBuilder()
                .setAudioFormat("opus")
                .setAudioNumberOfChannels(1)
                .setAudioNumberOfFrames(AudioEncoder.FRAME_SAMPLES)
                .setAudioSampleRate(AudioEncoder.SAMPLE_RATE)
                .setSequence(sequence))
        .build();
  }
}
