package dev.videocall.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.videocall.testkit.ServerProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * launch_chrome.sh's flags let Chromium open WebTransport to the server's self-signed certificate
 * without serverCertificateHashes. The script runs for real with CHROME=/bin/echo, so the flags
 * tested are exactly the ones it would launch a browser with.
 */
class LaunchChromeScriptE2ETest {
  @Test
  void theScriptsFlagsConnectWithoutCertificateHashes() throws Exception {
    try (ServerProcess server = ServerProcess.start("launch-chrome")) {
      String base = "http://localhost:" + server.httpPort;
      ProcessBuilder run =
          new ProcessBuilder("bash", "launch_chrome.sh", base, "alice", "demo")
              .directory(new File("..").getCanonicalFile())
              .redirectErrorStream(true);
      run.environment().put("CHROME", "/bin/echo");
      Process echoed = run.start();
      echoed.getOutputStream().close();
      String output = new String(echoed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(echoed.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, echoed.exitValue(), output);
      List<String> flags = new ArrayList<>();
      for (String arg : output.trim().split("\\s+")) {
        if (arg.startsWith("--origin-to-force-quic-on=")
            || arg.startsWith("--ignore-certificate-errors-spki-list=")
            || arg.equals("--enable-quic")) {
          flags.add(arg);
        }
      }
      assertEquals(3, flags.size(), "flags found in: " + output);
      assertTrue(output.trim().endsWith(base + "/meeting/alice/demo"), output);

      List<String> args = new ArrayList<>(Arrays.asList("--no-sandbox", "--no-first-run"));
      args.addAll(flags);
      try (Playwright playwright = Playwright.create();
          Browser browser =
              playwright
                  .chromium()
                  .launch(
                      new BrowserType.LaunchOptions()
                          .setExecutablePath(
                              Path.of(System.getProperty("chromium.path", "/usr/bin/chromium")))
                          .setHeadless(true)
                          .setArgs(args))) {
        Page page = browser.newPage();
        page.navigate(base + "/healthz");
        Object firstBytes =
            page.evaluate(
                "async () => { const info = await (await fetch('/api/webtransport')).json();"
                    + " const wt = new WebTransport(info.url + '/lobby/scripted/demo');"
                    + " await wt.ready;"
                    + " const {value: stream} = await wt.incomingUnidirectionalStreams.getReader().read();"
                    + " const {value} = await stream.getReader().read();"
                    + " wt.close(); return Array.from(value.slice(0, 4)); }");
        @SuppressWarnings("unchecked")
        List<Number> bytes = (List<Number>) firstBytes;
        int at = 1 << (bytes.get(0).intValue() >>> 6);
        assertEquals(
            8, bytes.get(at + 1).intValue(), "SESSION_ASSIGNED without certificate hashes");
      }
    }
  }
}
