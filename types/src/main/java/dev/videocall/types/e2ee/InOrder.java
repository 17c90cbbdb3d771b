package dev.videocall.types.e2ee;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Results delivered in the order the work was submitted, whatever order the asynchronous crypto
 * finishes in. A video decoder paints garbage when a delta frame comes out of order, and nothing
 * promises that two WebCrypto calls settle in the order they were made.
 */
final class InOrder {
  /** One piece of work: its result's destination and, once settled, the result. */
  static final class Job {
    final E2eeCrypto.Result<byte[]> done;
    final double submittedAtMs;
    byte[] metadata;
    byte[] olderMetadata; // to try when metadata does not authenticate (E2eeMedia#olderLayout)
    byte[] input;
    long waitingForKid = -1;
    boolean started;
    boolean settled;
    byte[] value;
    String failure;

    Job(E2eeCrypto.Result<byte[]> done, double submittedAtMs) {
      this.done = done;
      this.submittedAtMs = submittedAtMs;
    }
  }

  private final ArrayDeque<Job> jobs = new ArrayDeque<>();

  Job add(E2eeCrypto.Result<byte[]> done, double nowMs) {
    Job j = new Job(done, nowMs);
    jobs.add(j);
    return j;
  }

  int size() {
    return jobs.size();
  }

  /** A copy: delivering a result removes jobs from the line. */
  List<Job> all() {
    return new ArrayList<>(jobs);
  }

  /** A result for {@code job}; it and every settled job after it in line are delivered. */
  E2eeCrypto.Result<byte[]> settle(Job job) {
    return new E2eeCrypto.Result<>() {
      @Override
      public void ok(byte[] value) {
        job.value = value;
        job.settled = true;
        drain();
      }

      @Override
      public void failed(String why) {
        job.failure = why;
        job.settled = true;
        drain();
      }
    };
  }

  private void drain() {
    while (!jobs.isEmpty() && jobs.peekFirst().settled) {
      Job j = jobs.pollFirst();
      if (j.failure == null) {
        j.done.ok(j.value);
      } else {
        j.done.failed(j.failure);
      }
    }
  }
}
