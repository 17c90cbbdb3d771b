package dev.videocall.webtransport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.types.webtransport.PacketRoute;
import dev.videocall.types.webtransport.UniStreamReader;
import dev.videocall.types.webtransport.WebTransportProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packet mapping on Netty EmbeddedChannels: each "stream" is an EmbeddedChannel whose written
 * bytes the test reads back as a receiver would.
 */
class PacketSenderTest {
  private static final long SESSION = 4;

  /** Counts flushes, to check that a batch is flushed once per stream at its end. */
  static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int flushes;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }

  /** A connection whose streams open at once, or when the test says. */
  static final class FakeConnection implements PacketSender.Connection {
    final EmbeddedChannel datagrams = new EmbeddedChannel(new FlushCounter());
    final List<EmbeddedChannel> streams = new ArrayList<>();
    final List<Channel> finished = new ArrayList<>();
    final List<Promise<Channel>> pending = new ArrayList<>();
    boolean deferOpen;

    @Override
    public EventLoop eventLoop() {
      return datagrams.eventLoop();
    }

    @Override
    public Future<Channel> openStream() {
      EmbeddedChannel s = new EmbeddedChannel(new FlushCounter());
      streams.add(s);
      Promise<Channel> p = datagrams.eventLoop().newPromise();
      if (deferOpen) {
        pending.add(p);
        pendingChannels.add(s);
      } else {
        p.setSuccess(s);
      }
      return p;
    }

    final List<Channel> pendingChannels = new ArrayList<>();

    void openPending() {
      for (int i = 0; i < pending.size(); i++) {
        pending.get(i).setSuccess(pendingChannels.get(i));
      }
      pending.clear();
      pendingChannels.clear();
    }

    @Override
    public Channel datagrams() {
      return datagrams;
    }

    @Override
    public void finish(Channel stream) {
      finished.add(stream);
    }
  }

  private static byte[] packet(int label, int size) {
    byte[] p = new byte[size];
    p[0] = (byte) label;
    return p;
  }

  private static PacketSender.Outgoing out(byte[] p, PacketRoute route, long group) {
    return new PacketSender.Outgoing(p, route, group, e -> {});
  }

  /** What a receiver reads from a stream's written bytes: its session and packets. */
  private static List<byte[]> read(EmbeddedChannel stream) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Object o = stream.readOutbound(); o != null; o = stream.readOutbound()) {
      ByteBuf b = (ByteBuf) o;
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      all.writeBytes(bytes);
    }
    // the stream type is consumed by the HTTP/3 layer before our reader
    byte[] bytes = all.toByteArray();
    assertEquals(WebTransportProtocol.UNI_STREAM_TYPE, 0x54);
    int typeLength = 2; // 0x54 is a two-byte varint
    UniStreamReader r = new UniStreamReader(1 << 20);
    List<byte[]> packets = r.feed(bytes, typeLength, bytes.length - typeLength);
    assertEquals(SESSION, r.sessionId());
    return packets;
  }

  @Test
  void aBatchGoesOutByRouteInOrderWithOneFlushPerTouchedStream() {
    FakeConnection c = new FakeConnection();
    PacketSender sender = new PacketSender(c, SESSION);
    // two senders' video interleaved (groups 1 and 2), control, audio as datagram and on a stream
    sender.sendAll(
        List.of(
            out(packet(1, 10), PacketRoute.CONTROL, 0),
            out(packet(10, 100), PacketRoute.NEW_GROUP, 1),
            out(packet(20, 100), PacketRoute.NEW_GROUP, 2),
            out(packet(11, 50), PacketRoute.GROUP, 1),
            out(packet(30, 200), PacketRoute.DATAGRAM, 0),
            out(packet(21, 50), PacketRoute.GROUP, 2),
            out(packet(12, 50), PacketRoute.GROUP, 1),
            out(packet(2, 10), PacketRoute.CONTROL, 0),
            out(packet(31, 2000), PacketRoute.OWN_STREAM, 0)));
    // streams opened in order: control, group 1, group 2, audio's own
    assertEquals(4, c.streams.size());
    assertEquals(List.of(1, 2), labels(read(c.streams.get(0))));
    assertEquals(List.of(10, 11, 12), labels(read(c.streams.get(1))));
    assertEquals(List.of(20, 21), labels(read(c.streams.get(2))));
    assertEquals(List.of(31), labels(read(c.streams.get(3))));
    assertTrue(c.finished.contains(c.streams.get(3)), "an own stream ends after its packet");
    ByteBuf datagram = c.datagrams.readOutbound();
    assertEquals(
        WebTransportProtocol.datagramPrefix(SESSION).length + 200, datagram.readableBytes());
    datagram.release();
    for (int i = 0; i < 3; i++) {
      assertEquals(
          1,
          c.streams.get(i).pipeline().get(FlushCounter.class).flushes,
          "one flush for stream " + i + " at the end of the batch");
    }
    assertEquals(1, c.datagrams.pipeline().get(FlushCounter.class).flushes);
  }

  @Test
  void aKeyframeEndsItsGroupsStreamAfterItsQueuedFramesAndOpensANewOne() {
    FakeConnection c = new FakeConnection();
    PacketSender sender = new PacketSender(c, SESSION);
    sender.sendAll(
        List.of(
            out(packet(10, 10), PacketRoute.NEW_GROUP, 1),
            out(packet(11, 10), PacketRoute.GROUP, 1),
            out(packet(20, 10), PacketRoute.NEW_GROUP, 1),
            out(packet(21, 10), PacketRoute.GROUP, 1)));
    assertEquals(2, c.streams.size());
    assertEquals(List.of(10, 11), labels(read(c.streams.get(0))));
    assertEquals(List.of(20, 21), labels(read(c.streams.get(1))));
    assertEquals(List.of(c.streams.get(0)), c.finished, "FIN on the old group only");
    sender.endGroup(1);
    assertEquals(List.of(c.streams.get(0), c.streams.get(1)), c.finished);
  }

  @Test
  void framesSentBeforeTheirStreamIsOpenWaitInOrder() {
    FakeConnection c = new FakeConnection();
    c.deferOpen = true;
    PacketSender sender = new PacketSender(c, SESSION);
    for (int i = 0; i < 5; i++) {
      sender.send(out(packet(i, 10), i == 0 ? PacketRoute.NEW_GROUP : PacketRoute.GROUP, 7));
    }
    assertEquals(1, c.streams.size(), "one stream for the group, not one per frame");
    c.openPending();
    c.streams.get(0).flush();
    assertEquals(List.of(0, 1, 2, 3, 4), labels(read(c.streams.get(0))));
  }

  private static List<Integer> labels(List<byte[]> packets) {
    List<Integer> out = new ArrayList<>();
    for (byte[] p : packets) {
      out.add((int) p[0]);
    }
    return out;
  }

  @Test
  void packetsKeepTheirBytes() {
    FakeConnection c = new FakeConnection();
    byte[] p = packet(5, 300);
    p[299] = 42;
    new PacketSender(c, SESSION).send(out(p, PacketRoute.CONTROL, 0));
    assertArrayEquals(p, read(c.streams.get(0)).get(0));
  }
}
