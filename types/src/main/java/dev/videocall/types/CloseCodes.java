package dev.videocall.types;

/**
 * Why the server closes a session. WebSocket close codes; WebTransport reuses the numbers as the
 * session's application error code.
 */
public final class CloseCodes {
  /** A packet that is not a PacketWrapper (RFC 6455: invalid frame payload data). */
  public static final int UNPARSEABLE = 1007;

  /** A packet larger than the server's limit (RFC 6455: message too big). */
  public static final int TOO_BIG = 1009;

  /** Nothing received for longer than the heartbeat timeout. */
  public static final int HEARTBEAT_TIMEOUT = 4000;

  /** The same user joined the same meeting again; the older session is closed. */
  public static final int REPLACED = 4001;

  /** The receiver could not keep up even with video dropped; its outbound queue overflowed. */
  public static final int TOO_SLOW = 4002;

  /** A host removed this participant; its token no longer admits it. */
  public static final int REMOVED = 4003;

  /** The meeting was ended for everyone by a host. */
  public static final int MEETING_ENDED = 4004;

  /**
   * The meeting is end-to-end encrypted and this client does not encrypt, or the other way round
   * (open mode, where the first participant's choice sets the meeting's). Not retried.
   */
  public static final int E2EE_MISMATCH = 4005;

  /**
   * An older connection of the same page reached the server after a newer one (see {@link
   * ConnectionAttempt}): refused, the newer session stays. A page never uses such a connection; a
   * client that did could reconnect (its next attempt is the newest).
   */
  public static final int STALE_ATTEMPT = 4006;

  /** A limit of the server was reached (sessions in all, or from one address): try later. */
  public static final int TRY_AGAIN_LATER = 1013;

  /**
   * Close codes after which a client must not reconnect by itself: the same participant joined from
   * elsewhere (reconnecting would evict that one, and so on forever), a host removed it, or the
   * meeting ended.
   */
  public static boolean forbidsReconnect(int code) {
    return code == REPLACED || code == REMOVED || code == MEETING_ENDED || code == E2EE_MISMATCH;
  }

  /** The server is shutting down. */
  public static final int SERVER_SHUTDOWN = 1001;

  private CloseCodes() {}
}
