package dev.failover.activities.snapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The part of a batch a failover still has to converge and check when the target matched an earlier
 * snapshot: the items that snapshot did not hold, or held differently. The others are in the target
 * as the earlier smoke test found them, unless someone changed them there by hand since, which only
 * a full comparison ({@code --compare-all}) sees.
 */
public final class SinceVerified {
  private SinceVerified() {}

  /** The items of {@code batch} that are not in {@code verified} as they are now, by key. */
  public static <T> List<T> changed(List<T> batch, List<T> verified, Function<T, String> key) {
    Map<String, T> before = new HashMap<>();
    verified.forEach(item -> before.put(key.apply(item), item));
    return batch.stream()
        .filter(item -> !Objects.equals(before.get(key.apply(item)), item))
        .toList();
  }

  /** The key grants are compared by: one securable's whole list of assignments. */
  public static String securable(ControlPlaneSnapshot.Grants grants) {
    return grants.securableType() + " " + grants.fullName();
  }
}
