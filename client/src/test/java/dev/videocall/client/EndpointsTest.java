package dev.videocall.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  @Test
  void derivesTheLobbyFromTheBaseUrlAPersonTypes() {
    assertEquals(
        URI.create("ws://127.0.0.1:8080/lobby/alice/demo"),
        Endpoints.webSocket(URI.create("http://127.0.0.1:8080"), "alice", "demo", null));
    assertEquals(
        URI.create("wss://example.org/lobby/alice/demo"),
        Endpoints.webSocket(URI.create("https://example.org/"), "alice", "demo", ""));
    assertEquals(
        URI.create("ws://h:1/vc/lobby/a/m?name=Alice+B%C3%A9"),
        Endpoints.webSocket(URI.create("http://h:1/vc/"), "a", "m", "Alice Bé"));
  }

  @Test
  void refusesWhatCannotWork() {
    assertEquals(
        "server URL must start with http:// or https://, got ftp://h",
        assertThrows(
                IllegalArgumentException.class,
                () -> Endpoints.webSocket(URI.create("ftp://h"), "a", "m", null))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Endpoints.webSocket(URI.create("http://h"), "a/b", "m", null));
  }
}
