package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.dom.html.HTMLCanvasElement;

/** Drawing VideoFrames on a canvas. */
public final class Canvas {
  private Canvas() {}

  /** Resizes the canvas to the frame when needed, draws it, and closes the frame. */
  @JSBody(
      params = {"canvas", "frame"},
      script =
          "var vcWidth = frame.displayWidth, vcHeight = frame.displayHeight;"
              + "if (canvas.width !== vcWidth || canvas.height !== vcHeight) {"
              + " canvas.width = vcWidth; canvas.height = vcHeight; }"
              + "canvas.getContext('2d').drawImage(frame, 0, 0, vcWidth, vcHeight);"
              + "frame.close();")
  public static native void drawAndClose(HTMLCanvasElement canvas, VideoFrame frame);

  /**
   * A copy of {@code frame} in a format every encoder takes (BGRA, drawn on an offscreen canvas),
   * with its timestamp; {@code frame} is closed. For cameras whose frames have no format an encoder
   * knows ({@link VideoFrame#getFormat()} null): without it, each such frame is an "Encoding error"
   * and nothing is sent.
   */
  @JSBody(
      params = "frame",
      script =
          "var vcW = frame.displayWidth, vcH = frame.displayHeight;"
              + "var vcC = self.vcConvertCanvas;"
              + "if (!vcC || vcC.width !== vcW || vcC.height !== vcH) {"
              + " vcC = self.vcConvertCanvas = new OffscreenCanvas(vcW, vcH); }"
              + "vcC.getContext('2d').drawImage(frame, 0, 0, vcW, vcH);"
              + "var vcOut = new VideoFrame(vcC, {timestamp: frame.timestamp});"
              + "frame.close(); return vcOut;")
  public static native VideoFrame convertible(VideoFrame frame);
}
