/** IAM as far as S3 replication needs it: roles, their permissions, and the policy simulator. */
package dev.failover.simulator.iam;
