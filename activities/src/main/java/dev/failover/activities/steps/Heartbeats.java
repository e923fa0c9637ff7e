package dev.failover.activities.steps;

import io.temporal.activity.Activity;
import java.util.function.IntConsumer;

/** Reports an activity's progress (objects done) as its heartbeat, so a stuck step is noticed. */
final class Heartbeats {
  private Heartbeats() {}

  static IntConsumer objectsDone() {
    var context = Activity.getExecutionContext();
    return done -> context.heartbeat(done);
  }
}
