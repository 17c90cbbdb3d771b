package dev.videocall.server;

/**
 * {@code java -jar videocall-server.jar [options]}: see {@link ServerConfig#usage}. Exit codes: 2
 * for a usage error, 1 when the server cannot start (one line says why, everything it started is
 * closed), 3 when it runs out of memory (see {@link OutOfMemoryGuard}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ServerConfig config;
    try {
      config = ServerConfig.parse(args, System.getenv());
    } catch (ServerConfig.InvalidConfig e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(ServerConfig.usage());
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.println(ServerConfig.usage());
      return;
    }
    OutOfMemoryGuard.install();
    VideocallServer server;
    try {
      server = VideocallServer.start(config);
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
  }
}
