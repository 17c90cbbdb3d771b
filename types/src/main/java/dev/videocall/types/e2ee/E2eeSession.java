package dev.videocall.types.e2ee;

import dev.videocall.types.wire.KeyExchange;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.types.wire.WireFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One participant's end of an E2EE meeting: its ECDH P-256 key pair, its own SFrame sender key (KID
 * = key epoch), the keys other participants sent it, and frame encryption and decryption with
 * results in order. The same code runs in the page (WebCrypto) and on the JVM (the JDK).
 *
 * <p>Key exchange: on {@link #start} the participant announces its public key to the meeting
 * ({@code E2EE_PUBLIC_KEY}). Whoever learns a peer's public key (from that announcement or from a
 * key the peer sent) sends that peer its current base key, wrapped with AES-GCM under HKDF(ECDH
 * secret) and carrying its own public key ({@code E2EE_WRAPPED_KEY}, targeted): one packet is
 * enough, in whatever order packets arrive. Keys go only to members: sessions the application says
 * are present ({@link #memberJoined}), which it shows with their safety codes; a session that left
 * is never a member again. When anyone leaves, every sender makes a new base key (the next KID),
 * uses it for every frame from then on and sends it to those who remain, so a departed participant
 * holds no key for what follows; when anyone joins, the same, so a newcomer holds no key for what
 * came before. Receivers keep a sender's previous key for {@link #OLD_KEY_GRACE_MS} for frames in
 * flight, hold frames whose newer KID has not arrived yet for up to {@link #PENDING_MAX_MS} (and
 * then ask the sender again), and refuse a frame whose counter they have seen (replay). The server
 * relays these packets and never holds a key.
 *
 * <p>Not thread-safe: the page is single-threaded; the JVM client calls it under its own lock.
 */
public final class E2eeSession {
  public static final double OLD_KEY_GRACE_MS = 2000;
  public static final double PENDING_MAX_MS = 2000;
  public static final int PENDING_MAX_FRAMES = 256;
  public static final int MAX_SPKI_BYTES = 200;
  public static final int MAX_KEYS_PER_SENDER = 4;

  /** Sessions remembered as departed: their key packets are refused from then on. */
  static final int DEPARTED_KEPT = 4096;

  /** Key packets held for a session not (yet) announced as present: per session, and sessions. */
  static final int EARLY_PACKETS = 4;

  static final int EARLY_SESSIONS = 64;

  /** At most one request for a sender's key per this many milliseconds. */
  static final double KEY_REQUEST_GAP_MS = 1000;

  /** A frame may name a KID at most this far ahead of the newest key we hold from its sender. */
  static final long MAX_KID_AHEAD = 2;

  private static final byte[] WRAP_INFO = SFrame.ascii("videocall e2ee wrap v1 ");
  private static final byte[] WRAP_AAD = SFrame.ascii("videocall e2ee key v1 ");
  private static final byte[] SAFETY = SFrame.ascii("videocall key fingerprint v1 ");

  /** What the session sends and reports. */
  public interface Out {
    /** An E2EE packet to one session ({@code target} > 0) or to everyone (0). */
    void send(int packetType, byte[] data, long target);

    /** The safety code for a peer is known: the same digits show on both ends. */
    void safetyCode(long sessionId, String code);

    void log(String line);
  }

  /** The clock, in milliseconds. */
  public interface Clock {
    double nowMs();
  }

  /** What happened, for diagnostics and /metrics-like counters. */
  public static final class Counters {
    public long encrypted;
    public long decrypted;

    /** Frames whose tag did not authenticate: tampered or under a wrong key. Never decoded. */
    public long authFailed;

    /** Frames from a sender whose key for that KID we do not (or no longer) hold. */
    public long noKey;

    /** Frames too short for an SFrame header and tag. */
    public long malformed;

    public long keysSent;
    public long keysReceived;

    /** Public or wrapped keys refused: oversized, changed mid-session, or not authentic. */
    public long keysRefused;

    public long rekeys;

    /** Authentic frames refused because their counter was seen already (replays). */
    public long replayed;

    /** Key packets from sessions that are not members: departed, or never announced. */
    public long notMembers;
  }

  private static final class Peer {
    final long sessionId;
    final byte[] spki;
    E2eeCrypto.Key wrapKey;
    boolean deriving;
    long sentKid = -1;
    long newestKid = -1;
    final Map<Long, SFrameKey> keys = new HashMap<>();
    final InOrder incoming = new InOrder();
    final List<KeyExchange.WrappedKey> pendingWrapped = new ArrayList<>();
    String safetyCode;
    double lastKeyRequestMs = -1e9;

    Peer(long sessionId, byte[] spki) {
      this.sessionId = sessionId;
      this.spki = spki;
    }
  }

  private final E2eeCrypto crypto;
  private final Out out;
  private final Clock clock;
  private final Counters counters = new Counters();
  private final Map<Long, Peer> peers = new HashMap<>();
  private final java.util.Set<Long> members = new java.util.HashSet<>();
  private final java.util.LinkedHashSet<Long> departed = new java.util.LinkedHashSet<>();
  private final Map<Long, List<Object[]>> early = new java.util.LinkedHashMap<>();
  private final InOrder outgoing = new InOrder();
  private long mySession;
  private E2eeCrypto.KeyPair myPair;
  private long myKid;
  private byte[] myBaseKey;
  private SFrameKey myKey;
  private int generation;

  public E2eeSession(E2eeCrypto crypto, Out out, Clock clock) {
    this.crypto = crypto;
    this.out = out;
    this.clock = clock;
  }

  public Counters counters() {
    return counters;
  }

  /** The KID frames are sent under now (0 before the first key). */
  public long currentKid() {
    return myKey == null ? 0 : myKey.kid;
  }

  /** The safety code shown for a peer, or null before it is known. */
  public String safetyCode(long sessionId) {
    Peer p = peers.get(sessionId);
    return p == null ? null : p.safetyCode;
  }

  /** How many peers we can decrypt (hold a key from). */
  public int peersWithKeys() {
    int n = 0;
    for (Peer p : peers.values()) {
      n += p.keys.isEmpty() ? 0 : 1;
    }
    return n;
  }

  /**
   * Begins (or, after a reconnection gave a new session id, begins again): a new key pair, a new
   * sender key, and the public key announced to the meeting. Everything from the old session goes.
   */
  public void start(long sessionId) {
    int gen = ++generation;
    if (mySession != 0) {
      // a new session of ours hears who is present (MEETING_STARTED) again; the first one may
      // have heard it already (the page's first start waits for the known-answer test)
      members.clear();
      early.clear();
    }
    mySession = sessionId;
    peers.clear();
    myPair = null;
    myKey = null;
    crypto.generateKeyPair(
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(E2eeCrypto.KeyPair pair) {
            if (gen != generation) {
              return;
            }
            myPair = pair;
            KeyExchange.PublicKey pk = new KeyExchange.PublicKey();
            pk.publicKeySpki = pair.publicSpki;
            out.send(PacketWrapper.E2EE_PUBLIC_KEY, pk.encode(), 0);
            newSenderKey(1);
            for (Peer p : new ArrayList<>(peers.values())) {
              deriveWrapKey(p);
            }
          }

          @Override
          public void failed(String why) {
            out.log("E2EE: no key pair: " + why);
          }
        });
  }

  /** An {@code E2EE_PUBLIC_KEY} or {@code E2EE_WRAPPED_KEY} packet from another session. */
  public void onPacket(long from, int packetType, byte[] data) {
    if (from == mySession || from == 0 || data == null) {
      return;
    }
    if (!members.contains(from)) {
      // never a key for someone people cannot see; a departed session stays departed
      counters.notMembers++;
      if (!departed.contains(from)) {
        holdEarly(from, packetType, data); // its announcement may come on another path, later
      }
      return;
    }
    try {
      if (packetType == PacketWrapper.E2EE_PUBLIC_KEY) {
        Peer known = peers.get(from);
        Peer p = learn(from, KeyExchange.PublicKey.decode(data).publicKeySpki);
        if (p != null && p == known) {
          p.sentKid = -1; // asked again: it lost our key
          sendMyKey(p);
        }
      } else if (packetType == PacketWrapper.E2EE_WRAPPED_KEY) {
        KeyExchange.WrappedKey wk = KeyExchange.WrappedKey.decode(data);
        Peer p = learn(from, wk.senderPublicKeySpki);
        if (p != null) {
          unwrap(p, wk);
        }
      }
    } catch (WireFormatException e) {
      counters.keysRefused++;
    }
  }

  /**
   * A session is present (the application shows it, with its safety code): it may get our key.
   *
   * @param rekey true when it joined while we were there (PARTICIPANT_JOINED): we move to a new key
   *     first, so that it cannot read what was sent before it came; false for those already present
   *     when we joined (MEETING_STARTED)
   */
  public void memberJoined(long sessionId, boolean rekey) {
    // announced as joined (PARTICIPANT_JOINED): back after a split between server instances,
    // which announce the same sessions as left and then joined again; a server could announce a
    // new session id anyway, so believing it costs nothing
    boolean back = rekey && departed.remove(sessionId);
    if (sessionId == mySession || sessionId == 0 || departed.contains(sessionId)) {
      return;
    }
    if (!members.add(sessionId)) {
      return;
    }
    if (rekey && myPair != null) { // also while a new key is being made: one newer still
      counters.rekeys++;
      newSenderKey(myKid + 1);
    }
    if (back) {
      requestKeyOf(sessionId, clock.nowMs()); // its peer entry went with the departure
    }
    List<Object[]> held = early.remove(sessionId);
    if (held != null) {
      for (Object[] packet : held) {
        onPacket(sessionId, (Integer) packet[0], (byte[]) packet[1]);
      }
    }
  }

  private void holdEarly(long from, int packetType, byte[] data) {
    List<Object[]> held = early.get(from);
    if (held == null) {
      if (early.size() >= EARLY_SESSIONS) {
        early.remove(early.keySet().iterator().next());
      }
      held = new ArrayList<>();
      early.put(from, held);
    }
    if (held.size() < EARLY_PACKETS) {
      held.add(new Object[] {packetType, data});
    }
  }

  /**
   * A participant left: its keys go, it is never a member again, and we send under a new key from
   * now on, which it never gets.
   */
  public void peerLeft(long sessionId) {
    departed.add(sessionId);
    if (departed.size() > DEPARTED_KEPT) {
      departed.remove(departed.iterator().next());
    }
    early.remove(sessionId);
    boolean wasMember = members.remove(sessionId);
    Peer p = peers.remove(sessionId);
    if (p == null) {
      if (wasMember && myPair != null) {
        counters.rekeys++; // it may have had our key from a packet we sent before it went
        newSenderKey(myKid + 1);
      }
      return;
    }
    for (InOrder.Job j : p.incoming.all()) {
      if (!j.settled) {
        p.incoming.settle(j).failed("sender left");
      }
    }
    if (myPair != null) {
      counters.rekeys++;
      newSenderKey(myKid + 1);
    }
  }

  /**
   * Encrypts one frame (or chat message) under our current key; results come in call order. Until
   * the first key exists, frames wait (at most {@link #PENDING_MAX_FRAMES}).
   */
  public void encrypt(byte[] metadata, byte[] plaintext, E2eeCrypto.Result<byte[]> done) {
    if (myKey == null && outgoing.size() >= PENDING_MAX_FRAMES) {
      done.failed("no sender key yet");
      return;
    }
    InOrder.Job j = outgoing.add(done, clock.nowMs());
    j.metadata = metadata;
    j.input = plaintext;
    if (myKey != null) {
      runEncrypt(j);
    }
  }

  /**
   * Decrypts one frame from {@code from}; results come in call order per sender. A frame that fails
   * is reported through {@code failed} and counted, and never yields plaintext.
   */
  public void decrypt(long from, byte[] metadata, byte[] frame, E2eeCrypto.Result<byte[]> done) {
    Peer p = peers.get(from);
    if (p == null) {
      counters.noKey++;
      done.failed("no key from this sender");
      if (members.contains(from)) {
        requestKeyOf(from, clock.nowMs()); // its key packet (with its public key) was lost
      }
      return;
    }
    expireWaiting(p);
    SFrame.Header h;
    try {
      h = SFrame.parseHeader(frame);
      if (frame.length - h.length < SFrame.TAG_BYTES) {
        throw new IllegalArgumentException("shorter than a tag");
      }
    } catch (IllegalArgumentException e) {
      counters.malformed++;
      InOrder.Job j = p.incoming.add(done, clock.nowMs());
      p.incoming.settle(j).failed("malformed: " + e.getMessage());
      return;
    }
    if (p.incoming.size() >= PENDING_MAX_FRAMES) {
      counters.noKey++;
      done.failed("too many frames waiting for a key");
      return;
    }
    InOrder.Job j = p.incoming.add(done, clock.nowMs());
    j.metadata = metadata;
    j.olderMetadata = E2eeMedia.olderLayout(metadata);
    j.input = frame;
    SFrameKey key = usableKey(p, h.kid);
    if (key != null) {
      runDecrypt(p, j, key);
    } else if (h.kid > p.newestKid && (p.newestKid < 0 || h.kid <= p.newestKid + MAX_KID_AHEAD)) {
      // its key is on the way (packets on other streams may overtake); with none yet, any KID
      j.waitingForKid = h.kid;
    } else {
      counters.noKey++;
      p.incoming.settle(j).failed("no key for KID " + h.kid);
      if (h.kid > p.newestKid) {
        requestKey(p, clock.nowMs()); // further ahead than a key in flight: one was lost
      }
    }
  }

  /** Fails frames that waited too long for their key (call now and then; decrypt calls it too). */
  public void tick() {
    for (Peer p : peers.values()) {
      expireWaiting(p);
    }
  }

  private SFrameKey usableKey(Peer p, long kid) {
    SFrameKey k = p.keys.get(kid);
    if (k != null && k.expiresAtMs < clock.nowMs()) {
      p.keys.remove(kid);
      return null;
    }
    return k;
  }

  private void expireWaiting(Peer p) {
    double now = clock.nowMs();
    for (InOrder.Job j : p.incoming.all()) {
      if (!j.settled && j.waitingForKid >= 0 && now - j.submittedAtMs > PENDING_MAX_MS) {
        j.waitingForKid = -1;
        counters.noKey++;
        p.incoming.settle(j).failed("the key never came");
        requestKey(p, now);
      }
    }
  }

  /**
   * Asks a sender for its current key again (a key packet can be lost: a rate limit, a reconnect):
   * our public key, to that sender only, which answers with its key.
   */
  private void requestKey(Peer p, double now) {
    if (now - p.lastKeyRequestMs >= KEY_REQUEST_GAP_MS && myPair != null) {
      p.lastKeyRequestMs = now;
      requestKeyOf(p.sessionId, now);
    }
  }

  private final Map<Long, Double> lastRequestToUnknown = new HashMap<>();

  /** Our public key to one member, which answers with its key (and its public key). */
  private void requestKeyOf(long sessionId, double now) {
    if (myPair == null) {
      return;
    }
    Peer p = peers.get(sessionId);
    if (p == null) {
      Double last = lastRequestToUnknown.get(sessionId);
      if (last != null && now - last < KEY_REQUEST_GAP_MS) {
        return;
      }
      if (lastRequestToUnknown.size() > EARLY_SESSIONS) {
        lastRequestToUnknown.clear();
      }
      lastRequestToUnknown.put(sessionId, now);
    }
    KeyExchange.PublicKey pk = new KeyExchange.PublicKey();
    pk.publicKeySpki = myPair.publicSpki;
    out.send(PacketWrapper.E2EE_PUBLIC_KEY, pk.encode(), sessionId);
  }

  private void runEncrypt(InOrder.Job j) {
    j.started = true;
    SFrameKey key = myKey;
    long ctr = key.nextCtr++;
    E2eeCrypto.Result<byte[]> settle = outgoing.settle(j);
    key.encrypt(
        crypto,
        ctr,
        j.metadata,
        j.input,
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(byte[] value) {
            counters.encrypted++;
            settle.ok(value);
          }

          @Override
          public void failed(String why) {
            settle.failed(why);
          }
        });
  }

  private void runDecrypt(Peer p, InOrder.Job j, SFrameKey key) {
    runDecrypt(j, key, p.incoming.settle(j), j.metadata);
  }

  private void runDecrypt(
      InOrder.Job j, SFrameKey key, E2eeCrypto.Result<byte[]> settle, byte[] metadata) {
    key.decrypt(
        crypto,
        metadata,
        j.input,
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(byte[] value) {
            if (!key.fresh(SFrame.parseHeader(j.input).ctr)) {
              counters.replayed++;
              settle.failed("replayed");
              return;
            }
            counters.decrypted++;
            settle.ok(value);
          }

          @Override
          public void failed(String why) {
            byte[] older = j.olderMetadata;
            if (older != null) {
              j.olderMetadata = null; // a sender of an older build: its metadata, once
              runDecrypt(j, key, settle, older);
              return;
            }
            counters.authFailed++;
            settle.failed("not authentic: " + why);
          }
        });
  }

  private void newSenderKey(long kid) {
    int gen = generation;
    myKey = null; // frames from now wait for the new key: none goes out under the old one
    myKid = kid;
    byte[] base = crypto.random(SFrame.KEY_BYTES);
    SFrameKey.derive(
        crypto,
        base,
        kid,
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(SFrameKey key) {
            if (gen != generation || myKid != kid) {
              return;
            }
            myBaseKey = base;
            myKey = key;
            for (InOrder.Job j : outgoing.all()) {
              if (!j.started) {
                runEncrypt(j);
              }
            }
            for (Peer p : new ArrayList<>(peers.values())) {
              sendMyKey(p);
            }
          }

          @Override
          public void failed(String why) {
            out.log("E2EE: no sender key: " + why);
          }
        });
  }

  private Peer learn(long from, byte[] spki) {
    if (spki == null || spki.length == 0 || spki.length > MAX_SPKI_BYTES) {
      counters.keysRefused++;
      return null;
    }
    Peer p = peers.get(from);
    if (p != null) {
      if (!equal(p.spki, spki)) {
        counters.keysRefused++; // a session's key pair never changes: someone is lying
        out.log("E2EE: session " + from + " presented a different public key; refused");
        return null;
      }
      return p;
    }
    p = new Peer(from, spki.clone());
    peers.put(from, p);
    if (myPair != null) {
      deriveWrapKey(p);
    }
    return p;
  }

  private void deriveWrapKey(Peer p) {
    if (p.deriving || p.wrapKey != null) {
      return;
    }
    p.deriving = true;
    int gen = generation;
    byte[][] sorted = sorted(myPair.publicSpki, p.spki);
    E2eeCrypto.Result<Object> fail = keyFailure("no shared key with session " + p.sessionId);
    crypto.ecdh(
        myPair.privateKey,
        p.spki,
        Steps.then(
            fail,
            secret ->
                crypto.hkdf(
                    secret,
                    SFrame.concat(WRAP_INFO, SFrame.concat(sorted[0], sorted[1])),
                    SFrame.KEY_BYTES,
                    Steps.then(
                        fail,
                        raw ->
                            crypto.aesGcmKey(
                                raw,
                                Steps.then(
                                    fail,
                                    key -> {
                                      if (gen != generation || peers.get(p.sessionId) != p) {
                                        return;
                                      }
                                      p.wrapKey = key;
                                      sendMyKey(p);
                                      List<KeyExchange.WrappedKey> waiting =
                                          new ArrayList<>(p.pendingWrapped);
                                      p.pendingWrapped.clear();
                                      for (KeyExchange.WrappedKey wk : waiting) {
                                        unwrap(p, wk);
                                      }
                                    }))))));
    // one fingerprint per key: a server that swaps keys must match each one (a second preimage),
    // not merely make the two ends' codes collide
    crypto.sha256(
        SFrame.concat(SAFETY, sorted[0]),
        Steps.then(
            fail,
            first ->
                crypto.sha256(
                    SFrame.concat(SAFETY, sorted[1]),
                    Steps.then(
                        fail,
                        second -> {
                          if (gen != generation) {
                            return;
                          }
                          p.safetyCode = SafetyCode.of(first, second);
                          out.safetyCode(p.sessionId, p.safetyCode);
                        }))));
  }

  private void sendMyKey(Peer p) {
    if (p.wrapKey == null || myKey == null || p.sentKid == myKey.kid) {
      return;
    }
    long kid = myKey.kid;
    p.sentKid = kid;
    int gen = generation;
    E2eeCrypto.KeyPair pair = myPair;
    byte[] nonce = crypto.random(SFrame.NONCE_BYTES);
    crypto.seal(
        p.wrapKey,
        nonce,
        wrapAad(mySession, p.sessionId, kid),
        myBaseKey,
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(byte[] wrapped) {
            if (gen != generation || peers.get(p.sessionId) != p) {
              return; // restarted, or it left, while the key was being wrapped
            }
            KeyExchange.WrappedKey wk = new KeyExchange.WrappedKey();
            wk.keyEpoch = (int) kid;
            wk.nonce = nonce;
            wk.wrappedKey = wrapped;
            wk.senderPublicKeySpki = pair.publicSpki;
            wk.cipherSuite = SFrame.CIPHER_SUITE;
            counters.keysSent++;
            out.send(PacketWrapper.E2EE_WRAPPED_KEY, wk.encode(), p.sessionId);
          }

          @Override
          public void failed(String why) {
            out.log("E2EE: could not wrap a key: " + why);
          }
        });
  }

  private void unwrap(Peer p, KeyExchange.WrappedKey wk) {
    if (wk.cipherSuite != SFrame.CIPHER_SUITE || wk.nonce == null || wk.wrappedKey == null) {
      counters.keysRefused++;
      return;
    }
    if (p.wrapKey == null) {
      if (p.pendingWrapped.size() < MAX_KEYS_PER_SENDER) {
        p.pendingWrapped.add(wk);
      }
      return;
    }
    long kid = wk.keyEpoch & 0xffffffffL;
    if (p.keys.containsKey(kid)) {
      return;
    }
    int gen = generation;
    E2eeCrypto.Result<Object> fail = keyFailure("refused a key from session " + p.sessionId);
    crypto.open(
        p.wrapKey,
        wk.nonce,
        wrapAad(p.sessionId, mySession, kid),
        wk.wrappedKey,
        Steps.then(
            fail,
            base -> {
              if (base.length != SFrame.KEY_BYTES) {
                fail.failed("wrong key length");
                return;
              }
              SFrameKey.derive(
                  crypto,
                  base,
                  kid,
                  Steps.then(
                      fail,
                      key -> {
                        if (gen != generation || peers.get(p.sessionId) != p) {
                          return;
                        }
                        addKey(p, key);
                      }));
            }));
  }

  private void addKey(Peer p, SFrameKey key) {
    counters.keysReceived++;
    double graceEnds = clock.nowMs() + OLD_KEY_GRACE_MS;
    if (key.kid > p.newestKid) {
      for (SFrameKey old : p.keys.values()) {
        old.expiresAtMs = Math.min(old.expiresAtMs, graceEnds);
      }
      p.newestKid = key.kid;
    } else {
      key.expiresAtMs = graceEnds; // an older key arriving late: only for frames in flight
    }
    p.keys.put(key.kid, key);
    while (p.keys.size() > MAX_KEYS_PER_SENDER) {
      long oldest = Long.MAX_VALUE;
      for (long k : p.keys.keySet()) {
        oldest = Math.min(oldest, k);
      }
      p.keys.remove(oldest);
    }
    for (InOrder.Job j : p.incoming.all()) {
      if (!j.settled && j.waitingForKid == key.kid) {
        j.waitingForKid = -1;
        runDecrypt(p, j, key);
      }
    }
  }

  /** Where a key step's failure goes: counted as a refused key, and logged with {@code what}. */
  private E2eeCrypto.Result<Object> keyFailure(String what) {
    return new E2eeCrypto.Result<>() {
      @Override
      public void ok(Object value) {}

      @Override
      public void failed(String why) {
        counters.keysRefused++;
        out.log("E2EE: " + what + ": " + why);
      }
    };
  }

  private static byte[] wrapAad(long from, long to, long kid) {
    byte[] out = new byte[WRAP_AAD.length + 8 + 8 + 4 + 2];
    System.arraycopy(WRAP_AAD, 0, out, 0, WRAP_AAD.length);
    int at = WRAP_AAD.length;
    SFrame.putBigEndian(out, at, from, 8);
    SFrame.putBigEndian(out, at + 8, to, 8);
    SFrame.putBigEndian(out, at + 16, kid, 4);
    SFrame.putBigEndian(out, at + 20, SFrame.CIPHER_SUITE, 2);
    return out;
  }

  static byte[][] sorted(byte[] a, byte[] b) {
    return compare(a, b) <= 0 ? new byte[][] {a, b} : new byte[][] {b, a};
  }

  private static int compare(byte[] a, byte[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      int d = (a[i] & 0xff) - (b[i] & 0xff);
      if (d != 0) {
        return d;
      }
    }
    return a.length - b.length;
  }

  private static boolean equal(byte[] a, byte[] b) {
    return a.length == b.length && compare(a, b) == 0;
  }
}
