package dev.videocall.web.app;

import dev.videocall.web.browser.FrameReader;
import dev.videocall.web.browser.Page;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.teavm.jso.JSObject;

/** Reads a track's frames one after another until the track ends or the owner stops. */
final class FramePump {
  private FramePump() {}

  /** VideoFrame.close() or AudioData.close(). */
  @org.teavm.jso.JSBody(params = "frame", script = "if (frame && frame.close) frame.close();")
  private static native void close(JSObject frame);

  static <T extends JSObject> void run(
      FrameReader<T> reader, Consumer<T> onFrame, BooleanSupplier stopped, String what) {
    reader
        .read()
        .then(
            result -> {
              if (result.isDone()) {
                return null;
              }
              if (stopped.getAsBoolean()) {
                // the owner stopped while this read was pending: the frame is nobody's, and an
                // unclosed frame holds one of the camera's few capture buffers until GC
                close(result.getValue());
                return null;
              }
              onFrame.accept(result.getValue());
              run(reader, onFrame, stopped, what);
              return null;
            },
            error -> {
              Page.log(what + " stream ended: " + Page.message((JSObject) error));
              return null;
            });
  }
}
