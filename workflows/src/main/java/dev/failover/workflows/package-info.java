/**
 * What happens in a failover, failback or drill, and in what order: the runbook model, the run's
 * plan and report, the workflow, and the activity interfaces it calls. Everything here is
 * deterministic and free of I/O so that Temporal can replay it; the cloud SDKs are banned from this
 * module by the build.
 */
package dev.failover.workflows;
