package dev.videocall.client.e2ee;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.videocall.proto.ChatPacket;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MeetingPacket;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.proto.ReactionPacket;
import dev.videocall.types.e2ee.E2eeCrypto;
import dev.videocall.types.e2ee.E2eeMedia;
import dev.videocall.types.e2ee.E2eeSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Java client's end of an end-to-end encrypted meeting: the shared {@link E2eeSession} with the
 * JDK's primitives, applied to the client's protobuf packets. Outgoing media payloads (video,
 * audio, screen) and chat become SFrame ciphertext; incoming ones are decrypted before the
 * application sees them, and a packet that does not authenticate is dropped (counted), never handed
 * on.
 */
public final class ClientE2ee {
  private static final System.Logger log = System.getLogger(ClientE2ee.class.getName());

  private final E2eeSession session;
  private final Map<Long, String> safetyCodes = new ConcurrentHashMap<>();
  private volatile java.util.function.BiConsumer<Long, String> safetyCodeListener = (s, c) -> {};

  /** Results ready for the application, handed over outside the E2EE lock, in order. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> ready =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final Object deliveryLock = new Object();

  /**
   * @param send how E2EE packets go out (the client's send)
   */
  public ClientE2ee(Consumer<PacketWrapper> send) {
    long started = System.nanoTime();
    this.session =
        new E2eeSession(
            new JdkCrypto(),
            new E2eeSession.Out() {
              @Override
              public void send(int packetType, byte[] data, long target) {
                send.accept(
                    PacketWrapper.newBuilder()
                        .setPacketTypeValue(packetType)
                        .setData(ByteString.copyFrom(data))
                        .setTargetSessionId(target)
                        .build());
              }

              @Override
              public void safetyCode(long sessionId, String code) {
                safetyCodes.put(sessionId, code);
                ready.add(() -> safetyCodeListener.accept(sessionId, code));
              }

              @Override
              public void log(String line) {
                log.log(System.Logger.Level.INFO, line);
              }
            },
            () -> (System.nanoTime() - started) / 1e6);
  }

  public synchronized E2eeSession.Counters counters() {
    return session.counters();
  }

  /** Told each peer's safety code when it is known (for people to compare aloud). */
  public void onSafetyCode(java.util.function.BiConsumer<Long, String> listener) {
    this.safetyCodeListener = listener;
  }

  /** The safety code shown for a peer (the same digits as on its screen), or null. */
  public String safetyCode(long sessionId) {
    return safetyCodes.get(sessionId);
  }

  public synchronized long currentKid() {
    return session.currentKid();
  }

  public synchronized int peersWithKeys() {
    return session.peersWithKeys();
  }

  /** Our session started (or restarted): new key pair, new sender key, public key announced. */
  public synchronized void start(long sessionId) {
    session.start(sessionId);
  }

  /**
   * An outgoing packet as it must travel: media payloads and chat sealed, the rest unchanged; null
   * when it cannot be encrypted (no sender key yet), so that nothing leaves in the clear.
   */
  public synchronized PacketWrapper outgoing(PacketWrapper p) {
    try {
      switch (p.getPacketType()) {
        case MEDIA -> {
          MediaPacket m = MediaPacket.parseFrom(p.getData());
          if (!encrypted(m.getMediaType()) || m.getData().isEmpty()) {
            return p;
          }
          byte[] sealed = seal(metadata(m), m.getData().toByteArray());
          return sealed == null
              ? null
              : p.toBuilder()
                  .setData(
                      m.toBuilder().setData(ByteString.copyFrom(sealed)).build().toByteString())
                  .build();
        }
        case CHAT, REACTION -> {
          byte[] sealed = seal(E2eeMedia.social(p.getPacketTypeValue()), p.getData().toByteArray());
          if (sealed == null) {
            return null;
          }
          ByteString wrapped =
              p.getPacketType() == PacketType.CHAT
                  ? ChatPacket.newBuilder()
                      .setSealed(ByteString.copyFrom(sealed))
                      .build()
                      .toByteString()
                  : ReactionPacket.newBuilder()
                      .setSealed(ByteString.copyFrom(sealed))
                      .build()
                      .toByteString();
          return p.toBuilder().setData(wrapped).build();
        }
        default -> {
          return p;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /**
   * Hands an incoming packet on as the application should see it: E2EE packets consumed, media and
   * chat decrypted (possibly later, when a frame waited for its key; always in order per sender), a
   * packet that does not decrypt dropped and counted.
   */
  public void incoming(PacketWrapper p, Consumer<PacketWrapper> deliver) {
    synchronized (this) {
      receive(p, x -> ready.add(() -> deliver.accept(x)));
    }
    deliverReady();
  }

  /**
   * Runs what is ready for the application, in order, outside the E2EE lock: a slow or failing
   * listener neither blocks sending nor cuts the E2EE code short.
   */
  private void deliverReady() {
    synchronized (deliveryLock) {
      for (Runnable r = ready.poll(); r != null; r = ready.poll()) {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.log(System.Logger.Level.WARNING, "the packet listener failed", e);
        }
      }
    }
  }

  private void receive(PacketWrapper p, Consumer<PacketWrapper> deliver) {
    try {
      switch (p.getPacketType()) {
        case E2EE_PUBLIC_KEY, E2EE_WRAPPED_KEY ->
            session.onPacket(p.getSessionId(), p.getPacketTypeValue(), p.getData().toByteArray());
        case MEETING -> {
          MeetingPacket m = MeetingPacket.parseFrom(p.getData());
          switch (m.getEventType()) {
            case MEETING_STARTED -> {
              for (dev.videocall.proto.Participant who : m.getParticipantsList()) {
                session.memberJoined(who.getSessionId(), false);
              }
            }
            case PARTICIPANT_JOINED -> session.memberJoined(m.getTargetSessionId(), true);
            case PARTICIPANT_LEFT -> session.peerLeft(m.getTargetSessionId());
            default -> {}
          }
          deliver.accept(p);
        }
        case MEDIA -> {
          MediaPacket m = MediaPacket.parseFrom(p.getData());
          if (!encrypted(m.getMediaType())) {
            deliver.accept(p);
            return;
          }
          if (p.getSessionId() == 0 || m.getData().isEmpty()) {
            session.counters().malformed++; // media in an encrypted meeting is never plaintext
            return;
          }
          open(
              p.getSessionId(),
              metadata(m),
              m.getData().toByteArray(),
              plain ->
                  deliver.accept(
                      p.toBuilder()
                          .setData(
                              m.toBuilder()
                                  .setData(ByteString.copyFrom(plain))
                                  .build()
                                  .toByteString())
                          .build()));
        }
        case CHAT ->
            open(
                p.getSessionId(),
                E2eeMedia.social(p.getPacketTypeValue()),
                ChatPacket.parseFrom(p.getData()).getSealed().toByteArray(),
                plain -> deliver.accept(p.toBuilder().setData(ByteString.copyFrom(plain)).build()));
        case REACTION ->
            open(
                p.getSessionId(),
                E2eeMedia.social(p.getPacketTypeValue()),
                ReactionPacket.parseFrom(p.getData()).getSealed().toByteArray(),
                plain -> deliver.accept(p.toBuilder().setData(ByteString.copyFrom(plain)).build()));
        default -> deliver.accept(p);
      }
    } catch (InvalidProtocolBufferException e) {
      log.log(
          System.Logger.Level.DEBUG,
          "dropped an unparseable packet from session " + p.getSessionId());
    }
  }

  /** Decrypts with this end's keys; {@code plain} gets the plaintext when it authenticates. */
  public synchronized void open(long from, byte[] metadata, byte[] frame, Consumer<byte[]> plain) {
    session.decrypt(
        from,
        metadata,
        frame,
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(byte[] value) {
            plain.accept(value);
          }

          @Override
          public void failed(String why) {
            log.log(System.Logger.Level.DEBUG, "dropped a frame from session " + from + ": " + why);
          }
        });
  }

  /** Fails frames that waited too long for their keys (the client calls it with heartbeats). */
  public void tick() {
    synchronized (this) {
      session.tick(); // what this releases is handed over with the next packet, on its thread
    }
  }

  private byte[] seal(byte[] metadata, byte[] plaintext) {
    byte[][] out = new byte[1][];
    session.encrypt(
        metadata,
        plaintext,
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(byte[] value) {
            out[0] = value;
          }

          @Override
          public void failed(String why) {
            log.log(System.Logger.Level.DEBUG, "not sent: " + why);
          }
        });
    return out[0];
  }

  private static boolean encrypted(MediaPacket.MediaType type) {
    return type == MediaPacket.MediaType.VIDEO
        || type == MediaPacket.MediaType.AUDIO
        || type == MediaPacket.MediaType.SCREEN;
  }

  /** The metadata SFrame authenticates with a media payload ({@link E2eeMedia#media}). */
  public static byte[] metadata(MediaPacket m) {
    boolean audio = m.getMediaType() == MediaPacket.MediaType.AUDIO;
    dev.videocall.proto.VideoMetadata v =
        audio ? dev.videocall.proto.VideoMetadata.getDefaultInstance() : m.getVideoMetadata();
    return E2eeMedia.media(
        m.getMediaTypeValue(),
        "key".equals(m.getFrameType()),
        audio ? m.getAudioMetadata().getSequence() : v.getSequence(),
        m.getTimestamp(),
        v.getCodecValue(),
        v.getWidth(),
        v.getHeight(),
        v.getSpatialLayer(),
        v.getSpatialLayers(),
        v.getTemporalLayer(),
        v.getTemporalLayers(),
        v.getSequenceT0(),
        v.getSequenceT1());
  }
}
