package dev.videocall.types.wire;

/** Bytes that are not a valid encoding of the expected message. */
public final class WireFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }
}
