package dev.videocall.web.browser;

import dev.videocall.types.e2ee.E2eeCrypto;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * {@link E2eeCrypto} on WebCrypto ({@code crypto.subtle}): ECDH P-256 with a non-extractable
 * private key, HKDF-SHA256, AES-GCM with a 128-bit tag, SHA-256. Results arrive when the promises
 * settle. A result callback that throws is logged (console.error) and never reported as a crypto
 * failure too: each operation answers once.
 */
public final class WebCrypto implements E2eeCrypto {
  /** A CryptoKey, held for the shared E2EE code. */
  private static final class WebKey implements Key {
    final JSObject key;

    WebKey(JSObject key) {
      this.key = key;
    }
  }

  @JSFunctor
  interface BytesDone extends JSObject {
    void done(Int8Array bytes);
  }

  @JSFunctor
  interface KeyDone extends JSObject {
    void done(JSObject key);
  }

  @JSFunctor
  interface PairDone extends JSObject {
    void done(JSObject privateKey, Int8Array spki);
  }

  @JSFunctor
  interface Failed extends JSObject {
    void failed(String why);
  }

  /** Whether this page can do E2EE at all (a secure context with WebCrypto). */
  @JSBody(script = "return !!(window.crypto && crypto.subtle && window.isSecureContext);")
  public static native boolean isAvailable();

  @Override
  public byte[] random(int bytes) {
    return randomArray(bytes).copyToJavaArray();
  }

  @JSBody(params = "n", script = "return crypto.getRandomValues(new Int8Array(n));")
  private static native Int8Array randomArray(int n);

  @Override
  public void generateKeyPair(Result<KeyPair> done) {
    generate(
        (priv, spki) -> done.ok(new KeyPair(new WebKey(priv), spki.copyToJavaArray())),
        done::failed);
  }

  @JSBody(
      params = {"ok", "fail"},
      script =
          "crypto.subtle.generateKey({name: 'ECDH', namedCurve: 'P-256'}, false, ['deriveBits'])"
              + ".then(function (vcP) { return crypto.subtle.exportKey('spki', vcP.publicKey)"
              + ".then(function (vcS) { return [vcP.privateKey, new Int8Array(vcS)]; }); })"
              + ".then(function (vcR) { try { ok(vcR[0], vcR[1]); } catch (vcX) { console.error(vcX); } }, function (vcE) { fail('' + vcE); });")
  private static native void generate(PairDone ok, Failed fail);

  @Override
  public void ecdh(Key privateKey, byte[] peerSpki, Result<byte[]> done) {
    ecdh(
        ((WebKey) privateKey).key,
        Int8Array.copyFromJavaArray(peerSpki),
        b -> done.ok(b.copyToJavaArray()),
        done::failed);
  }

  @JSBody(
      params = {"priv", "spki", "ok", "fail"},
      script =
          "crypto.subtle.importKey('spki', spki, {name: 'ECDH', namedCurve: 'P-256'}, true, [])"
              + ".then(function (vcK) {"
              + " return crypto.subtle.deriveBits({name: 'ECDH', public: vcK}, priv, 256); })"
              + ".then(function (vcB) { try { ok(new Int8Array(vcB)); } catch (vcX) { console.error(vcX); } }, function (vcE) { fail('' + vcE); });")
  private static native void ecdh(JSObject priv, Int8Array spki, BytesDone ok, Failed fail);

  @Override
  public void hkdf(byte[] ikm, byte[] info, int bytes, Result<byte[]> done) {
    hkdf(
        Int8Array.copyFromJavaArray(ikm),
        Int8Array.copyFromJavaArray(info),
        bytes * 8,
        b -> done.ok(b.copyToJavaArray()),
        done::failed);
  }

  @JSBody(
      params = {"ikm", "info", "bits", "ok", "fail"},
      script =
          "crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits'])"
              + ".then(function (vcK) { return crypto.subtle.deriveBits({name: 'HKDF',"
              + " hash: 'SHA-256', salt: new Uint8Array(0), info: info}, vcK, bits); })"
              + ".then(function (vcB) { try { ok(new Int8Array(vcB)); } catch (vcX) { console.error(vcX); } }, function (vcE) { fail('' + vcE); });")
  private static native void hkdf(
      Int8Array ikm, Int8Array info, int bits, BytesDone ok, Failed fail);

  @Override
  public void aesGcmKey(byte[] raw, Result<Key> done) {
    aesKey(Int8Array.copyFromJavaArray(raw), k -> done.ok(new WebKey(k)), done::failed);
  }

  @JSBody(
      params = {"raw", "ok", "fail"},
      script =
          "crypto.subtle.importKey('raw', raw, {name: 'AES-GCM'}, false, ['encrypt', 'decrypt'])"
              + ".then(function (vcK) { try { ok(vcK); } catch (vcX) { console.error(vcX); } }, function (vcE) { fail('' + vcE); });")
  private static native void aesKey(Int8Array raw, KeyDone ok, Failed fail);

  @Override
  public void seal(Key key, byte[] nonce, byte[] aad, byte[] plaintext, Result<byte[]> done) {
    gcm(
        true,
        ((WebKey) key).key,
        Int8Array.copyFromJavaArray(nonce),
        Int8Array.copyFromJavaArray(aad),
        Int8Array.copyFromJavaArray(plaintext),
        b -> done.ok(b.copyToJavaArray()),
        done::failed);
  }

  @Override
  public void open(Key key, byte[] nonce, byte[] aad, byte[] ciphertext, Result<byte[]> done) {
    gcm(
        false,
        ((WebKey) key).key,
        Int8Array.copyFromJavaArray(nonce),
        Int8Array.copyFromJavaArray(aad),
        Int8Array.copyFromJavaArray(ciphertext),
        b -> done.ok(b.copyToJavaArray()),
        done::failed);
  }

  @JSBody(
      params = {"encrypt", "key", "iv", "aad", "data", "ok", "fail"},
      script =
          "var vcA = {name: 'AES-GCM', iv: iv, additionalData: aad, tagLength: 128};"
              + "(encrypt ? crypto.subtle.encrypt(vcA, key, data)"
              + " : crypto.subtle.decrypt(vcA, key, data))"
              + ".then(function (vcB) { try { ok(new Int8Array(vcB)); } catch (vcX) { console.error(vcX); } },"
              + " function (vcE) { fail(vcE && vcE.name ? vcE.name : '' + vcE); });")
  private static native void gcm(
      boolean encrypt,
      JSObject key,
      Int8Array iv,
      Int8Array aad,
      Int8Array data,
      BytesDone ok,
      Failed fail);

  @Override
  public void sha256(byte[] data, Result<byte[]> done) {
    digest(Int8Array.copyFromJavaArray(data), b -> done.ok(b.copyToJavaArray()), done::failed);
  }

  @JSBody(
      params = {"data", "ok", "fail"},
      script =
          "crypto.subtle.digest('SHA-256', data)"
              + ".then(function (vcB) { try { ok(new Int8Array(vcB)); } catch (vcX) { console.error(vcX); } }, function (vcE) { fail('' + vcE); });")
  private static native void digest(Int8Array data, BytesDone ok, Failed fail);
}
