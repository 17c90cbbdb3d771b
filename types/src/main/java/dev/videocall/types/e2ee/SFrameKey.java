package dev.videocall.types.e2ee;

/**
 * One SFrame key: its KID, the AES-GCM key and salt derived from a base key (RFC 9605 section
 * 4.4.2), the next CTR when we send with it, and when a receiver stops accepting it.
 */
public final class SFrameKey {
  public final long kid;
  final E2eeCrypto.Key aes;
  final byte[] salt;
  long nextCtr;
  double expiresAtMs = Double.POSITIVE_INFINITY;

  /** Receivers: the highest CTR accepted, and CTR + 1 per slot of the replay window. */
  private long maxCtr = -1;

  private long[] seen;

  /** How far behind the newest frame a late frame may still be accepted (once). */
  static final int REPLAY_WINDOW = 1024;

  SFrameKey(long kid, E2eeCrypto.Key aes, byte[] salt) {
    this.kid = kid;
    this.aes = aes;
    this.salt = salt;
  }

  /**
   * Whether an authentic frame's CTR is new (RFC 9605 section 9.3: replay protection): not seen
   * before, and not older than {@link #REPLAY_WINDOW} frames behind the newest. Records it.
   */
  boolean fresh(long ctr) {
    if (maxCtr >= 0 && ctr <= maxCtr - REPLAY_WINDOW) {
      return false;
    }
    if (seen == null) {
      seen = new long[REPLAY_WINDOW];
    }
    int slot = (int) (ctr & (REPLAY_WINDOW - 1));
    if (seen[slot] == ctr + 1) {
      return false;
    }
    seen[slot] = ctr + 1;
    maxCtr = Math.max(maxCtr, ctr);
    return true;
  }

  /** derive_key_salt: sframe_key and sframe_salt from {@code baseKey} for {@code kid}. */
  public static void derive(
      E2eeCrypto crypto, byte[] baseKey, long kid, E2eeCrypto.Result<SFrameKey> done) {
    crypto.hkdf(
        baseKey,
        SFrame.keyLabel(kid),
        SFrame.KEY_BYTES,
        Steps.then(
            done,
            keyBytes ->
                crypto.aesGcmKey(
                    keyBytes,
                    Steps.then(
                        done,
                        aes ->
                            crypto.hkdf(
                                baseKey,
                                SFrame.saltLabel(kid),
                                SFrame.NONCE_BYTES,
                                Steps.then(
                                    done, salt -> done.ok(new SFrameKey(kid, aes, salt))))))));
  }

  /** SFrame encrypt (section 4.4.3): header || AES-GCM(key, salt ^ ctr, header || metadata, pt). */
  public void encrypt(
      E2eeCrypto crypto,
      long ctr,
      byte[] metadata,
      byte[] plaintext,
      E2eeCrypto.Result<byte[]> done) {
    byte[] header = SFrame.header(kid, ctr);
    crypto.seal(
        aes,
        SFrame.nonce(salt, ctr),
        SFrame.aad(header, metadata),
        plaintext,
        Steps.then(done, ct -> done.ok(SFrame.concat(header, ct))));
  }

  /** SFrame decrypt (section 4.4.4) with this key; the frame's KID must be this key's. */
  public void decrypt(
      E2eeCrypto crypto, byte[] metadata, byte[] frame, E2eeCrypto.Result<byte[]> done) {
    SFrame.Header h;
    try {
      h = SFrame.parseHeader(frame);
    } catch (IllegalArgumentException e) {
      done.failed(e.getMessage());
      return;
    }
    if (h.kid != kid || frame.length - h.length < SFrame.TAG_BYTES) {
      done.failed("not a frame of this key");
      return;
    }
    byte[] header = new byte[h.length];
    System.arraycopy(frame, 0, header, 0, h.length);
    crypto.open(
        aes,
        SFrame.nonce(salt, h.ctr),
        SFrame.aad(header, metadata),
        SFrame.slice(frame, h.length),
        done);
  }
}
