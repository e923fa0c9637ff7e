/**
 * IAM as far as S3 replication and Unity Catalog storage credentials need it: roles, their
 * permissions and trust policies, and the policy simulator.
 */
package dev.failover.simulator.iam;
