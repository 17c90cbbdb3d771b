package dev.videocall.types.e2ee;

/**
 * The cryptographic primitives E2EE needs, asynchronous because the page's are (WebCrypto answers
 * with promises): the JDK's implementation calls back before returning, the page's later. Keys are
 * the platform's own objects ({@link Key}); in the page a private key is a non-extractable
 * CryptoKey that never leaves the browser's key store.
 */
public interface E2eeCrypto {
  /** Where an operation's result goes: exactly one of the two, once. */
  interface Result<T> {
    void ok(T value);

    void failed(String why);
  }

  /** A platform key: a CryptoKey in the page, a javax.crypto or java.security key on the JVM. */
  interface Key {}

  /** An ECDH P-256 key pair: the private key and the public key as SubjectPublicKeyInfo DER. */
  final class KeyPair {
    public final Key privateKey;
    public final byte[] publicSpki;

    public KeyPair(Key privateKey, byte[] publicSpki) {
      this.privateKey = privateKey;
      this.publicSpki = publicSpki;
    }
  }

  /** Cryptographically strong random bytes (synchronous on every platform). */
  byte[] random(int bytes);

  /** A new ECDH P-256 key pair whose private key cannot be exported. */
  void generateKeyPair(Result<KeyPair> done);

  /** The ECDH shared secret (32 bytes) of our private key and a peer's public key. */
  void ecdh(Key privateKey, byte[] peerSpki, Result<byte[]> done);

  /** HKDF-SHA256 with an empty salt: Expand(Extract("", ikm), info, bytes). */
  void hkdf(byte[] ikm, byte[] info, int bytes, Result<byte[]> done);

  /** An AES-GCM key from raw bytes (16 here). */
  void aesGcmKey(byte[] raw, Result<Key> done);

  /** AES-GCM with a 128-bit tag: ciphertext followed by the tag. */
  void seal(Key key, byte[] nonce, byte[] aad, byte[] plaintext, Result<byte[]> done);

  /** The inverse of {@link #seal}; fails when the tag does not authenticate. */
  void open(Key key, byte[] nonce, byte[] aad, byte[] ciphertext, Result<byte[]> done);

  void sha256(byte[] data, Result<byte[]> done);
}
