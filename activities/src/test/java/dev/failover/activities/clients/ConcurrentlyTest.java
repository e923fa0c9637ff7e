package dev.failover.activities.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A failing batch returns only once no item of it is still at work. */
class ConcurrentlyTest {
  @Test
  void aBatchThatFailsWaitsForTheItemsStillRunning() {
    CountDownLatch slowStarted = new CountDownLatch(1);
    AtomicBoolean slowFinished = new AtomicBoolean();
    List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    assertThatThrownBy(
            () ->
                Concurrently.map(
                    items,
                    2,
                    item -> {
                      if (item == 1) {
                        // A write in flight when its sibling fails; like a socket's read, it
                        // does not stop when interrupted.
                        slowStarted.countDown();
                        busyFor(500);
                        slowFinished.set(true);
                        return item;
                      }
                      await(slowStarted);
                      throw new IllegalStateException("item " + item + " refused");
                    },
                    n -> {}))
        .hasMessage("item 0 refused");

    assertThat(slowFinished).isTrue();
  }

  private static void busyFor(long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
