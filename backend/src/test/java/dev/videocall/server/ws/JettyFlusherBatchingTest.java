package dev.videocall.server.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Behavior;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.eclipse.jetty.websocket.core.internal.FrameFlusher;
import org.eclipse.jetty.websocket.core.internal.Generator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The standalone reproduction of the Jetty flusher hazard that {@link JettyLink} works around:
 * Jetty's {@code FrameFlusher} with a socket that accepts only a little at a time, so that its
 * writes stay pending, and batched and unbatched binary frames queued from another thread while
 * they do (what {@code JettyLink}'s one-write-at-a-time rule prevents). Every byte that reaches the
 * socket is parsed back as WebSocket frames: each payload must arrive whole, once, in order. On
 * Jetty 11.0.25 the same scenario lost header bytes or a whole batched frame.
 */
class JettyFlusherBatchingTest {
  private static final int FRAMES = 20_000;

  @ParameterizedTest
  @ValueSource(longs = {42, 7, 1234, 99, 2026})
  void framesQueuedWhileAWriteIsPendingArriveWholeAndInOrder(long seed) throws Exception {
    ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler();
    scheduler.start();
    try {
      // a slow reader: 3000 bytes of room, not grown, so writes go pending until read
      ByteArrayEndPoint socket =
          new ByteArrayEndPoint(scheduler, 0, ByteBuffer.allocate(0), 3000, false);
      FrameFlusher flusher =
          new FrameFlusher(
              new ArrayByteBufferPool(),
              scheduler,
              new Generator(),
              socket,
              JettyLink.OUTPUT_BUFFER_BYTES,
              8,
              Behavior.SERVER);
      List<byte[]> sent = new ArrayList<>();
      Random random = new Random(seed);
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      AtomicBoolean done = new AtomicBoolean();
      Thread reader =
          new Thread(
              () -> {
                while (!done.get()) {
                  ByteBuffer out = socket.takeOutput(); // frees room: a pending write goes on
                  synchronized (wire) {
                    wire.write(out.array(), out.arrayOffset() + out.position(), out.remaining());
                  }
                  Thread.onSpinWait();
                }
              },
              "slow-reader");
      reader.start();
      CountDownLatch all = new CountDownLatch(FRAMES);
      AtomicInteger failed = new AtomicInteger();
      Callback counted =
          Callback.from(
              all::countDown,
              x -> {
                failed.incrementAndGet();
                all.countDown();
              });
      for (int i = 0; i < FRAMES; i++) {
        byte[] payload = new byte[1 + random.nextInt(i % 50 == 0 ? 20_000 : 2_000)];
        random.nextBytes(payload);
        payload[0] = (byte) i;
        sent.add(payload);
        Frame frame = new Frame(OpCode.BINARY).setPayload(ByteBuffer.wrap(payload));
        OutgoingEntry entry =
            new OutgoingEntry.Builder(frame, counted).batch(random.nextInt(4) != 0).build();
        if (flusher.enqueue(entry)) {
          flusher.iterate();
        }
        if (i % 97 == 0) {
          // a flush: what a link does at the end of a backlog
          if (flusher.enqueue(
              new OutgoingEntry.Builder(FrameFlusher.FLUSH_FRAME, Callback.NOOP).build())) {
            flusher.iterate();
          }
        }
      }
      if (flusher.enqueue(
          new OutgoingEntry.Builder(FrameFlusher.FLUSH_FRAME, Callback.NOOP).build())) {
        flusher.iterate();
      }
      assertTrue(all.await(60, TimeUnit.SECONDS), "every frame's callback completed");
      assertEquals(0, failed.get(), "no write failed");
      Thread.sleep(200);
      done.set(true);
      reader.join(5000);
      byte[] bytes;
      synchronized (wire) {
        ByteBuffer rest = socket.takeOutput();
        wire.write(rest.array(), rest.arrayOffset() + rest.position(), rest.remaining());
        bytes = wire.toByteArray();
      }
      List<byte[]> got = parse(bytes);
      assertEquals(sent.size(), got.size(), "frames on the wire");
      for (int i = 0; i < sent.size(); i++) {
        assertArrayEquals(sent.get(i), got.get(i), "frame " + i);
      }
    } finally {
      scheduler.stop();
    }
  }

  /** Unmasked server frames: FIN+opcode, length (7 bits, 16 or 64), payload. */
  private static List<byte[]> parse(byte[] b) {
    List<byte[]> out = new ArrayList<>();
    int p = 0;
    while (p < b.length) {
      int op = b[p] & 0x0f;
      assertEquals(OpCode.BINARY, op, "opcode at byte " + p);
      long len = b[p + 1] & 0x7f;
      p += 2;
      if (len == 126) {
        len = ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
        p += 2;
      } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | (b[p + i] & 0xff);
        }
        p += 8;
      }
      assertTrue(p + len <= b.length, "a frame runs past the end at byte " + p);
      byte[] payload = new byte[(int) len];
      System.arraycopy(b, p, payload, 0, (int) len);
      out.add(payload);
      p += (int) len;
    }
    return out;
  }
}
