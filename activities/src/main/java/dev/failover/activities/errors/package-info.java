/** Classification of SDK errors into the failure types the workflow's retry policy relies on. */
package dev.failover.activities.errors;
