package dev.videocall.types.wire;

/** The E2EE key-exchange messages, for TeaVM code. */
public final class KeyExchange {
  private KeyExchange() {}

  /** {@code videocall.RsaPacket} (videocall.rs compatibility). */
  public static final class RsaPacket {
    public byte[] publicKeyDer;
    public String username = "";

    public byte[] encode() {
      return new ProtoWriter().bytes(1, publicKeyDer).string(2, username).toByteArray();
    }

    public static RsaPacket decode(byte[] bytes) {
      RsaPacket m = new RsaPacket();
      ProtoReader r = new ProtoReader(bytes);
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.publicKeyDer = r.bytes();
          case 2 -> m.username = r.string();
          default -> r.skip();
        }
      }
      return m;
    }
  }

  /** {@code videocall.AesPacket} (videocall.rs compatibility). */
  public static final class AesPacket {
    public byte[] key;
    public byte[] iv;

    public byte[] encode() {
      return new ProtoWriter().bytes(1, key).bytes(2, iv).toByteArray();
    }

    public static AesPacket decode(byte[] bytes) {
      AesPacket m = new AesPacket();
      ProtoReader r = new ProtoReader(bytes);
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.key = r.bytes();
          case 2 -> m.iv = r.bytes();
          default -> r.skip();
        }
      }
      return m;
    }
  }

  /** {@code videocall.E2eePublicKeyPacket}. */
  public static final class PublicKey {
    public byte[] publicKeySpki;
    public int keyEpoch;

    public byte[] encode() {
      return new ProtoWriter().bytes(1, publicKeySpki).uint32(2, keyEpoch).toByteArray();
    }

    public static PublicKey decode(byte[] bytes) {
      PublicKey m = new PublicKey();
      ProtoReader r = new ProtoReader(bytes);
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.publicKeySpki = r.bytes();
          case 2 -> m.keyEpoch = r.int32();
          default -> r.skip();
        }
      }
      return m;
    }
  }

  /** {@code videocall.E2eeWrappedKeyPacket}. */
  public static final class WrappedKey {
    public int keyEpoch;
    public byte[] nonce;
    public byte[] wrappedKey;
    public byte[] senderPublicKeySpki;
    public int cipherSuite;

    public byte[] encode() {
      return new ProtoWriter()
          .uint32(1, keyEpoch)
          .bytes(2, nonce)
          .bytes(3, wrappedKey)
          .bytes(4, senderPublicKeySpki)
          .uint32(5, cipherSuite)
          .toByteArray();
    }

    public static WrappedKey decode(byte[] bytes) {
      WrappedKey m = new WrappedKey();
      ProtoReader r = new ProtoReader(bytes);
      for (int f = r.next(); f != 0; f = r.next()) {
        switch (f) {
          case 1 -> m.keyEpoch = r.int32();
          case 2 -> m.nonce = r.bytes();
          case 3 -> m.wrappedKey = r.bytes();
          case 4 -> m.senderPublicKeySpki = r.bytes();
          case 5 -> m.cipherSuite = r.int32();
          default -> r.skip();
        }
      }
      return m;
    }
  }
}
