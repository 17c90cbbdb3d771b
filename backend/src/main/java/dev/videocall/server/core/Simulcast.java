package dev.videocall.server.core;

import com.google.protobuf.ByteString;
import dev.videocall.proto.MediaPacket;
import dev.videocall.proto.MediaPacket.MediaType;
import dev.videocall.proto.PacketWrapper;
import dev.videocall.proto.PacketWrapper.PacketType;
import dev.videocall.server.bus.Bus;
import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet.Priority;
import dev.videocall.server.core.Packet.Stream;
import dev.videocall.types.Packets;

/**
 * The relay's periodic simulcast work, every {@link #PERIOD_MS}: for each local receiver, share its
 * link (what {@link Downlink} says it carries, less audio and everything else) among the simulcast
 * cameras it receives and let each camera's {@link LayerSelector} choose; ask senders for the
 * keyframes the selectors wait for; send filler when the link is probed; and tell each sender which
 * of its layers the receivers here get (dynacast), when that changes and every {@link
 * #DEMAND_REFRESH_NANOS} (the sender forgets a demand not heard for a few seconds).
 */
final class Simulcast {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Simulcast.class);
  static final long PERIOD_MS = 100;
  static final long DEMAND_REFRESH_NANOS = 1_000_000_000L;
  static final int PADDING_PACKET_BYTES = 1000;

  /** Asks a sender for a keyframe of one layer of its camera, on behalf of a receiver. */
  interface KeyframeRequester {
    void request(Session receiver, long senderSessionId, int layer);
  }

  private final Bus bus;
  private final Counters counters;
  private final String instance;
  private final KeyframeRequester keyframes;

  Simulcast(Bus bus, Counters counters, String instance, KeyframeRequester keyframes) {
    this.bus = bus;
    this.counters = counters;
    this.instance = instance;
    this.keyframes = keyframes;
  }

  void tick(Room[] rooms, long now) {
    for (Room room : rooms) {
      if (room.layers().isEmpty()) {
        continue;
      }
      for (Session s : room.sessions()) {
        adapt(room, s, now);
      }
      demand(room, now);
    }
  }

  private void adapt(Room room, Session s, long now) {
    if (s.selectors().isEmpty() || !s.downlink().reported()) {
      return; // a receiver that sends no reports keeps the largest layer
    }
    Downlink link = s.downlink();
    long limit = link.limitBps();
    long other = link.otherRateBps(now);
    int cameras = 0;
    for (long sender : s.selectors().keySet()) {
      SenderLayers layers = room.layers().get(sender);
      if (layers != null && layers.sending(now)) {
        cameras++;
      }
    }
    long share = limit == 0 ? 0 : Math.max(1, (limit - other) / Math.max(1, cameras));
    long wanted = other;
    boolean switching = false;
    for (var e : s.selectors().entrySet()) {
      SenderLayers layers = room.layers().get(e.getKey());
      if (layers == null || !layers.sending(now)) {
        continue; // a camera that is off (or a sender gone) shares no link
      }
      LayerSelector selector = e.getValue();
      layers.describe(selector);
      int tile = s.tileHeight(e.getKey());
      // unknown: any size (0); hidden: the smallest (1 pixel asks for the smallest layer)
      int wantedHeight = tile < 0 ? 0 : Math.max(1, tile);
      int before = selector.target();
      selector.update(share, wantedHeight, link.congested(), now);
      selector.maxTemporal(link.maxTemporal());
      if (selector.target() != before) {
        log.debug(
            "{} gets layer {} of {} (was {}): link limit {} kbit/s, queue {} ms, share {} kbit/s,"
                + " layers {}/{}/{} kbit/s, tile {} px",
            s,
            selector.target(),
            Long.toHexString(e.getKey()),
            before,
            limit / 1000,
            link.queueNanos() / 1_000_000,
            share / 1000,
            layers.bitrate(0) / 1000,
            layers.bitrate(1) / 1000,
            layers.bitrate(2) / 1000,
            tile);
      }
      // what the layer the tile asks for needs: the room to go up to it when it is not there
      // yet (a probe to less proved too little, and the receiver stayed a layer below for good)
      wanted +=
          (long)
              (layers.bitrate(selector.bySize())
                  / (selector.target() < selector.bySize()
                      ? LayerSelector.UP_HEADROOM
                      : LayerSelector.HEADROOM));
      switching |= selector.switchPending(now);
      if (selector.keyframeRequest(now)) {
        counters.inc(Name.KEYFRAME_REQUESTS);
        keyframes.request(s, e.getKey(), selector.target());
      }
    }
    int filler = link.probe(wanted, !switching, now);
    if (filler > 0) {
      pad(s, filler);
    }
  }

  /** Filler for {@code bytes}, in packets a receiver discards. */
  private void pad(Session s, int bytes) {
    for (int left = bytes; left > 0; left -= PADDING_PACKET_BYTES) {
      s.outbox().offer(padding(s));
      counters.add(Name.PADDING_BYTES, PADDING_PACKET_BYTES);
    }
  }

  /**
   * Random bytes, new in every packet: a WebSocket with permessage-deflate (which Chromium asks for
   * and Jetty grants) squeezes zeros, or a repeated block, to nearly nothing, and a probe that
   * loads no link proves nothing. (It did: probes "passed" on a 300 kbit/s WebSocket.)
   */
  private static Packet padding(Session s) {
    byte[] noise = new byte[PADDING_PACKET_BYTES - 24];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(noise);
    byte[] media =
        MediaPacket.newBuilder()
            .setMediaType(MediaType.PADDING)
            .setData(ByteString.copyFrom(noise))
            .build()
            .toByteArray();
    byte[] bytes =
        PacketWrapper.newBuilder()
            .setPacketType(PacketType.MEDIA)
            .setData(ByteString.copyFrom(media))
            .setTargetSessionId(s.id())
            .build()
            .toByteArray();
    return new Packet(s.meetingId(), "", 0, s.id(), Priority.PADDING, Stream.NONE, bytes);
  }

  /** Dynacast: the layers of each sender someone here gets, to that sender. */
  private void demand(Room room, long now) {
    Session[] sessions = room.sessions();
    if (sessions.length == 0) {
      return;
    }
    for (var entry : room.layers().entrySet()) {
      long sender = entry.getKey();
      if (!entry.getValue().sending(now)) {
        continue; // its camera is off, or it is gone: nothing to demand
      }
      int mask = 1; // the smallest layer always runs: a newcomer's first picture
      for (Session s : sessions) {
        LayerSelector selector = s.selectorOrNull(sender);
        if (selector != null) {
          mask |= selector.demand();
        }
      }
      long[] sent = room.demandsSent().get(sender);
      if (sent != null && sent[0] == mask && now - sent[1] < DEMAND_REFRESH_NANOS) {
        continue;
      }
      room.demandsSent().put(sender, new long[] {mask, now});
      Session via = sessions[0].id() == sender && sessions.length > 1 ? sessions[1] : sessions[0];
      if (via.id() == sender) {
        continue; // the sender is alone here: nobody on this instance receives it
      }
      counters.inc(Name.LAYER_DEMANDS);
      bus.publish(
          new Packet(
              room.meetingId(),
              via.userId(),
              via.id(),
              sender,
              Priority.CONTROL,
              Stream.NONE,
              Packets.layerDemand(instance, mask).toBuilder()
                  .setUserId(via.userId())
                  .setSessionId(via.id())
                  .setTargetSessionId(sender)
                  .build()
                  .toByteArray()));
    }
  }
}
