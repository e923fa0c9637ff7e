package dev.failover.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapWatchTest {
  @Test
  void aCollectionReportsWhatSurvivedIt() throws Exception {
    HeapWatch watch = new HeapWatch(ManagementFactory.getPlatformMBeanServer());
    watch.reset();
    byte[] held = new byte[64 << 20];
    System.gc();
    // The collector's notification arrives on its own thread, a moment after the collection.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (watch.peaks().afterGcMiB() < 64 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    PhaseResult.Heap heap = watch.peaks();
    assertThat(held).hasSize(64 << 20);
    assertThat(heap.afterGcMiB()).isGreaterThanOrEqualTo(64);
    assertThat(heap.peakMiB()).isGreaterThanOrEqualTo(heap.afterGcMiB());
  }
}
