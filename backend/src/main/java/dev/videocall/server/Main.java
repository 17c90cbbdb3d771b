package dev.videocall.server;

/** {@code java -jar videocall-server.jar [options]}: see {@link ServerConfig#USAGE}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ServerConfig config;
    try {
      config = ServerConfig.parse(args, System.getenv());
    } catch (ServerConfig.InvalidConfig e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(ServerConfig.USAGE);
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.println(ServerConfig.USAGE);
      return;
    }
    VideocallServer server = VideocallServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
  }
}
