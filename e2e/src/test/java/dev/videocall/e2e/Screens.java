package dev.videocall.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** What the page tests share: a person at a window size, screenshots, and "it fits" checks. */
final class Screens {
  private Screens() {}

  /** A page in a context of its own at {@code w} x {@code h} (a phone below 640 px: touch). */
  static Page open(Chromium chromium, List<BrowserContext> contexts, int w, int h) {
    BrowserContext c =
        chromium.browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(w, h)
                .setHasTouch(w < 640)
                .setIsMobile(w < 640)
                .setPermissions(List.of("camera", "microphone", "clipboard-write")));
    contexts.add(c);
    return c.newPage();
  }

  /** Screenshots of one person's page, numbered by state. */
  record Shots(Page page, String prefix) {
    void take(String state) throws java.io.IOException {
      Files.createDirectories(Artifacts.DIR);
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(Artifacts.DIR.resolve(prefix + "-" + state + ".png")));
    }
  }

  /**
   * Every visible element that matches {@code selector} is inside the window, and what can be
   * clicked is big enough: 44 x 44 px on a phone (a fingertip, WCAG 2.5.5), 24 x 24 with a mouse
   * (WCAG 2.5.8).
   */
  static void assertFits(Page page, String selector) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> bad =
        (List<Map<String, Object>>)
            page.evaluate(
                "sel => { const W = innerWidth, H = innerHeight, out = [];"
                    + " for (const e of document.querySelectorAll(sel)) {"
                    + "  if (!(e.offsetWidth || e.offsetHeight)) continue;"
                    + "  const r = e.getBoundingClientRect();"
                    + "  const what = e.id || e.getAttribute('aria-label') || e.textContent.trim();"
                    + "  if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1)"
                    + "   out.push({outside: what, l: r.left, t: r.top, r: r.right, b: r.bottom});"
                    + "  if ((e.tagName === 'BUTTON' || e.tagName === 'A' || e.tagName === 'SELECT')"
                    + "      && Math.min(r.width, r.height) < (innerWidth < 640 ? 44 : 24) - 0.5)"
                    + "   out.push({small: what, w: r.width, h: r.height}); }"
                    + " return out; }",
                selector);
    assertTrue(bad.isEmpty(), "outside the window or too small: " + bad);
  }
}
