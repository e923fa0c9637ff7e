package dev.failover.activities.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaptureFeedTest {
  private static final String KEY = "failover/acme/snapshots/run-1.json.gz";
  private static final Duration NO_WAIT = Duration.ZERO;

  private final CaptureFeed feeds = new CaptureFeed();

  @Test
  void itemsComeInTheOrderCaptureReadThemAtMostSoManyAtATime() throws Exception {
    CaptureFeed.Feed feed = feeds.open(KEY, "jobs");
    feed.publish("a");
    feed.publish("b");
    feed.publish("c");

    CaptureFeed.Feed found = feeds.find(KEY, "jobs").orElseThrow();

    assertThat(found.next(String.class, 2, NO_WAIT)).containsExactly("a", "b");
    assertThat(found.next(String.class, 2, NO_WAIT)).containsExactly("c");
    assertThat(found.next(String.class, 2, NO_WAIT)).isEmpty();
    assertThat(found.finished()).isFalse();
  }

  @Test
  void aClosedFeedIsFinishedOnceDrainedAndStaysFoundUntilCaptureEnds() throws Exception {
    CaptureFeed.Feed feed = feeds.open(KEY, "jobs");
    feed.publish("a");
    feed.close();

    assertThat(feed.finished()).isFalse();
    assertThat(feeds.find(KEY, "jobs")).isPresent();
    assertThat(feed.next(String.class, 10, NO_WAIT)).containsExactly("a");
    assertThat(feed.finished()).isTrue();

    feeds.drop(KEY);
    assertThat(feeds.find(KEY, "jobs")).isEmpty();
  }

  @Test
  void theEndOfACaptureClosesItsFeedsAndLetsThemGoButNoOtherCapturesFeeds() {
    CaptureFeed.Feed mine = feeds.open(KEY, "jobs");
    CaptureFeed.Feed other = feeds.open("failover/acme/snapshots/run-2.json.gz", "jobs");
    mine.publish("a");

    feeds.drop(KEY);

    assertThat(feeds.find(KEY, "jobs")).isEmpty();
    // A consumer that found it still drains what was handed on, then stops.
    assertThat(mine.finished()).isFalse();
    mine.publish("late");
    assertThat(feeds.find("failover/acme/snapshots/run-2.json.gz", "jobs")).contains(other);
    assertThat(other.finished()).isFalse();
  }

  @Test
  void aRetriedCaptureReplacesTheFeedItsFailedAttemptLeft() throws Exception {
    CaptureFeed.Feed failed = feeds.open(KEY, "jobs");
    failed.publish("from the failed attempt");

    CaptureFeed.Feed retried = feeds.open(KEY, "jobs");
    failed.publish("never handed on");

    assertThat(feeds.find(KEY, "jobs")).contains(retried);
    assertThat(failed.next(String.class, 10, NO_WAIT)).containsExactly("from the failed attempt");
    assertThat(failed.finished()).isTrue();
  }

  @Test
  void aConsumerWaitsForTheNextItem() throws Exception {
    CaptureFeed.Feed feed = feeds.open(KEY, "jobs");
    Thread capture =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              feed.publish("a");
            });
    capture.start();

    assertThat(feed.next(String.class, 10, Duration.ofSeconds(10))).containsExactly("a");
    capture.join();
  }
}
