/** The activity implementations the worker registers, one per activity interface. */
package dev.failover.activities.steps;
