package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeetingPageTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(VideocallServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(TestServer.url(server) + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheBuiltInPageAndAssets() throws Exception {
    try (VideocallServer server = TestServer.start()) {
      HttpResponse<String> page = get(server, "/meeting/alice/demo");
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
      assertTrue(page.body().contains(">Join now</button>"), "has the Join button");
      HttpResponse<String> byName = get(server, "/meeting/demo");
      assertEquals(200, byName.statusCode(), "a meeting by name alone");
      assertTrue(byName.body().contains(">Join now</button>"));
      HttpResponse<String> home = get(server, "/");
      assertEquals(200, home.statusCode());
      assertTrue(home.body().contains("New meeting"), "the home page");
      assertEquals(400, get(server, "/meeting/al%20ice/demo").statusCode());
      assertEquals(400, get(server, "/meeting/alice/" + "m".repeat(65)).statusCode());
      HttpResponse<String> css = get(server, "/assets/app.css");
      assertEquals(200, css.statusCode());
      assertTrue(css.body().contains("tailwindcss"), "Tailwind output");
      HttpResponse<String> wasm = get(server, "/assets/js/videocall.wasm");
      assertEquals(200, wasm.statusCode());
      assertEquals("application/wasm", wasm.headers().firstValue("content-type").orElse(""));
      assertEquals(200, get(server, "/assets/js/videocall.wasm-runtime.js").statusCode());
    }
  }

  @Test
  void aWebRootIsReadOnEveryRequest(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("meeting.html"), "first");
    Files.writeString(root.resolve("app.css"), "a{}");
    ServerConfig config =
        ServerConfig.of(
            "--bind", "127.0.0.1",
            "--http-port", "0",
            "--webtransport-port", "0",
            "--auth", "none",
            "--web-root", root.toString());
    try (VideocallServer server = VideocallServer.start(config)) {
      assertEquals("first", get(server, "/meeting/a/b").body());
      Files.writeString(root.resolve("meeting.html"), "second");
      Files.writeString(root.resolve("app.css"), "b{}");
      assertEquals("second", get(server, "/meeting/a/b").body());
      assertEquals("b{}", get(server, "/assets/app.css").body());
    }
  }
}
