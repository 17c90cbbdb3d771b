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
}
