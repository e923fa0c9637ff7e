/** Jobs (Jobs API 2.2): captured with all their tasks, converged paused, schedules restored. */
package dev.failover.activities.components.jobs;
