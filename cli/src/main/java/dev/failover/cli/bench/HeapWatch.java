package dev.failover.cli.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * A JVM's heap during one run, two ways, read through its management beans (the benchmark's worker
 * process's, over JMX). The peak in use counts garbage not yet collected, so it follows how large
 * the collector lets the young generation grow (more requests in flight allocate faster, and G1
 * then grows it) more than what the run holds. The largest heap right after a collection is closer
 * to what the run holds: an upper bound, since after a young collection the old generation still
 * holds what died there since the last mixed one.
 */
final class HeapWatch implements NotificationListener {
  private final List<MemoryPoolMXBean> pools;
  private final Set<String> heapPoolNames;
  private final AtomicLong afterGcPeak = new AtomicLong();

  /** Watches the JVM whose beans {@code beans} serves. */
  HeapWatch(MBeanServerConnection beans) throws IOException {
    pools =
        ManagementFactory.getPlatformMXBeans(beans, MemoryPoolMXBean.class).stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    heapPoolNames = pools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    for (ObjectName collector : beans.queryNames(collectors(), null)) {
      try {
        beans.addNotificationListener(collector, this, null, null);
      } catch (InstanceNotFoundException e) {
        throw new IllegalStateException("the JVM's collector " + collector + " went away", e);
      }
    }
  }

  private static ObjectName collectors() {
    try {
      return new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*");
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a run's watch: both peaks from now. */
  void reset() {
    pools.forEach(MemoryPoolMXBean::resetPeakUsage);
    afterGcPeak.set(0);
  }

  /** The heap's peaks since {@link #reset()}. */
  PhaseResult.Heap peaks() {
    long inUse = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    return new PhaseResult.Heap(inUse >> 20, afterGcPeak.get() >> 20);
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    afterGcPeak.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
  }

  private long heapUsed(Map<String, MemoryUsage> byPool) {
    return byPool.entrySet().stream()
        .filter(e -> heapPoolNames.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed())
        .sum();
  }
}
