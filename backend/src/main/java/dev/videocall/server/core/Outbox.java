package dev.videocall.server.core;

import dev.videocall.server.core.Counters.Name;
import dev.videocall.server.core.Packet.Priority;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One receiver's outbound queue, bounded in bytes, with few writes in flight on its link.
 *
 * <p>Under pressure it sheds video delta frames first, of the highest temporal layer first (no
 * frame of a lower layer refers to them: the picture goes on at a lower frame rate instead of
 * freezing), newest first, so that what stays queued is still decodable. Once a frame of a stream's
 * temporal layer t is dropped, its further frames of layers t and above are useless to the receiver
 * ({@code FrameOrder}), so they are dropped until that stream's next keyframe; when the queue has
 * drained below half, the listener is asked to request that keyframe from the sender (only when the
 * base layer broke: see {@link #dueKeyframeRequests}). Keyframes and audio are dropped only when no
 * queued delta can make room. Control packets may use a second budget of the same size; beyond that
 * the receiver is hopeless and the listener is told to close it.
 */
public final class Outbox {
  private static final long REREQUEST_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Keyframe requests to this receiver for one of its streams within this window of the last one
   * are not passed on: the keyframe that answers the first serves every requester.
   */
  static final long KEYFRAME_REQUEST_COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** Decisions the outbox leaves to its owner. Called outside the outbox's lock. */
  public interface Listener {
    void keyframeNeeded(long senderSessionId, Packet.Stream stream);

    void overflowed();

    /**
     * {@code bytes} of a packet were handed to the link; {@code camera}: a camera frame or filler
     * (what the cameras' share of the link covers), else audio, screen or control; {@code
     * reliable}: sent so that it arrives unless the connection fails (not as a datagram).
     */
    default void written(int bytes, boolean camera, boolean reliable) {}
  }

  private record StreamKey(long sender, Packet.Stream stream) {
    static StreamKey of(Packet p) {
      return new StreamKey(p.senderSessionId(), p.stream());
    }
  }

  private final SessionLink link;
  private final Executor writer;
  private final long maxBytes;
  private final Counters counters;
  private final Listener listener;

  private final ArrayDeque<Packet> queue = new ArrayDeque<>();
  private long queuedBytes;
  private int writesInFlight;
  private final int maxWritesInFlight;
  private long bytesInFlight;
  private final long maxBytesInFlight;
  private boolean closed;
  private boolean onHold;
  private long dropped;

  /** A stream whose chain is broken from a temporal layer up. */
  private static final class Broken {
    /** The lowest temporal layer whose chain is broken (0: every frame waits for a keyframe). */
    int level;

    /** When a keyframe was last requested for it, or 0. */
    long requestedNanos;

    Broken(int level) {
      this.level = level;
    }
  }

  /** Streams whose chain is broken, waiting for a keyframe. */
  private final Map<StreamKey, Broken> waitingForKey = new HashMap<>();

  /** When a keyframe request for this receiver's camera / screen was last let through. */
  private final long[] lastKeyframeRequestNanos =
      new long[Packet.Stream.values().length * (Packet.Layer.MAX_REQUESTED + 1)];

  private final AtomicInteger work = new AtomicInteger();
  private final Runnable onWritten = this::onWritten;
  private final Runnable drain = this::drain;

  /** An outbox that writes on the thread that offers. */
  public Outbox(SessionLink link, long maxBytes, Counters counters, Listener listener) {
    this(link, Runnable::run, maxBytes, counters, listener);
  }

  /**
   * An outbox that writes on {@code writer}. While the writer is behind, packets gather here and go
   * out in one socket write per drain instead of one per packet: under load, the cost per packet
   * falls instead of the backlog growing.
   */
  public Outbox(
      SessionLink link, Executor writer, long maxBytes, Counters counters, Listener listener) {
    this.link = link;
    this.writer = writer;
    this.maxBytes = maxBytes;
    this.counters = counters;
    this.listener = listener;
    this.maxWritesInFlight = Math.max(1, link.maxWritesInFlight());
    this.maxBytesInFlight = Math.max(1, link.maxBytesInFlight());
  }

  /** Queues a packet for this receiver, or drops it by the policy above. Never blocks. */
  public void offer(Packet p) {
    boolean admitted;
    synchronized (this) {
      if (closed) {
        return;
      }
      admitted = admit(p);
    }
    if (admitted) {
      scheduleDrain();
    } else {
      listener.overflowed();
    }
  }

  /** Queues without writing until {@link #release}: nothing may reach the client before it. */
  public synchronized void hold() {
    onHold = true;
  }

  /** Starts writing what was queued while held. */
  public void release() {
    synchronized (this) {
      onHold = false;
    }
    scheduleDrain();
  }

  /** Stops writing and forgets everything queued. */
  public synchronized void close() {
    closed = true;
    queue.clear();
    queuedBytes = 0;
    waitingForKey.clear();
  }

  /** Forgets keyframe bookkeeping for a sender that left the meeting. */
  public synchronized void forget(long senderSessionId) {
    waitingForKey.keySet().removeIf(k -> k.sender() == senderSessionId);
  }

  public synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** Packets this receiver did not get because it was too slow. */
  public synchronized long dropped() {
    return dropped;
  }

  // ---- admission (caller holds the lock) ----

  private boolean admit(Packet p) {
    switch (p.priority()) {
      case VIDEO_DELTA:
        {
          StreamKey key = StreamKey.of(p);
          int t = temporal(p);
          Broken broken = waitingForKey.get(key);
          if (broken != null && t >= broken.level) {
            drop(p); // undecodable without the keyframe we are waiting for
            return true;
          }
          makeRoom(p, t + 1); // frames of upper temporal layers make room for lower ones
          if (fits(p, maxBytes)) {
            enqueue(p);
          } else {
            drop(p);
            breakChain(key, t);
          }
          return true;
        }
      case VIDEO_KEY:
        {
          StreamKey key = StreamKey.of(p);
          makeRoom(p, 0);
          if (fits(p, maxBytes)) {
            enqueue(p);
            waitingForKey.remove(key);
          } else {
            drop(p);
            breakChain(key, 0);
          }
          return true;
        }
      case AUDIO:
        makeRoom(p, 0);
        if (fits(p, maxBytes)) {
          enqueue(p);
        } else {
          drop(p);
        }
        return true;
      case PADDING:
        // filler only ever goes into a nearly empty queue, and is never owed to anyone
        if (fits(p, maxBytes / 8)) {
          enqueue(p);
        }
        return true;
      case CONTROL:
      default:
        if (p.stream() != Packet.Stream.NONE && coalesceKeyframeRequest(p)) {
          counters.inc(Name.DROPPED_KEYFRAME_REQUEST_COALESCED);
          return true;
        }
        makeRoom(p, 0);
        if (fits(p, 2 * maxBytes)) {
          enqueue(p);
          return true;
        }
        return false;
    }
  }

  /**
   * True when a keyframe request for the same stream and layer was let through just before: per
   * layer, or a request for one layer would swallow another receiver's request for another.
   */
  private boolean coalesceKeyframeRequest(Packet request) {
    long now = System.nanoTime();
    int requested = Math.max(0, Math.min(Packet.Layer.MAX_REQUESTED, request.layer().spatial()));
    int base = request.stream().ordinal() * (Packet.Layer.MAX_REQUESTED + 1);
    // a request for every layer (slot 0) covers each layer's too, and is covered by none of them
    for (int slot : requested == 0 ? new int[] {base} : new int[] {base, base + requested}) {
      long last = lastKeyframeRequestNanos[slot];
      if (last != 0 && now - last < KEYFRAME_REQUEST_COALESCE_NANOS) {
        return true;
      }
    }
    long stamp = now == 0 ? 1 : now;
    if (requested == 0) {
      for (int l = 0; l <= Packet.Layer.MAX_REQUESTED; l++) {
        lastKeyframeRequestNanos[base + l] = stamp;
      }
    } else {
      lastKeyframeRequestNanos[base + requested] = stamp;
    }
    return false;
  }

  private boolean fits(Packet p, long budget) {
    return queuedBytes + p.size() <= budget;
  }

  private void enqueue(Packet p) {
    queue.addLast(p);
    queuedBytes += p.size();
  }

  private static int temporal(Packet p) {
    return Math.max(0, Math.min(Packet.Layer.MAX_TEMPORAL, p.layer().temporal()));
  }

  /** Whether evicting every queued delta of layer {@code lowest} and above lets {@code p} in. */
  private boolean evictionMakesRoom(Packet p, int lowest) {
    long evictable = 0;
    for (Packet q : queue) {
      if (q.priority() == Priority.PADDING
          || (q.priority() == Priority.VIDEO_DELTA && temporal(q) >= lowest)) {
        evictable += q.size();
      }
    }
    return queuedBytes - evictable + p.size() <= maxBytes;
  }

  /** The stream's frames of temporal layer {@code level} and above wait for a keyframe. */
  private void breakChain(StreamKey key, int level) {
    Broken broken = waitingForKey.get(key);
    if (broken == null) {
      waitingForKey.put(key, new Broken(level));
    } else {
      broken.level = Math.min(broken.level, level);
    }
  }

  /**
   * Evicts queued delta frames of temporal layer {@code lowest} and above until {@code incoming}
   * fits: the highest layer first, each newest first. So when a layer's frames go, every newer
   * frame of that layer and the ones above has gone already, and what stays is decodable. An
   * evicted delta breaks its stream's chain from its layer up unless a newer keyframe of that
   * stream is queued (or is {@code incoming}).
   */
  private void makeRoom(Packet incoming, int lowest) {
    if (fits(incoming, maxBytes)) {
      return;
    }
    if (lowest > 0 && !evictionMakesRoom(incoming, lowest)) {
      // A delta evicts only when that lets it in: else the evicted frames and the delta would
      // both be lost (a stream without temporal layers is all layer 0, and would otherwise break
      // every other stream's upper layers for nothing).
      return;
    }
    if (queue.removeIf(q -> q.priority() == Priority.PADDING)) {
      queuedBytes = 0;
      for (Packet q : queue) {
        queuedBytes += q.size();
      }
      if (fits(incoming, maxBytes)) {
        return;
      }
    }
    for (int layer = Packet.Layer.MAX_TEMPORAL; layer >= lowest; layer--) {
      Set<StreamKey> keyedAfter = new HashSet<>();
      if (incoming.priority() == Priority.VIDEO_KEY) {
        keyedAfter.add(StreamKey.of(incoming));
      }
      Iterator<Packet> newestFirst = queue.descendingIterator();
      while (newestFirst.hasNext() && !fits(incoming, maxBytes)) {
        Packet q = newestFirst.next();
        if (q.priority() == Priority.VIDEO_KEY) {
          keyedAfter.add(StreamKey.of(q));
        } else if (q.priority() == Priority.VIDEO_DELTA && temporal(q) == layer) {
          newestFirst.remove();
          queuedBytes -= q.size();
          drop(q);
          StreamKey key = StreamKey.of(q);
          if (!keyedAfter.contains(key)) {
            breakChain(key, layer);
          }
        }
      }
      if (fits(incoming, maxBytes)) {
        return;
      }
    }
  }

  private void drop(Packet p) {
    dropped++;
    switch (p.priority()) {
      case VIDEO_DELTA:
        counters.inc(Name.DROPPED_VIDEO_DELTA);
        if (temporal(p) > 0) {
          counters.inc(Name.DROPPED_VIDEO_UPPER_TEMPORAL);
        }
        break;
      case VIDEO_KEY:
        counters.inc(Name.DROPPED_VIDEO_KEY);
        break;
      default:
        counters.inc(Name.DROPPED_AUDIO);
        break;
    }
  }

  // ---- writing ----

  /** Runs {@link #drain} unless it is running or scheduled; then that run sees the new work. */
  private void scheduleDrain() {
    if (work.getAndIncrement() == 0) {
      try {
        writer.execute(drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        work.set(0); // the relay is shutting down: nothing more will be written
      }
    }
  }

  /**
   * Writes everything queued, as one batch where the link allows; a trampoline, so synchronous
   * completions do not recurse.
   */
  private void drain() {
    int missed = 1;
    do {
      boolean held = false;
      while (true) {
        Packet next;
        boolean more;
        List<StreamKey> due;
        synchronized (this) {
          if (closed || onHold || writesInFlight >= maxWritesInFlight) {
            break;
          }
          Packet first = queue.peekFirst();
          if (first != null
              && bytesInFlight > 0
              && bytesInFlight + first.size() > maxBytesInFlight) {
            break; // the link holds enough: the rest waits here, where it can still be dropped
          }
          next = queue.pollFirst();
          if (next != null) {
            queuedBytes -= next.size();
            writesInFlight++;
            bytesInFlight += next.size();
          }
          more = !queue.isEmpty();
          due = dueKeyframeRequests();
        }
        for (StreamKey key : due) {
          counters.inc(Name.KEYFRAME_REQUESTS);
          listener.keyframeNeeded(key.sender(), key.stream());
        }
        if (next == null) {
          break;
        }
        counters.inc(Name.PACKETS_DELIVERED);
        counters.add(Name.BYTES_DELIVERED, next.size());
        counters.written(next.arrivedNanos());
        listener.written(
            next.size(),
            next.priority() == Priority.PADDING
                || (next.stream() == Packet.Stream.CAMERA && next.isVideo()),
            link.reliable(next));
        int size = next.size();
        Runnable done = () -> onWritten(size);
        if (more) {
          link.writeMore(next, done);
        } else {
          link.write(next, done);
        }
        held = more;
      }
      if (held) {
        synchronized (this) {
          writesInFlight++;
        }
        link.flush(onWritten); // the queue shrank under us (closed, or deltas evicted)
      }
      missed = work.addAndGet(-missed);
    } while (missed != 0);
  }

  private void onWritten() {
    onWritten(0);
  }

  private void onWritten(int bytes) {
    synchronized (this) {
      writesInFlight--;
      bytesInFlight -= bytes;
    }
    scheduleDrain();
  }

  /**
   * Streams to request a keyframe for now: only once the queue is at most half full, and only for a
   * broken base layer. A stream that lost only upper temporal layers goes on at a lower frame rate
   * until the sender's next regular keyframe: asking for one at once would send every receiver a
   * keyframe, this slow one too, for what shedding the layer just saved.
   */
  private List<StreamKey> dueKeyframeRequests() {
    if (waitingForKey.isEmpty() || queuedBytes > maxBytes / 2) {
      return List.of();
    }
    long now = System.nanoTime();
    List<StreamKey> due = new ArrayList<>();
    for (Map.Entry<StreamKey, Broken> e : waitingForKey.entrySet()) {
      if (e.getValue().level > 0) {
        continue;
      }
      long last = e.getValue().requestedNanos;
      if (last == 0L || now - last >= REREQUEST_NANOS) {
        e.getValue().requestedNanos = now == 0L ? 1L : now;
        due.add(e.getKey());
      }
    }
    return due;
  }
}
