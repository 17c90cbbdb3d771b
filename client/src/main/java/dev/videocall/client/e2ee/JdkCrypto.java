package dev.videocall.client.e2ee;

import dev.videocall.types.e2ee.E2eeCrypto;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link E2eeCrypto} on the JDK: ECDH P-256 (secp256r1), HKDF-SHA256 (RFC 5869, on HmacSHA256: JDK
 * 17 has no HKDF), AES-GCM with a 128-bit tag, SHA-256. Every call answers before it returns.
 */
public final class JdkCrypto implements E2eeCrypto {
  private static final int HASH_BYTES = 32;
  private final SecureRandom random = new SecureRandom();

  /** A JDK key in the opaque form the E2EE code passes around. */
  private record JdkKey(java.security.Key key) implements Key {}

  @Override
  public byte[] random(int bytes) {
    byte[] out = new byte[bytes];
    random.nextBytes(out);
    return out;
  }

  @Override
  public void generateKeyPair(Result<KeyPair> done) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      java.security.KeyPair pair = g.generateKeyPair();
      done.ok(new KeyPair(new JdkKey(pair.getPrivate()), pair.getPublic().getEncoded()));
    } catch (GeneralSecurityException e) {
      done.failed(e.toString());
    }
  }

  @Override
  public void ecdh(Key privateKey, byte[] peerSpki, Result<byte[]> done) {
    byte[] secret;
    try {
      PublicKey peer =
          KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(peerSpki));
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init((PrivateKey) ((JdkKey) privateKey).key());
      ka.doPhase(peer, true);
      secret = ka.generateSecret();
    } catch (GeneralSecurityException | ClassCastException e) {
      done.failed(e.toString());
      return;
    }
    done.ok(secret);
  }

  @Override
  public void hkdf(byte[] ikm, byte[] info, int bytes, Result<byte[]> done) {
    byte[] okm;
    try {
      okm = hkdfSha256(ikm, info, bytes);
    } catch (GeneralSecurityException e) {
      done.failed(e.toString());
      return;
    }
    done.ok(okm);
  }

  /** RFC 5869 with an empty salt (HashLen zero bytes, section 2.2). */
  static byte[] hkdfSha256(byte[] ikm, byte[] info, int bytes) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(new byte[HASH_BYTES], "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    byte[] okm = new byte[bytes];
    byte[] t = new byte[0];
    for (int i = 1, at = 0; at < bytes; i++) {
      mac.update(t);
      mac.update(info);
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(t.length, bytes - at);
      System.arraycopy(t, 0, okm, at, n);
      at += n;
    }
    return okm;
  }

  @Override
  public void aesGcmKey(byte[] raw, Result<Key> done) {
    done.ok(new JdkKey(new SecretKeySpec(raw, "AES")));
  }

  @Override
  public void seal(Key key, byte[] nonce, byte[] aad, byte[] plaintext, Result<byte[]> done) {
    gcm(Cipher.ENCRYPT_MODE, key, nonce, aad, plaintext, done);
  }

  @Override
  public void open(Key key, byte[] nonce, byte[] aad, byte[] ciphertext, Result<byte[]> done) {
    gcm(Cipher.DECRYPT_MODE, key, nonce, aad, ciphertext, done);
  }

  private static void gcm(
      int mode, Key key, byte[] nonce, byte[] aad, byte[] input, Result<byte[]> done) {
    byte[] output;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, ((JdkKey) key).key(), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad);
      output = c.doFinal(input);
    } catch (GeneralSecurityException | ClassCastException e) {
      done.failed(e.getClass().getSimpleName());
      return;
    }
    done.ok(output);
  }

  @Override
  public void sha256(byte[] data, Result<byte[]> done) {
    try {
      done.ok(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      done.failed(e.toString());
    }
  }
}
