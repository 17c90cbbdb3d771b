package dev.videocall.cli;

import com.google.protobuf.ByteString;
import dev.videocall.cli.media.AudioEncoder;
import dev.videocall.cli.media.AudioSource;
import dev.videocall.cli.media.Camera;
import dev.videocall.cli.media.EncodedFrame;
import dev.videocall.cli.media.Microphone;
import dev.videocall.cli.media.TestPattern;
import dev.videocall.cli.media.TestTone;
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
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code videocall-cli stream}: a camera or test pattern (and a tone or microphone) into a meeting.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "A camera or the test pattern (and a tone or a microphone) into a meeting, until Ctrl-C or"
          + " --duration, then it leaves the meeting.",
      "The server gives a guest identity for --name and a room token, waiting up to --wait for a"
          + " host when the meeting has a waiting room; --token uses a room token as it is. A"
          + " server without identity (--auth none) needs --user-id."
    })
final class StreamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--meeting-id",
      paramLabel = "M",
      description = "the meeting (not needed with --token)")
  String meetingId;

  @Option(names = "--name", paramLabel = "NAME", description = "how others see this stream")
  String name;

  @Option(names = "--display-name", hidden = true, description = "the old spelling of --name")
  String displayName;

  @Option(names = "--token", paramLabel = "ROOM_TOKEN", description = "a room token, used as it is")
  String token;

  @Option(
      names = "--e2ee",
      description =
          "encrypt end to end (SFrame, RFC 9605) with keys the server never sees; required by"
              + " end-to-end encrypted meetings and refused by others")
  boolean e2ee;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = CliTypes.DurationConverter.class,
      description = "how long to wait for a host to let us in (default: ${DEFAULT-VALUE})")
  Duration wait;

  @Option(
      names = "--user-id",
      paramLabel = "U",
      description = "the user id, for servers without identity (--auth none) only")
  String userId;

  @Option(
      names = "--video-device-index",
      paramLabel = "N",
      description = "stream V4L2 camera N (/dev/videoN)")
  Integer videoDevice;

  @Option(names = "--test-pattern", description = "stream four colour bars and a moving block")
  boolean testPattern;

  @Option(
      names = "--resolution",
      paramLabel = "WxH",
      defaultValue = "1280x720",
      converter = CliTypes.ResolutionConverter.class,
      description = "picture size (default: ${DEFAULT-VALUE})")
  CliTypes.Resolution resolution;

  @Option(
      names = "--fps",
      paramLabel = "N",
      defaultValue = "30",
      description = "frames per second, 1-120 (default: ${DEFAULT-VALUE})")
  int fps;

  @Option(
      names = "--frame-format",
      paramLabel = "NV12|YUYV|MJPEG",
      defaultValue = "YUYV",
      description = "what the camera sends (default: ${DEFAULT-VALUE})")
  String frameFormat;

  @Option(
      names = "--bitrate-kbps",
      paramLabel = "N",
      defaultValue = "500",
      description = "video bitrate (default: ${DEFAULT-VALUE})")
  int kbps;

  @Option(
      names = "--layers",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "simulcast: spatial layers, 1 to 3 (the full size, a half, a quarter; the top at"
              + " --bitrate-kbps), as the page sends them (default: ${DEFAULT-VALUE})")
  int layerCount;

  @Option(
      names = "--codec",
      paramLabel = "vp8|vp9",
      defaultValue = "vp8",
      description = "video codec (default: ${DEFAULT-VALUE})")
  String codecName;

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "http://localhost:8080",
      description = "the server (default: ${DEFAULT-VALUE})")
  String serverUrl;

  @Option(
      names = "--transport",
      paramLabel = "webtransport|websocket",
      defaultValue = "auto",
      description = "default: WebTransport, falling back to WebSocket like the browser")
  String transport;

  @Option(names = "--audio-device", paramLabel = "N", description = "ALSA microphone hw:N")
  Integer audioDevice;

  @Option(names = "--test-tone", description = "a 440 Hz tone (the default with --test-pattern)")
  boolean testTone;

  @Option(names = "--no-audio", description = "no sound")
  boolean noAudio;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = CliTypes.DurationConverter.class,
      description = "stream this long (default: until Ctrl-C)")
  Duration duration;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "20s",
      converter = CliTypes.DurationConverter.class,
      description = "keep trying an unreachable server this long (default: ${DEFAULT-VALUE})")
  Duration connectTimeout;

  private String required(String option, String value) {
    if (value == null) {
      throw CliTypes.usage(spec, "Missing required option: '" + option + "'");
    }
    return value;
  }

  private final AtomicLong keyframeRequests = new AtomicLong();
  private volatile StreamLayers layers;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile String closeReason;
  private volatile long ownSession = -1;

  @Override
  public Integer call() throws Exception {
    String user = userId != null ? Ids.require("user id", userId) : null;
    String meeting =
        token != null && meetingId == null
            ? "(the token's)"
            : Ids.require("meeting id", required("--meeting-id", meetingId));
    String name = this.name != null ? this.name : displayName != null ? displayName : user;
    if (name == null) {
      throw CliTypes.usage(spec, "--name is required (how others see this stream)");
    }
    String problem = dev.videocall.types.DisplayNames.problem(name);
    if (problem != null) {
      throw CliTypes.usage(spec, "--name: " + problem);
    }
    boolean pattern = testPattern;
    if (pattern == (videoDevice != null)) {
      throw CliTypes.usage(spec, "give exactly one of --video-device-index N and --test-pattern");
    }
    int[] size = {resolution.width(), resolution.height()};
    CliTypes.range(spec, "--fps", fps, 1, 120);
    CliTypes.range(spec, "--bitrate-kbps", kbps, 20, 50_000);
    CliTypes.range(spec, "--layers", layerCount, 1, 3);
    if (layerCount > 1 && (size[0] >> (layerCount - 1) < 16 || size[1] >> (layerCount - 1) < 16)) {
      throw CliTypes.usage(
          spec,
          "--layers "
              + layerCount
              + " needs a picture at least "
              + (16 << (layerCount - 1))
              + " pixels wide and tall");
    }
    VideoCodec codec =
        switch (codecName) {
          case "vp8" -> VideoCodec.VP8;
          case "vp9" -> VideoCodec.VP9_PROFILE0_LEVEL10_8BIT;
          default -> throw CliTypes.usage(spec, "--codec must be vp8 or vp9");
        };
    if (!Set.of("auto", "webtransport", "websocket").contains(transport)) {
      throw CliTypes.usage(spec, "--transport must be webtransport or websocket");
    }
    int audioChoices = (audioDevice != null ? 1 : 0) + (testTone ? 1 : 0) + (noAudio ? 1 : 0);
    if (audioChoices > 1) {
      throw CliTypes.usage(spec, "give at most one of --audio-device, --test-tone and --no-audio");
    }
    URI server = ServerUrl.parse(serverUrl);

    VideoSource video =
        pattern
            ? new TestPattern(size[0], size[1])
            : new Camera(
                CliTypes.range(spec, "--video-device-index", videoDevice, 0, 255),
                size[0],
                size[1],
                fps,
                Camera.FrameFormat.parse(frameFormat));
    AudioSource audio = null;
    if (audioDevice != null) {
      audio = new Microphone(CliTypes.range(spec, "--audio-device", audioDevice, 0, 63));
    } else if (testTone || (pattern && !noAudio)) {
      audio = new TestTone();
    }
    Duration patience = wait;
    MeetingEntry.Way[] way = new MeetingEntry.Way[1];
    try (VideoSource v = video;
        StreamLayers encoder = new StreamLayers(codec, size[0], size[1], fps, kbps, layerCount)) {
      layers = encoder;
      VideocallClient client =
          Connection.join(
              server,
              () ->
                  way[0] =
                      MeetingEntry.find(server, user, meeting, name, token, patience)
                          .encrypting(e2ee),
              transport,
              connectTimeout,
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
      if (client.e2ee() != null) {
        System.err.println(
            "end-to-end encrypted (SFrame, RFC 9605): compare each safety code below with the"
                + " one the other person sees");
        client
            .e2ee()
            .onSafetyCode(
                (session, code) ->
                    System.err.println("safety code with session " + session + ": " + code));
      }
      client.mediaState(true, audio != null);
      System.err.printf(
          "streaming %s %s@%d %s %d kbit/s%s to %s/%s over %s (Ctrl-C to leave)%n",
          pattern ? "test pattern" : "camera",
          encoder.count() > 1 ? "in layers " + encoder.sizes() : size[0] + "x" + size[1],
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
      Duration limit = duration;
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
    StreamLayers l = layers;
    if (l != null) {
      l.onPacket(w, ownSession); // keyframe requests, per layer; which layers anyone gets
    }
    if (w.getPacketType() != PacketWrapper.PacketType.MEDIA) {
      return;
    }
    try {
      MediaPacket m = MediaPacket.parseFrom(w.getData());
      // only requests addressed to this session: a request for someone else's stream (broadcast
      // or forged) must not make us send keyframes
      if (m.getMediaType() == MediaType.KEYFRAME_REQUEST && w.getTargetSessionId() == ownSession) {
        keyframeRequests.incrementAndGet();
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      // not ours to judge: other participants' media may be encrypted or new
    }
  }

  private void pumpVideo(
      VideocallClient client, VideoSource source, StreamLayers encoder, int fps, boolean paced)
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
      for (MediaPacket m : encoder.encode(source.next(), i)) {
        client.send(Packets.media(m));
        sequence++;
        bytes += m.getData().size();
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
