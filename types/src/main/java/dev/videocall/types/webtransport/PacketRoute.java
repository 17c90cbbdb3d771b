package dev.videocall.types.webtransport;

/**
 * The WebTransport packet mapping, the one definition used by the server, the Java client and the
 * page (TeaVM-safe). Each packet goes:
 *
 * <ul>
 *   <li>{@link #DATAGRAM}: audio that fits {@link #MAX_DATAGRAM_PAYLOAD}: late audio is useless, so
 *       it is not retransmitted and nothing waits for it;
 *   <li>{@link #OWN_STREAM}: audio too large for a datagram, on a unidirectional stream of its own;
 *   <li>{@link #NEW_GROUP} / {@link #GROUP}: video and screen frames on one unidirectional stream
 *       per sender, stream (camera, screen) and group of pictures: a keyframe starts a new stream,
 *       the delta frames that depend on it follow on that stream, in order. The network cannot
 *       reorder a group, and a lost packet delays only frames that could not be decoded before it
 *       anyway;
 *   <li>{@link #CONTROL}: everything else (meeting events, keyframe requests, keys, heartbeats,
 *       chat) on one long-lived unidirectional stream per direction, in order.
 * </ul>
 *
 * Streams carry varint-length-prefixed packets and receivers read every stream incrementally; a
 * datagram carries one packet. Receivers still check order ({@code FrameOrder}): groups are read
 * concurrently, so the tail of one group can arrive after the next group's keyframe.
 */
public enum PacketRoute {
  DATAGRAM,
  OWN_STREAM,
  NEW_GROUP,
  GROUP,
  CONTROL;

  /** Conservative datagram payload that fits a 1200-byte QUIC packet with its headers. */
  public static final int MAX_DATAGRAM_PAYLOAD = 1000;

  /** Media kinds, as in {@code PacketWrapper.media_kind}. */
  public static final int KIND_VIDEO = 1;

  public static final int KIND_AUDIO = 2;
  public static final int KIND_SCREEN = 3;

  /**
   * Where a packet goes.
   *
   * @param mediaKind the wrapper's media kind (0 for anything that is not audio or video)
   * @param keyframe for video and screen frames: whether it starts a group of pictures
   * @param length the encoded packet's length in bytes
   */
  public static PacketRoute of(int mediaKind, boolean keyframe, int length) {
    switch (mediaKind) {
      case KIND_AUDIO:
        return length <= MAX_DATAGRAM_PAYLOAD ? DATAGRAM : OWN_STREAM;
      case KIND_VIDEO:
      case KIND_SCREEN:
        return keyframe ? NEW_GROUP : GROUP;
      default:
        return CONTROL;
    }
  }

  /** True for the two video routes, whose packets travel in groups. */
  public boolean grouped() {
    return this == NEW_GROUP || this == GROUP;
  }
}
