package dev.videocall.client.e2ee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videocall.types.e2ee.E2eeCrypto;
import dev.videocall.types.e2ee.E2eeSession;
import dev.videocall.types.e2ee.SFrame;
import dev.videocall.types.wire.KeyExchange;
import dev.videocall.types.wire.PacketWrapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Participants exchanging keys through a pretend relay, with the JDK's crypto. */
class E2eeSessionTest {
  private final double[] now = {1000};
  private final Map<Long, E2eeSession> sessions = new LinkedHashMap<>();
  private final ArrayDeque<Runnable> network = new ArrayDeque<>();
  private final Map<Long, Map<Long, String>> codes = new LinkedHashMap<>();

  /** Drops the next wrapped key from {@code [0]} to {@code [1]} (a lost packet), when set. */
  private long[] lose;

  private E2eeSession join(long id, E2eeCrypto crypto) {
    codes.put(id, new LinkedHashMap<>());
    E2eeSession s =
        new E2eeSession(
            crypto,
            new E2eeSession.Out() {
              @Override
              public void send(int type, byte[] data, long target) {
                if (lose != null
                    && type == PacketWrapper.E2EE_WRAPPED_KEY
                    && lose[0] == id
                    && lose[1] == target) {
                  lose = null;
                  return;
                }
                network.add(
                    () -> {
                      for (Map.Entry<Long, E2eeSession> e : sessions.entrySet()) {
                        if (e.getKey() != id && (target == 0 || target == e.getKey())) {
                          e.getValue().onPacket(id, type, data);
                        }
                      }
                    });
              }

              @Override
              public void safetyCode(long peer, String code) {
                codes.get(id).put(peer, code);
              }

              @Override
              public void log(String line) {}
            },
            () -> now[0]);
    s.start(id);
    // as the relay announces: the newcomer hears who is present, the others hear of it
    for (Map.Entry<Long, E2eeSession> e : sessions.entrySet()) {
      s.memberJoined(e.getKey(), false);
      e.getValue().memberJoined(id, true);
    }
    sessions.put(id, s);
    return s;
  }

  private void deliver() {
    while (!network.isEmpty()) {
      network.poll().run();
    }
  }

  private void leave(long id) {
    sessions.remove(id);
    for (E2eeSession s : sessions.values()) {
      s.peerLeft(id);
    }
    deliver();
  }

  private static final byte[] META = "video:key:7".getBytes(StandardCharsets.UTF_8);

  static byte[] encrypt(E2eeSession s, byte[] pt) {
    return SFrameVectorsTest.await(d -> s.encrypt(META, pt, d));
  }

  /** Holds the plaintext, or "failed: why", or "pending" while the frame waits for its key. */
  static Object[] decrypt(E2eeSession s, long from, byte[] frame) {
    return decrypt(s, from, META, frame);
  }

  static Object[] decrypt(E2eeSession s, long from, byte[] meta, byte[] frame) {
    Object[] out = {"pending"};
    s.decrypt(
        from,
        meta,
        frame,
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(byte[] v) {
            out[0] = v;
          }

          @Override
          public void failed(String why) {
            out[0] = "failed: " + why;
          }
        });
    return out;
  }

  static byte[] plain(Object[] result) {
    assertTrue(result[0] instanceof byte[], "decrypted: " + result[0]);
    return (byte[]) result[0];
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void threeParticipantsReadEachOtherAndShowTheSameSafetyCodes() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    E2eeSession c = join(3, crypto);
    deliver();
    byte[] frame = encrypt(a, bytes("a picture"));
    assertEquals(bytes("a picture").length + 1 + SFrame.TAG_BYTES, frame.length);
    assertArrayEquals(bytes("a picture"), plain(decrypt(b, 1, frame)));
    assertArrayEquals(bytes("a picture"), plain(decrypt(c, 1, frame)));
    assertArrayEquals(bytes("a picture"), plain(decrypt(a, 3, encrypt(c, bytes("a picture")))));
    assertEquals(codes.get(1L).get(2L), codes.get(2L).get(1L));
    assertEquals(codes.get(1L).get(3L), codes.get(3L).get(1L));
    assertEquals(codes.get(2L).get(3L), codes.get(3L).get(2L));
    assertNotEquals(codes.get(1L).get(2L), codes.get(1L).get(3L));
    assertTrue(
        codes.get(1L).get(2L).matches("\\d{5}( \\d{5}){5}"),
        "six groups: " + codes.get(1L).get(2L));
    // the half that fingerprints ann's key is the same in her codes with bob and with cat
    String withBob = codes.get(1L).get(2L);
    String withCat = codes.get(1L).get(3L);
    assertTrue(
        withBob.substring(0, 17).equals(withCat.substring(0, 17))
            || withBob.substring(18).equals(withCat.substring(18))
            || withBob.substring(0, 17).equals(withCat.substring(18))
            || withBob.substring(18).equals(withCat.substring(0, 17)),
        withBob + " / " + withCat);
  }

  @Test
  void aDepartedParticipantCannotReadWhatIsSentAfterItLeft() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    E2eeSession c = join(3, crypto);
    deliver();
    byte[] before = encrypt(a, bytes("before"));
    assertArrayEquals(bytes("before"), plain(decrypt(c, 1, before)));

    leave(3); // c keeps every key it had
    byte[] after = encrypt(a, bytes("after"));
    assertTrue(
        SFrame.parseHeader(after).kid > SFrame.parseHeader(before).kid, "a new key since c left");
    assertArrayEquals(bytes("after"), plain(decrypt(b, 1, after)));

    Object[] tried = decrypt(c, 1, after);
    assertEquals("pending", tried[0], "a newer KID waits for its key a while");
    now[0] += E2eeSession.PENDING_MAX_MS + 1;
    c.tick();
    assertEquals("failed: the key never came", tried[0]);
    // The new frame relabelled with the old KID: the key and the AAD differ, the tag fails.
    byte[] relabelled = relabel(after, SFrame.parseHeader(before).kid);
    assertTrue(((String) decrypt(c, 1, relabelled)[0]).startsWith("failed: not authentic"));
    assertEquals(1, c.counters().authFailed);
  }

  @Test
  void aTamperedFrameIsRefusedAndCountedAndTheNextOneDecrypts() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    for (int bit : new int[] {0, 13, 8 * 3 + 5}) { // header, ciphertext, tag region
      byte[] frame = encrypt(a, bytes("frame with some length to it"));
      int at = bit == 0 ? 0 : bit / 8 + (bit == 13 ? 1 : frame.length - 20);
      frame[at] ^= (byte) (1 << (bit % 8));
      assertTrue(((String) decrypt(b, 1, frame)[0]).startsWith("failed"));
    }
    assertEquals(3, b.counters().authFailed + b.counters().noKey + b.counters().malformed);
    assertArrayEquals(bytes("next"), plain(decrypt(b, 1, encrypt(a, bytes("next")))));
  }

  private static byte[] layered(long sequenceT0) {
    return dev.videocall.types.e2ee.E2eeMedia.media(
        1, false, 9, 1000, 1, 640, 360, 0, 0, 2, 3, sequenceT0, 5);
  }

  /**
   * A layered frame is authenticated with its layer fields (59 bytes); one sealed by a sender of an
   * older build, with the 27 bytes before them, still opens; a layered frame whose fields a relay
   * changed or stripped does not.
   */
  @Test
  void layeredFramesFromOlderBuildsOpenAndRelabelledOnesDoNot() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    byte[] meta = layered(4);
    byte[] sealed = SFrameVectorsTest.await(d -> a.encrypt(meta, bytes("new"), d));
    assertArrayEquals(bytes("new"), plain(decrypt(b, 1, layered(4), sealed)));
    byte[] renumbered = SFrameVectorsTest.await(d -> a.encrypt(meta, bytes("t0"), d));
    assertTrue(((String) decrypt(b, 1, layered(5), renumbered)[0]).startsWith("failed"));
    byte[] stripped = SFrameVectorsTest.await(d -> a.encrypt(meta, bytes("strip"), d));
    assertTrue(
        ((String) decrypt(b, 1, java.util.Arrays.copyOf(meta, 27), stripped)[0])
            .startsWith("failed"));
    byte[] older = java.util.Arrays.copyOf(meta, 27); // how 77f0a0b sealed it
    byte[] old = SFrameVectorsTest.await(d -> a.encrypt(older, bytes("old"), d));
    assertArrayEquals(bytes("old"), plain(decrypt(b, 1, layered(4), old)));
  }

  @Test
  void framesThatOvertakeTheirKeyWaitForItAndComeOutInOrder() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    E2eeSession c = join(3, crypto);
    deliver();
    sessions.remove(3L);
    a.peerLeft(3); // a rekeys; its wrapped key to b is still "in the network"
    List<Object[]> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(decrypt(b, 1, encrypt(a, bytes("f" + i))));
    }
    assertEquals("pending", results.get(0)[0]);
    deliver();
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(bytes("f" + i), plain(results.get(i)));
    }
  }

  @Test
  void resultsComeInSubmissionOrderWhateverOrderTheCryptoSettlesIn() {
    ReversingCrypto slow = new ReversingCrypto(new JdkCrypto());
    E2eeSession a = join(1, slow);
    E2eeSession b = join(2, slow);
    slow.settleAll();
    deliver();
    slow.settleAll();
    deliver();
    slow.settleAll();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      a.encrypt(
          META,
          bytes("frame " + i),
          new E2eeCrypto.Result<>() {
            @Override
            public void ok(byte[] v) {
              sent.add(v);
            }

            @Override
            public void failed(String why) {
              throw new AssertionError(why);
            }
          });
    }
    slow.settleAll(); // last submitted settles first
    assertEquals(6, sent.size());
    List<Object[]> got = new ArrayList<>();
    for (byte[] f : sent) {
      got.add(decrypt(b, 1, f));
    }
    slow.settleAll();
    for (int i = 0; i < 6; i++) {
      assertArrayEquals(bytes("frame " + i), plain(got.get(i)));
      assertEquals(i, SFrame.parseHeader(sent.get(i)).ctr);
    }
  }

  @Test
  void aSessionThatPresentsADifferentPublicKeyIsRefused() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    KeyExchange.PublicKey other = new KeyExchange.PublicKey();
    other.publicKeySpki = SFrameVectorsTest.await(crypto::generateKeyPair).publicSpki;
    a.onPacket(2, PacketWrapper.E2EE_PUBLIC_KEY, other.encode());
    KeyExchange.PublicKey huge = new KeyExchange.PublicKey();
    huge.publicKeySpki = new byte[6000];
    a.memberJoined(4, false); // present, so that their keys are looked at (and refused)
    a.memberJoined(5, false);
    a.onPacket(4, PacketWrapper.E2EE_PUBLIC_KEY, huge.encode());
    a.onPacket(5, PacketWrapper.E2EE_WRAPPED_KEY, new byte[] {(byte) 0xff, 1, 2});
    assertEquals(3, a.counters().keysRefused);
    assertArrayEquals(bytes("still fine"), plain(decrypt(a, 2, encrypt(b, bytes("still fine")))));
  }

  /** The frame's SFrame header rewritten to another KID (same CTR), the rest unchanged. */
  private static byte[] relabel(byte[] frame, long kid) {
    SFrame.Header h = SFrame.parseHeader(frame);
    return SFrame.concat(SFrame.header(kid, h.ctr), SFrame.slice(frame, h.length));
  }

  /** Holds every AES-GCM result back until {@link #settleAll}, then settles the newest first. */
  static final class ReversingCrypto implements E2eeCrypto {
    private final E2eeCrypto inner;
    private final List<Runnable> held = new ArrayList<>();

    ReversingCrypto(E2eeCrypto inner) {
      this.inner = inner;
    }

    void settleAll() {
      while (!held.isEmpty()) {
        List<Runnable> now = new ArrayList<>(held);
        held.clear();
        for (int i = now.size() - 1; i >= 0; i--) {
          now.get(i).run();
        }
      }
    }

    private <T> Result<T> later(Result<T> done) {
      return new Result<>() {
        @Override
        public void ok(T v) {
          held.add(() -> done.ok(v));
        }

        @Override
        public void failed(String why) {
          held.add(() -> done.failed(why));
        }
      };
    }

    @Override
    public byte[] random(int bytes) {
      return inner.random(bytes);
    }

    @Override
    public void generateKeyPair(Result<KeyPair> done) {
      inner.generateKeyPair(later(done));
    }

    @Override
    public void ecdh(Key privateKey, byte[] peerSpki, Result<byte[]> done) {
      inner.ecdh(privateKey, peerSpki, later(done));
    }

    @Override
    public void hkdf(byte[] ikm, byte[] info, int bytes, Result<byte[]> done) {
      inner.hkdf(ikm, info, bytes, later(done));
    }

    @Override
    public void aesGcmKey(byte[] raw, Result<Key> done) {
      inner.aesGcmKey(raw, later(done));
    }

    @Override
    public void seal(Key key, byte[] nonce, byte[] aad, byte[] pt, Result<byte[]> done) {
      inner.seal(key, nonce, aad, pt, later(done));
    }

    @Override
    public void open(Key key, byte[] nonce, byte[] aad, byte[] ct, Result<byte[]> done) {
      inner.open(key, nonce, aad, ct, later(done));
    }

    @Override
    public void sha256(byte[] data, Result<byte[]> done) {
      inner.sha256(data, later(done));
    }
  }

  @Test
  void aSessionNobodyAnnouncedGetsNoKeyAndADepartedOneNeverAgain() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    long sentBefore = a.counters().keysSent;
    // an intruder on the bus presents a public key from a session id nobody announced
    KeyExchange.PublicKey intruder = new KeyExchange.PublicKey();
    intruder.publicKeySpki = SFrameVectorsTest.await(crypto::generateKeyPair).publicSpki;
    a.onPacket(66, PacketWrapper.E2EE_PUBLIC_KEY, intruder.encode());
    deliver();
    assertEquals(sentBefore, a.counters().keysSent, "no key for a session nobody can see");
    assertEquals(1, a.counters().notMembers);

    // bob leaves; his recorded public key, replayed, gets him nothing
    KeyExchange.PublicKey bobsOld = new KeyExchange.PublicKey();
    E2eeSession c = join(3, crypto);
    deliver();
    long sent = a.counters().keysSent;
    sessions.remove(2L);
    a.peerLeft(2);
    c.peerLeft(2);
    deliver();
    bobsOld.publicKeySpki = intruder.publicKeySpki;
    a.onPacket(2, PacketWrapper.E2EE_PUBLIC_KEY, bobsOld.encode());
    deliver();
    assertEquals(sent + 1, a.counters().keysSent, "only cat got ann's new key");
    assertArrayEquals(bytes("x"), plain(decrypt(c, 1, encrypt(a, bytes("x")))));
  }

  @Test
  void aNewcomerCannotReadWhatWasSentBeforeItJoined() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    byte[] before = encrypt(a, bytes("before you came"));
    E2eeSession c = join(3, crypto);
    deliver();
    byte[] after = encrypt(a, bytes("welcome"));
    assertTrue(SFrame.parseHeader(after).kid > SFrame.parseHeader(before).kid, "a new key");
    assertArrayEquals(bytes("welcome"), plain(decrypt(c, 1, after)));
    assertTrue(((String) decrypt(c, 1, before)[0]).startsWith("failed"));
    assertArrayEquals(bytes("welcome"), plain(decrypt(b, 1, after)));
  }

  @Test
  void aReplayedFrameIsRefused() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    byte[] yes = encrypt(a, bytes("yes"));
    assertArrayEquals(bytes("yes"), plain(decrypt(b, 1, yes)));
    assertEquals("failed: replayed", decrypt(b, 1, yes)[0]);
    assertEquals(1, b.counters().replayed);
    // late but not replayed: accepted once, within the window
    byte[] first = encrypt(a, bytes("1"));
    byte[] second = encrypt(a, bytes("2"));
    assertArrayEquals(bytes("2"), plain(decrypt(b, 1, second)));
    assertArrayEquals(bytes("1"), plain(decrypt(b, 1, first)));
  }

  @Test
  void aLostKeyIsAskedForAgain() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    lose = new long[] {1, 2};
    sessions.remove(3L);
    E2eeSession c = join(3, crypto); // ann rekeys; her new key to bob is lost
    deliver();
    Object[] waiting = decrypt(b, 1, encrypt(a, bytes("lost?")));
    assertEquals("pending", waiting[0]);
    now[0] += E2eeSession.PENDING_MAX_MS + 1;
    b.tick(); // gives the frame up, and asks ann for her key again
    deliver();
    assertEquals("failed: the key never came", waiting[0]);
    assertArrayEquals(bytes("found"), plain(decrypt(b, 1, encrypt(a, bytes("found")))));
    assertArrayEquals(bytes("found"), plain(decrypt(c, 1, encrypt(a, bytes("found")))));
  }

  /**
   * The page starts its session only after the known-answer test, so MEETING_STARTED may name the
   * members first (found by the WebTransport browser test: no key was ever exchanged).
   */
  @Test
  void membersAnnouncedBeforeTheFirstStartAreKept() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    deliver();
    codes.put(2L, new LinkedHashMap<>());
    E2eeSession b =
        new E2eeSession(
            crypto,
            new E2eeSession.Out() {
              @Override
              public void send(int type, byte[] data, long target) {
                network.add(() -> a.onPacket(2, type, data));
              }

              @Override
              public void safetyCode(long peer, String code) {}

              @Override
              public void log(String line) {}
            },
            () -> now[0]);
    sessions.put(2L, b);
    b.memberJoined(1, false); // MEETING_STARTED before start
    a.memberJoined(2, true);
    b.start(2);
    deliver();
    assertArrayEquals(bytes("hello"), plain(decrypt(b, 1, encrypt(a, bytes("hello")))));
  }

  /**
   * A newcomer whose only key packet from a sender was lost (so it holds nothing of that sender,
   * not even its public key) asks for it when that sender's frames come (found by review: it used
   * to stay unable to read that sender for good).
   */
  @Test
  void aNewcomerWhoseKeyPacketWasLostAsksForIt() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    deliver();
    lose = new long[] {1, 2}; // ann's wrapped key to bob never arrives
    E2eeSession b = join(2, crypto);
    deliver();
    Object[] first = decrypt(b, 1, encrypt(a, bytes("hello?")));
    assertTrue(((String) first[0]).startsWith("failed"), "nothing to read it with yet");
    deliver(); // bob's request reached ann, and her key came back
    assertArrayEquals(bytes("now"), plain(decrypt(b, 1, encrypt(a, bytes("now")))));
  }

  /** A sender several keys ahead (keys lost on the way) is asked again at once. */
  @Test
  void aSenderFarAheadIsAskedForItsKey() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    for (long s = 10; s < 14; s++) { // four joins and leaves whose keys to bob are all lost
      lose = new long[] {1, 2};
      a.memberJoined(s, true);
      lose = new long[] {1, 2};
      a.peerLeft(s);
      deliver();
    }
    Object[] far = decrypt(b, 1, encrypt(a, bytes("far ahead")));
    assertTrue(((String) far[0]).startsWith("failed"));
    deliver();
    assertArrayEquals(bytes("caught up"), plain(decrypt(b, 1, encrypt(a, bytes("caught up")))));
  }

  /**
   * Server instances that lost each other announce the same sessions as left and then joined: an
   * announced join brings a departed session back (a server could announce a new id anyway).
   */
  @Test
  void aSessionAnnouncedAsJoinedAgainAfterASplitIsAMemberAgain() {
    JdkCrypto crypto = new JdkCrypto();
    E2eeSession a = join(1, crypto);
    E2eeSession b = join(2, crypto);
    deliver();
    a.peerLeft(2); // the split
    b.peerLeft(1);
    deliver();
    a.memberJoined(2, true); // healed: each asks the other for its key at once
    b.memberJoined(1, true);
    deliver();
    assertArrayEquals(bytes("again"), plain(decrypt(b, 1, encrypt(a, bytes("again")))));
    assertArrayEquals(bytes("both"), plain(decrypt(a, 2, encrypt(b, bytes("both")))));
  }
}
