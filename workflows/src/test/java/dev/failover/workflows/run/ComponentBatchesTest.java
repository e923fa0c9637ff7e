package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComponentBatchesTest {
  @Test
  void theComponentsWhoseBatchesListDrsJobsGoInLargerBatches() {
    // Each batch of these lists every job DR holds: fewer batches, fewer listings.
    assertThat(ComponentBatches.batchOf("jobs")).isEqualTo(ComponentBatches.LISTING_BATCH);
    assertThat(ComponentBatches.batchOf("permissions")).isEqualTo(ComponentBatches.LISTING_BATCH);
    // The others keep batches small enough to spread over parallel activities.
    assertThat(ComponentBatches.batchOf("tables")).isEqualTo(ComponentBatches.BATCH);
    assertThat(ComponentBatches.batchOf("notebooks")).isEqualTo(ComponentBatches.BATCH);
    assertThat(ComponentBatches.LISTING_BATCH).isGreaterThan(ComponentBatches.BATCH);
  }
}
