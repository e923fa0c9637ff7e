package dev.failover.simulator;

import java.util.ArrayList;
import java.util.List;

/** Every request the simulator answered, in order; tests assert on it (for example, no writes). */
public final class RequestLog {
  private final List<RecordedRequest> requests = new ArrayList<>();

  synchronized void add(RecordedRequest request) {
    requests.add(request);
  }

  public synchronized List<RecordedRequest> all() {
    return List.copyOf(requests);
  }

  /** The mutating requests that reached one service on one side. */
  public synchronized List<RecordedRequest> mutating(String service, String side) {
    return requests.stream()
        .filter(r -> r.mutating() && r.service().equals(service) && r.side().equals(side))
        .toList();
  }

  public synchronized void clear() {
    requests.clear();
  }
}
