package dev.failover.workflows.steps;

import dev.failover.workflows.run.RunReport;
import io.temporal.activity.ActivityInterface;

/** Keeps the run's report next to its snapshots, where it survives a primary outage. */
@ActivityInterface
public interface ReportActivities {
  /** Stores the report as JSON at {@code key} in {@code store}; returns its s3:// URL. */
  String storeReport(BucketTarget store, String key, RunReport report);
}
