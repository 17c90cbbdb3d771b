package dev.videocall.client.e2ee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.videocall.types.e2ee.E2eeCrypto;
import dev.videocall.types.e2ee.KnownAnswer;
import dev.videocall.types.e2ee.SFrame;
import dev.videocall.types.e2ee.SFrameKey;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * RFC 9605 Appendix C byte for byte: header encodings (C.1) and the AES_128_GCM_SHA256_128 case of
 * SFrame encryption (C.3), through the shared SFrame code and the JDK's primitives. The page runs
 * the same vectors through WebCrypto (SFrameInChromiumE2ETest).
 */
class SFrameVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  /** kid, ctr, header: a spread of C.1's cases, every length of both fields. */
  static final String[][] HEADERS = {
    {"0000000000000000", "0000000000000000", "00"},
    {"0000000000000000", "0000000000000001", "01"},
    {"0000000000000000", "00000000000000ff", "08ff"},
    {"0000000000000000", "0000000000000100", "090100"},
    {"0000000000000001", "000000000000ffff", "19ffff"},
    {"0000000000000000", "0000000001000000", "0b01000000"},
    {"00000000000000ff", "0000000000000000", "80ff"},
    {"0000000000000100", "00000000000000ff", "980100ff"},
    {"0000ffffffffffff", "0000000001000000", "dbffffffffffff01000000"},
    {"0001000000000000", "0000000000000000", "e001000000000000"},
    {"0001000000000000", "0000ffffffffffff", "ed01000000000000ffffffffffff"},
    {"00ffffffffffffff", "0100000000000000", "efffffffffffffff0100000000000000"},
    {"0100000000000000", "0100000000000000", "ff01000000000000000100000000000000"},
    {"ffffffffffffffff", "ffffffffffffffff", "ffffffffffffffffffffffffffffffffff"},
  };

  @Test
  void headersEncodeAndParseAsAppendixC1() {
    for (String[] v : HEADERS) {
      long kid = Long.parseUnsignedLong(v[0], 16);
      long ctr = Long.parseUnsignedLong(v[1], 16);
      assertEquals(v[2], HEX.formatHex(SFrame.header(kid, ctr)), "kid " + v[0] + " ctr " + v[1]);
      SFrame.Header h = SFrame.parseHeader(HEX.parseHex(v[2] + "abcdef"));
      assertEquals(kid, h.kid);
      assertEquals(ctr, h.ctr);
      assertEquals(v[2].length() / 2, h.length);
    }
  }

  @Test
  void aes128GcmSha256EncryptsAndDecryptsAsAppendixC3() throws Exception {
    long kid = 0x123;
    long ctr = 0x4567;
    byte[] baseKey = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    assertEquals(
        "534672616d6520312e3020536563726574206b65792000000000000001230004",
        HEX.formatHex(SFrame.keyLabel(kid)));
    assertEquals(
        "534672616d6520312e30205365637265742073616c742000000000000001230004",
        HEX.formatHex(SFrame.saltLabel(kid)));
    assertEquals(
        "d34f547f4ca4f9a7447006fe7fcbf768",
        HEX.formatHex(JdkCrypto.hkdfSha256(baseKey, SFrame.keyLabel(kid), 16)));
    assertEquals(
        "75234edefe07819026751816",
        HEX.formatHex(JdkCrypto.hkdfSha256(baseKey, SFrame.saltLabel(kid), 12)));
    assertEquals(
        "75234edefe07819026755d71",
        HEX.formatHex(SFrame.nonce(HEX.parseHex("75234edefe07819026751816"), ctr)));

    byte[] metadata = HEX.parseHex("4945544620534672616d65205747");
    byte[] pt = HEX.parseHex("64726166742d696574662d736672616d652d656e63");
    byte[] ct =
        HEX.parseHex(
            "9901234567b7412c2513a1b66dbb48841bbaf17f598751176ad847681a69c6d0b091c07018ce4adb34eb");
    JdkCrypto crypto = new JdkCrypto();
    SFrameKey key = await(d -> SFrameKey.derive(crypto, baseKey, kid, d));
    assertArrayEquals(ct, await(d -> key.encrypt(crypto, ctr, metadata, pt, d)));
    assertArrayEquals(pt, await(d -> key.decrypt(crypto, metadata, ct, d)));
  }

  @Test
  void theKnownAnswerTestThePageRunsPassesOnTheJdkToo() {
    String ct = SFrameVectorsTest.<String>await(d -> KnownAnswer.run(new JdkCrypto(), d));
    assertEquals(KnownAnswer.CT, ct);
    assertEquals(
        "9901234567b7412c2513a1b66dbb48841bbaf17f598751176ad847681a69c6d0b091c07018ce4adb34eb",
        KnownAnswer.CT,
        "the RFC's value");
  }

  interface Call<T> {
    void run(E2eeCrypto.Result<T> done);
  }

  static <T> T await(Call<T> call) {
    AtomicReference<T> value = new AtomicReference<>();
    AtomicReference<String> failure = new AtomicReference<>();
    call.run(
        new E2eeCrypto.Result<>() {
          @Override
          public void ok(T v) {
            value.set(v);
          }

          @Override
          public void failed(String why) {
            failure.set(why);
          }
        });
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    return value.get();
  }
}
