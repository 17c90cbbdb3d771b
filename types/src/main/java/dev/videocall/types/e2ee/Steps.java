package dev.videocall.types.e2ee;

/** Chaining asynchronous steps: a failure anywhere goes to the chain's one result. */
final class Steps {
  private Steps() {}

  interface Next<T> {
    void run(T value);
  }

  static <T, R> E2eeCrypto.Result<T> then(E2eeCrypto.Result<R> outer, Next<T> next) {
    return new E2eeCrypto.Result<>() {
      @Override
      public void ok(T value) {
        next.run(value);
      }

      @Override
      public void failed(String why) {
        outer.failed(why);
      }
    };
  }
}
