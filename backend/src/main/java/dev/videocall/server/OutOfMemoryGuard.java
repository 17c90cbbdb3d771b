package dev.videocall.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import javax.management.NotificationEmitter;

/**
 * Ends the process when the heap is exhausted, rather than limping on: an OutOfMemoryError kills
 * whichever thread meets it (an event loop, a writer, the heartbeat timer) and leaves a server that
 * answers nothing and ignores SIGTERM. A supervisor (systemd, Kubernetes, compose's restart policy)
 * starts a fresh one. {@code -XX:+ExitOnOutOfMemoryError} does the same and is in the documented
 * command lines; this covers a plain {@code java -jar}: an error that reaches a thread's top, or a
 * heap still at least 98% full right after a full collection.
 */
final class OutOfMemoryGuard {
  static final double FULL_AFTER_GC = 0.98;

  private OutOfMemoryGuard() {}

  static void install() {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          if (error instanceof OutOfMemoryError) {
            halt("out of memory in thread " + thread.getName());
          }
          if (previous != null) {
            previous.uncaughtException(thread, error);
          } else {
            error.printStackTrace();
          }
        });
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      long max = pool.getUsage().getMax();
      if (pool.getType() == MemoryType.HEAP
          && pool.isCollectionUsageThresholdSupported()
          && max > 0
          && pool.getName().matches("(?i).*(old|tenured).*")) {
        pool.setCollectionUsageThreshold((long) (max * FULL_AFTER_GC));
      }
    }
    NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
    emitter.addNotificationListener(
        (notification, handback) -> {
          if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(
              notification.getType())) {
            halt("the heap is still full after garbage collection");
          }
        },
        null,
        null);
  }

  private static void halt(String why) {
    System.err.println("videocall server: " + why + "; exiting so that it can be restarted");
    System.err.flush();
    Runtime.getRuntime().halt(3);
  }
}
