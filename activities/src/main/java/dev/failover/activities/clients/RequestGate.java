package dev.failover.activities.clients;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * A bound on the requests the worker has in flight at once, over every SDK client it holds. A
 * request holds its place from the moment it is sent until its answer's status and headers are back
 * (its body is read after). Unbounded unless a limit is set: the API families' pacing, not this
 * gate, is what keeps a real workspace within its limits; the gate exists so that a benchmark can
 * measure the same work with one request in flight.
 */
final class RequestGate {
  /** Sends one request through the gate. */
  interface Send<T> {
    T send() throws IOException;
  }

  private final Semaphore places;

  private RequestGate(Semaphore places) {
    this.places = places;
  }

  /** A gate of {@code requestsInFlight} places; 0 lets every request through at once. */
  static RequestGate of(int requestsInFlight) {
    return new RequestGate(requestsInFlight == 0 ? null : new Semaphore(requestsInFlight, true));
  }

  <T> T send(String what, Send<T> request) throws IOException {
    if (places == null) {
      return request.send();
    }
    try {
      places.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to send " + what);
    }
    try {
      return request.send();
    } finally {
      places.release();
    }
  }
}
