/** KMS as far as the failback's catch-up copy needs it: DescribeKey of the AWS managed keys. */
package dev.failover.simulator.kms;
