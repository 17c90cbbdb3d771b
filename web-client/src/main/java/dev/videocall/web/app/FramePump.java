package dev.videocall.web.app;

import dev.videocall.web.browser.FrameReader;
import dev.videocall.web.browser.Page;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.teavm.jso.JSObject;

/** Reads a track's frames one after another until the track ends or the owner stops. */
final class FramePump {
  private FramePump() {}

  static <T extends JSObject> void run(
      FrameReader<T> reader, Consumer<T> onFrame, BooleanSupplier stopped, String what) {
    reader
        .read()
        .then(
            result -> {
              if (result.isDone() || stopped.getAsBoolean()) {
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
