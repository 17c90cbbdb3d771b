package dev.videocall.webtransport;

import dev.videocall.types.webtransport.WebTransportProtocol;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import java.util.Set;

/** The QUIC transport parameters and HTTP/3 SETTINGS both ends of a WebTransport session use. */
public final class WebTransportQuic {
  private static final Set<Long> WEBTRANSPORT_SETTINGS =
      Set.of(
          WebTransportProtocol.SETTINGS_ENABLE_WEBTRANSPORT,
          WebTransportProtocol.SETTINGS_WEBTRANSPORT_MAX_SESSIONS,
          WebTransportProtocol.SETTINGS_WT_MAX_SESSIONS);

  private WebTransportQuic() {}

  /**
   * Flow-control windows and datagrams. {@code maxStreams} is how many unidirectional streams the
   * peer may have open at once (bidirectional ones: a few, for sessions): a server bounds what one
   * client can make it hold; a client can allow its server more (a stream per sender and group of
   * pictures).
   */
  public static <B extends QuicCodecBuilder<B>> B transportParameters(B builder, int maxStreams) {
    return builder
        .initialMaxData(16 << 20)
        .initialMaxStreamDataBidirectionalLocal(1 << 20)
        .initialMaxStreamDataBidirectionalRemote(1 << 20)
        .initialMaxStreamDataUnidirectional(4 << 20)
        .initialMaxStreamsBidirectional(32)
        .initialMaxStreamsUnidirectional(maxStreams)
        .datagram(2048, 2048);
  }

  /**
   * SETTINGS advertising WebTransport in every draft's spelling Chromium may check; a server also
   * enables extended CONNECT.
   */
  public static Http3Settings settings(boolean server) {
    Http3Settings settings = new Http3Settings(validator()).enableH3Datagram(true);
    if (server) {
      settings.enableConnectProtocol(true);
    }
    settings.put(WebTransportProtocol.SETTINGS_ENABLE_WEBTRANSPORT, 1L);
    settings.put(WebTransportProtocol.SETTINGS_WEBTRANSPORT_MAX_SESSIONS, 16L);
    settings.put(WebTransportProtocol.SETTINGS_WT_MAX_SESSIONS, 16L);
    return settings;
  }

  /** Accepts the non-standard WebTransport setting ids (Netty refuses unknown ones otherwise). */
  public static Http3Settings.NonStandardHttp3SettingsValidator validator() {
    return (key, value) -> WEBTRANSPORT_SETTINGS.contains(key);
  }
}
