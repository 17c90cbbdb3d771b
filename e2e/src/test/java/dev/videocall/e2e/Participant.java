package dev.videocall.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** One person in a browser tab of their own (own context: own devices, own storage). */
final class Participant implements AutoCloseable {
  final String user;
  final BrowserContext context;
  final Page page;
  final List<String> console = Collections.synchronizedList(new ArrayList<>());

  Participant(Browser browser, String user) {
    this.user = user;
    this.context =
        browser.newContext(
            new Browser.NewContextOptions().setPermissions(List.of("camera", "microphone")));
    this.page = context.newPage();
    page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
    page.onPageError(e -> console.add("pageerror: " + e));
  }

  /** Opens the meeting page and waits until the camera preview is ready to connect. */
  Participant open(String url) {
    page.navigate(url);
    page.waitForSelector("html[data-state=ready]");
    return this;
  }

  /** Presses Connect; returns when the server has assigned the session. */
  Participant connect() {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join now")).click();
    page.waitForSelector("html[data-state=connected]");
    return this;
  }

  /** Turns the camera off on the pre-join screen, then presses Join. */
  Participant connectWithoutCamera() {
    page.click("#join-toggle-camera");
    return connect();
  }

  Locator tile(String peer) {
    return page.locator("[data-peer-id=\"" + peer + "\"]");
  }

  /**
   * Sends this page's WebTransport session to {@code udpPort} on this machine (a link emulator, or
   * nothing at all) instead of the server's: the discovery answer is rewritten. Before {@link
   * #open}.
   */
  void webTransportTo(int udpPort) {
    context.route(
        "**/api/webtransport",
        (com.microsoft.playwright.Route route) -> {
          String body = route.fetch().text();
          route.fulfill(
              new com.microsoft.playwright.Route.FulfillOptions()
                  .setStatus(200)
                  .setContentType("application/json")
                  .setBody(
                      body.replaceFirst(
                          "(\"url\"\\s*:\\s*\"https://[^:\"]+:)\\d+", "$1" + udpPort)));
        });
  }

  long framesDecoded(String peer) {
    return attributeNumber(peer, "data-frames-decoded");
  }

  long audioFramesDecoded(String peer) {
    return attributeNumber(peer, "data-audio-frames-decoded");
  }

  /** A script's value in the page, as a string ("" for undefined or null). */
  String js(String script) {
    Object v = page.evaluate(script);
    return v == null ? "" : v.toString();
  }

  /** The page's clock, {@code performance.now()}, in milliseconds. */
  double pageNowMs() {
    return ((Number) page.evaluate("performance.now()")).doubleValue();
  }

  String tileAttribute(String peer, String name) {
    return tile(peer).getAttribute(name);
  }

  private long attributeNumber(String peer, String name) {
    if (tile(peer).count() == 0) {
      return 0;
    }
    String v = tile(peer).getAttribute(name);
    return v == null ? 0 : Long.parseLong(v);
  }

  /**
   * Pixel statistics of the peer's canvas: mean and standard deviation of luma, plus a coarse 8x8
   * luma signature to tell one picture from the next.
   */
  CanvasStats canvasStats(String peer) {
    @SuppressWarnings("unchecked")
    Map<String, Object> r =
        (Map<String, Object>)
            page.evaluate(
                "sel => { const c = document.querySelector(sel);"
                    + " if (!c || !c.width) return {mean: 0, std: 0, width: 0, signature: ''};"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + " let sum = 0, sq = 0, n = 0;"
                    + " for (let i = 0; i < d.length; i += 4 * 7) {"
                    + "  const v = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];"
                    + "  sum += v; sq += v * v; n++; }"
                    + " const mean = sum / n; const sig = [];"
                    + " for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {"
                    + "  const px = Math.floor((x + 0.5) * c.width / 8),"
                    + "   py = Math.floor((y + 0.5) * c.height / 8), o = (py * c.width + px) * 4;"
                    + "  sig.push(Math.round((d[o] + d[o + 1] + d[o + 2]) / 48)); }"
                    + " return {mean: mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)),"
                    + "  width: c.width, signature: sig.join(',')}; }",
                "[data-peer-id=\"" + peer + "\"] canvas");
    return new CanvasStats(
        ((Number) r.get("mean")).doubleValue(),
        ((Number) r.get("std")).doubleValue(),
        ((Number) r.get("width")).intValue(),
        (String) r.get("signature"));
  }

  /** The RGB colour at a point of a peer's canvas, given as fractions of its width and height. */
  int[] pixelAt(String peer, double fx, double fy) {
    @SuppressWarnings("unchecked")
    java.util.List<Number> rgb =
        (java.util.List<Number>)
            page.evaluate(
                "a => { const c = document.querySelector(a[0]);"
                    + " if (!c || !c.width) return [-1, -1, -1];"
                    + " const d = c.getContext('2d').getImageData("
                    + "  Math.floor(a[1] * c.width), Math.floor(a[2] * c.height), 1, 1).data;"
                    + " return [d[0], d[1], d[2]]; }",
                java.util.List.of("[data-peer-id=\"" + peer + "\"] canvas", fx, fy));
    return new int[] {rgb.get(0).intValue(), rgb.get(1).intValue(), rgb.get(2).intValue()};
  }

  record CanvasStats(double mean, double std, int width, String signature) {
    boolean looksLikeAPicture() {
      return width > 0 && std > 5 && mean > 5 && mean < 250;
    }
  }

  /**
   * Clicks a button from inside the page and returns the page's {@code Date.now()} at the click:
   * wall-clock milliseconds comparable across tabs on this machine.
   */
  long clickAt(String buttonName) {
    Object at =
        page.evaluate(
            "name => { const b = [...document.querySelectorAll('button')]"
                + ".find(x => x.offsetParent !== null"
                + " && (x.getAttribute('aria-label') || x.textContent.trim()) === name);"
                + " if (!b) throw new Error('no button ' + name);"
                + " const t = Date.now(); b.click(); return t; }",
            buttonName);
    return ((Number) at).longValue();
  }

  /**
   * Starts recording, inside the page, the first {@code Date.now()} at which the JavaScript
   * predicate {@code condition} holds, re-checked on every DOM change; see {@link #observedAt}.
   */
  void watch(String key, String condition) {
    page.evaluate(
        "([key, src]) => { const test = new Function('return (' + src + ');');"
            + " window.__vcWatch = window.__vcWatch || {};"
            + " const check = () => { if (!(key in window.__vcWatch) && test())"
            + "  window.__vcWatch[key] = Date.now(); };"
            + " new MutationObserver(check).observe(document.documentElement,"
            + "  {subtree: true, childList: true, attributes: true}); check(); }",
        List.of(key, condition));
  }

  /** When {@link #watch}'s condition first held, or null if it has not yet. */
  Long observedAt(String key) {
    Object v =
        page.evaluate(
            "key => (window.__vcWatch || {})[key] === undefined ? null : window.__vcWatch[key]",
            key);
    return v == null ? null : ((Number) v).longValue();
  }

  /** The page's own milliseconds from Connect to the peer's first decoded frame, or -1. */
  long firstFrameMsAfterConnect(String peer) {
    return tileNumber(peer, "data-first-frame-ms");
  }

  /** The page's own milliseconds from joining (session assigned) to the peer's first frame. */
  long firstFrameMsAfterJoin(String peer) {
    return tileNumber(peer, "data-first-frame-after-join-ms");
  }

  private long tileNumber(String peer, String attribute) {
    if (tile(peer).count() == 0) {
      return -1;
    }
    String v = tile(peer).getAttribute(attribute);
    return v == null ? -1 : Long.parseLong(v);
  }

  void click(String buttonName) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(buttonName)).click();
  }

  /** Polls a condition every 50 ms; fails with {@code what} when it does not hold in time. */
  static void waitUntil(String what, Duration timeout, BooleanSupplier condition) {
    waitUntil(what, timeout, Duration.ofMillis(50), condition);
  }

  /**
   * As {@link #waitUntil(String, Duration, BooleanSupplier)}, asking every {@code poll}: each ask
   * runs in the page, and a test that measures a page on two cores asks seldom.
   */
  static void waitUntil(String what, Duration timeout, Duration poll, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  void screenshot(Path file) {
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
  }

  @Override
  public void close() {
    context.close();
  }
}
