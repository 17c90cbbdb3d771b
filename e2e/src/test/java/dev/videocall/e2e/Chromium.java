package dev.videocall.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine's Chromium with a fake camera and microphone, driven by Playwright. */
final class Chromium implements AutoCloseable {
  private final Playwright playwright;
  final Browser browser;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Chromium from -Dchromium.path, $CHROMIUM_PATH, or /usr/bin/chromium. */
  static Chromium launch() {
    return launch(List.of());
  }

  /** With a known-content camera: the fake camera plays {@code video} (a Y4M file), looping. */
  static Chromium withCamera(Path video) {
    return launch(List.of("--use-file-for-fake-video-capture=" + video.toAbsolutePath()));
  }

  /** Chromium with extra command-line switches. */
  static Chromium launch(List<String> extraArgs) {
    return launch(extraArgs, true);
  }

  /**
   * Chromium that shares the tab titled {@code title} when a page asks to share a screen: without
   * the fake permission UI (with it, getDisplayMedia gives a plain green fake screen), so camera
   * and microphone must be granted by the context. The camera plays {@code video}.
   */
  static Chromium sharingTab(String title, Path video) {
    return launch(
        List.of(
            "--auto-select-tab-capture-source-by-title=" + title,
            "--use-file-for-fake-video-capture=" + video.toAbsolutePath()),
        false);
  }

  private static Chromium launch(List<String> extraArgs, boolean fakeUi) {
    String path = System.getProperty("chromium.path");
    if (System.getenv("CHROMIUM_PATH") != null) {
      path = System.getenv("CHROMIUM_PATH");
    }
    if (path == null || path.isBlank()) {
      path = "/usr/bin/chromium";
    }
    if (!Files.isExecutable(Path.of(path))) {
      throw new IllegalStateException(
          "Chromium not found at "
              + path
              + ": install it (apt-get install chromium) or pass -Dchromium.path=...");
    }
    Playwright playwright = Playwright.create();
    Browser browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(Path.of(path))
                    .setHeadless(true)
                    .setArgs(args(extraArgs, fakeUi)));
    return new Chromium(playwright, browser);
  }

  private static List<String> args(List<String> extra, boolean fakeUi) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--no-sandbox",
                "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run"));
    if (fakeUi) {
      args.add("--use-fake-ui-for-media-stream");
    }
    if (Boolean.getBoolean("chromium.log")) {
      // the browser's own log on stderr (seen with DEBUG=pw:browser): why a renderer crashed
      args.add("--enable-logging=stderr");
      args.add("--v=0");
    }
    args.addAll(extra);
    return args;
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
