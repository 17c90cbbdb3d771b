package dev.videocall.server.core;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Server-wide counters (nothing is dropped or refused without one of these moving) and the latency
 * histograms, in a Prometheus registry of this instance ({@code /metrics}).
 */
public final class Counters {
  /** Every counter the server keeps, with its Prometheus name and help text. */
  public enum Name {
    PACKETS_RECEIVED("videocall_packets_received_total", "Packets received from clients"),
    PACKETS_DELIVERED("videocall_packets_delivered_total", "Packets handed to a receiver's link"),
    BYTES_DELIVERED("videocall_bytes_delivered_total", "Bytes handed to receivers' links"),
    DROPPED_UNKNOWN_TYPE(
        "videocall_dropped_unknown_type_total", "Client packets of an unknown or empty type"),
    DROPPED_SERVER_ONLY_TYPE(
        "videocall_dropped_server_only_type_total",
        "Client packets of a type only the server may send"),
    DROPPED_VIDEO_DELTA(
        "videocall_dropped_video_delta_total", "Video delta frames dropped for slow receivers"),
    DROPPED_VIDEO_UPPER_TEMPORAL(
        "videocall_dropped_video_upper_temporal_total",
        "Of the video delta frames dropped for slow receivers, those of temporal layers above the"
            + " base (the picture goes on at a lower frame rate)"),
    DROPPED_VIDEO_KEY(
        "videocall_dropped_video_key_total", "Video keyframes dropped for slow receivers"),
    DROPPED_AUDIO("videocall_dropped_audio_total", "Audio frames dropped for slow receivers"),
    DROPPED_BAD_LAYER(
        "videocall_dropped_bad_layer_total",
        "Camera frames naming a spatial layer beyond the three a sender may publish"),
    DROPPED_REPORT_REFUSED(
        "videocall_dropped_report_refused_total",
        "Receiver reports that did not parse or listed too many tiles"),
    LAYER_NOT_FORWARDED(
        "videocall_layer_not_forwarded_total",
        "Camera frames of a spatial layer a receiver was not switched to (simulcast)"),
    TEMPORAL_LAYER_NOT_FORWARDED(
        "videocall_temporal_layer_not_forwarded_total",
        "Video frames of a temporal layer a congested receiver's link did not take (they come back"
            + " one per keyframe of the sender's)"),
    LAYER_SWITCHES(
        "videocall_layer_switches_total", "A receiver switched to another layer of a sender"),
    PADDING_BYTES("videocall_padding_bytes_total", "Filler bytes sent to probe receivers' links"),
    LAYER_DEMANDS("videocall_layer_demands_total", "Layer demands sent to senders (dynacast)"),
    KEYFRAME_REQUESTS(
        "videocall_keyframe_requests_total", "Keyframes requested by the server for receivers"),
    HEALTH_REPORTS("videocall_health_reports_total", "Health packets received from clients"),
    RECEIVER_REPORTS(
        "videocall_receiver_reports_total", "Receiver reports (bytes received, tile sizes)"),
    RTT_ECHOES("videocall_rtt_echoes_total", "RTT probes echoed to their sender"),
    CLOSED_TOO_BIG("videocall_closed_too_big_total", "Sessions closed for an oversized packet"),
    CLOSED_UNPARSEABLE(
        "videocall_closed_unparseable_total", "Sessions closed for a packet that did not parse"),
    CLOSED_HEARTBEAT_TIMEOUT(
        "videocall_closed_heartbeat_timeout_total", "Sessions closed for silence"),
    CLOSED_TOO_SLOW(
        "videocall_closed_too_slow_total", "Sessions closed because their queue overflowed"),
    CLOSED_REPLACED(
        "videocall_closed_replaced_total", "Sessions closed because the same user joined again"),
    SESSIONS_OPENED("videocall_sessions_opened_total", "Sessions accepted"),
    BUS_NOT_SENT_WHILE_DOWN(
        "videocall_bus_not_sent_while_down_total",
        "Packets not sent to other instances because the bus was unreachable"),
    BUS_NOT_SENT_TOO_BIG(
        "videocall_bus_not_sent_too_big_total",
        "Packets not sent to other instances because they exceed the bus's payload limit"),
    BUS_MALFORMED(
        "videocall_bus_malformed_total", "Messages from other instances that did not parse"),
    PRESENCE_PUBLISHED(
        "videocall_presence_published_total", "Presence messages sent to other instances"),
    DROPPED_CONTROL_TOO_BIG(
        "videocall_dropped_control_too_big_total",
        "Client control packets over --max-control-bytes, not relayed"),
    DROPPED_CHAT_REFUSED(
        "videocall_dropped_chat_refused_total",
        "Chat messages or reactions refused: empty, malformed or over --max-chat-chars"),
    DROPPED_UNTARGETED_KEYFRAME_REQUEST(
        "videocall_dropped_untargeted_keyframe_request_total",
        "Keyframe requests without a target session, not relayed"),
    DROPPED_RATE_LIMITED(
        "videocall_dropped_rate_limited_total",
        "Client control packets over --control-packets-per-second, not relayed"),
    DROPPED_KEYFRAME_REQUEST_COALESCED(
        "videocall_dropped_keyframe_request_coalesced_total",
        "Keyframe requests not passed on because one for the same stream just was"),
    BUS_REJECTED(
        "videocall_bus_rejected_total",
        "Messages from NATS refused: not a packet a client could have sent through a server"),
    PRESENCE_REJECTED(
        "videocall_presence_rejected_total",
        "Presence claims about sessions another instance owns, ignored"),
    PRESENCE_HELLO_IGNORED(
        "videocall_presence_hello_ignored_total",
        "Roster requests (HELLO) answered by an already pending roster, not another one"),
    REFUSED_SESSIONS_LIMIT(
        "videocall_refused_sessions_limit_total", "Sessions refused: --max-sessions reached"),
    REFUSED_SESSIONS_PER_IP(
        "videocall_refused_sessions_per_ip_total",
        "Sessions refused: --max-sessions-per-ip reached for the client's address"),
    REFUSED_BAD_REQUEST(
        "videocall_refused_bad_request_total",
        "Session requests refused before the upgrade: bad ids, display name or query"),
    WEBTRANSPORT_STREAMS_REFUSED(
        "videocall_webtransport_streams_refused_total",
        "WebTransport streams discarded: unknown type, or no live session of their connection"),
    WEBTRANSPORT_BUFFER_LIMIT(
        "videocall_webtransport_buffer_limit_total",
        "WebTransport connections closed for holding more unfinished packet bytes than allowed"),
    WEBTRANSPORT_CONNECTIONS_REFUSED(
        "videocall_webtransport_connections_refused_total",
        "QUIC connections refused: the client's address has --max-sessions-per-ip connections"),
    WEBTRANSPORT_SESSIONS_REFUSED(
        "videocall_webtransport_sessions_refused_total",
        "WebTransport sessions refused: more than --max-sessions-per-connection on a connection"),
    HTTP_SLOW_REQUESTS_CLOSED(
        "videocall_http_slow_requests_closed_total",
        "HTTP connections closed for not completing request headers within --header-timeout-ms"),
    CLOSED_REMOVED("videocall_closed_removed_total", "Sessions closed because a host removed them"),
    CLOSED_MEETING_ENDED(
        "videocall_closed_meeting_ended_total", "Sessions closed because a host ended the meeting"),
    NOTICES_REJECTED(
        "videocall_notices_rejected_total",
        "Server notices from other instances that did not parse or were not allowed"),
    REFUSED_TOKEN_MISSING(
        "videocall_refused_token_missing_total", "Media connections refused: no room token"),
    REFUSED_TOKEN_EXPIRED(
        "videocall_refused_token_expired_total", "Media connections refused: an expired token"),
    REFUSED_TOKEN_INVALID(
        "videocall_refused_token_invalid_total",
        "Media connections refused: a forged token, or one for another meeting or purpose"),
    REFUSED_STALE_ATTEMPT(
        "videocall_refused_stale_attempt_total",
        "Media connections refused: an older connection of a page that uses a newer one already"
            + " (a WebTransport attempt that arrived after the page fell back to WebSocket)"),
    REFUSED_E2EE_MISMATCH(
        "videocall_refused_e2ee_mismatch_total",
        "Media connections refused: a client that does not encrypt in an end-to-end encrypted"
            + " meeting, or the other way round"),
    REFUSED_NOT_ADMITTED(
        "videocall_refused_not_admitted_total",
        "Media connections refused: waiting, rejected, removed, or the meeting ended"),
    API_UNAUTHENTICATED(
        "videocall_api_unauthenticated_total",
        "API requests refused: no identity token, or an invalid or expired one"),
    API_NOT_HOST(
        "videocall_api_not_host_total",
        "Moderation requests refused: the caller is not a host of the meeting"),
    API_RATE_LIMITED(
        "videocall_api_rate_limited_total",
        "API requests refused: over --api-requests-per-second from one address"),
    API_BAD_REQUEST(
        "videocall_api_bad_request_total", "API requests refused: malformed body or ids"),
    JOIN_REFUSED(
        "videocall_join_refused_total",
        "Join requests refused: locked, ended, rejected, removed, or the waiting room is full"),
    JOIN_WAITING("videocall_join_waiting_total", "Join requests placed in a waiting room"),
    JOIN_ADMITTED("videocall_join_admitted_total", "Room tokens issued"),
    HOSTS_PROMOTED(
        "videocall_hosts_promoted_total", "Participants made host because the last host left"),
    MEETINGS_PURGED(
        "videocall_meetings_purged_total",
        "Meetings deleted after --meeting-retention-days without anyone joining");

    final String metric;
    final String help;

    /** The Prometheus name, e.g. {@code videocall_packets_received_total}. */
    public String metric() {
      return metric;
    }

    Name(String metric, String help) {
      this.metric = metric;
      this.help = help;
    }
  }

  /** Relay latency, outbox delay and join time buckets: 0.1 ms to 10 s. */
  private static final double[] SECONDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Map<Name, Counter> values = new EnumMap<>(Name.class);
  private final Histogram relay =
      Histogram.builder()
          .name("videocall_relay_seconds")
          .help("Time from a client packet's arrival to its fan-out into every receiver's queue")
          .classicUpperBounds(SECONDS)
          .classicOnly()
          .register(registry);
  private final Histogram outboxDelay =
      Histogram.builder()
          .name("videocall_outbox_delay_seconds")
          .help("Time from a packet's arrival to its write to one receiver's connection")
          .classicUpperBounds(SECONDS)
          .classicOnly()
          .register(registry);
  private final Histogram join =
      Histogram.builder()
          .name("videocall_join_seconds")
          .help("Time from a connection's admission decision to its session in the meeting")
          .classicUpperBounds(SECONDS)
          .classicOnly()
          .register(registry);

  public Counters() {
    for (Name n : Name.values()) {
      // the _total suffix is the exposition's: the client takes the name without it
      String base = n.metric.substring(0, n.metric.length() - "_total".length());
      values.put(n, Counter.builder().name(base).help(n.help).register(registry));
    }
  }

  public void inc(Name name) {
    values.get(name).inc();
  }

  public void add(Name name, long delta) {
    values.get(name).inc(delta);
  }

  public long get(Name name) {
    return values.get(name).getLongValue();
  }

  /** A packet's arrival was {@code sinceNanos} ({@link System#nanoTime}) ago. */
  public void relayed(long sinceNanos) {
    relay.observe((System.nanoTime() - sinceNanos) / 1e9);
  }

  /** A packet that arrived at {@code arrivedNanos} was written to a receiver now. */
  public void written(long arrivedNanos) {
    outboxDelay.observe((System.nanoTime() - arrivedNanos) / 1e9);
  }

  /** A session joined its meeting; its admission was decided at {@code admittedNanos}. */
  public void joined(long admittedNanos) {
    join.observe((System.nanoTime() - admittedNanos) / 1e9);
  }

  /** Where gauges and JVM metrics are registered too; {@code /metrics} scrapes it. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The non-zero counters, for logs and test failure messages. */
  public String snapshot() {
    StringBuilder out = new StringBuilder();
    for (Name n : Name.values()) {
      long v = get(n);
      if (v != 0) {
        out.append(out.length() == 0 ? "" : ", ").append(n.metric).append('=').append(v);
      }
    }
    return out.toString();
  }
}
