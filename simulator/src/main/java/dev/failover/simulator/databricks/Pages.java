package dev.failover.simulator.databricks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Unity Catalog's list pagination. A page token is opaque to clients; here it is the URL-safe
 * base64 of the sort key of the last item returned, so a page stays correct when items are added or
 * removed between requests, as a real cursor does.
 */
final class Pages {
  /**
   * The server's page length for catalogs and schemas when a client sends {@code max_results=0},
   * which the SDK does by default. The real server's value is not documented; a small one makes
   * tests cross pages with few objects.
   */
  static final int DEFAULT_PAGE = 50;

  /** The most items one page returns whatever {@code max_results} asks for. */
  static final int MAX_PAGE = 1000;

  /** Grants pages count privileges: below this many a page might not fit one assignment. */
  static final int MIN_GRANTS_PAGE = 150;

  private Pages() {}

  /** One page: the items and the token of the next page, or null on the last page. */
  record Page<T>(List<T> items, String nextPageToken) {}

  /**
   * The page length {@code max_results} asks for: absent means every item (the legacy behaviour the
   * API documents as not recommended), 0 the server's page length, a positive value at most the
   * server's maximum, a negative value is invalid.
   */
  static int length(Map<String, String> query, String parameter) {
    if (!query.containsKey(parameter)) {
      return Integer.MAX_VALUE;
    }
    int max = parseInt(query.get(parameter), parameter);
    if (max < 0) {
      throw ApiError.invalid(parameter + " must be greater than or equal to 0");
    }
    return max == 0 ? DEFAULT_PAGE : Math.min(max, MAX_PAGE);
  }

  /**
   * The page length in privileges that {@code max_results} asks for on the grants endpoint, where
   * the API rejects values from 1 to 149 so that a page can always hold a whole assignment.
   */
  static int grantsLength(Map<String, String> query) {
    if (!query.containsKey("max_results")) {
      return Integer.MAX_VALUE;
    }
    int max = parseInt(query.get("max_results"), "max_results");
    if (max < 0 || (max > 0 && max < MIN_GRANTS_PAGE)) {
      throw ApiError.invalid(
          "max_results must be 0 or at least " + MIN_GRANTS_PAGE + ", got " + max);
    }
    return max == 0 ? MAX_PAGE : Math.min(max, MAX_PAGE);
  }

  /** A page of at most {@code length} items after the token's position. */
  static <T> Page<T> page(List<T> items, Function<T, String> key, String pageToken, int length) {
    return page(items, key, item -> 1, pageToken, length);
  }

  /**
   * A page whose items' weights sum to at most {@code length}; the first item is always taken, so
   * every page makes progress.
   */
  static <T> Page<T> page(
      List<T> items,
      Function<T, String> key,
      ToIntFunction<T> weight,
      String pageToken,
      int length) {
    String after = after(pageToken);
    List<T> page = new ArrayList<>();
    long used = 0;
    for (T item : items) {
      if (after != null && key.apply(item).compareTo(after) <= 0) {
        continue;
      }
      int w = weight.applyAsInt(item);
      if (!page.isEmpty() && used + w > length) {
        String last = key.apply(page.get(page.size() - 1));
        return new Page<>(
            page,
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
      }
      page.add(item);
      used += w;
    }
    return new Page<>(page, null);
  }

  private static String after(String pageToken) {
    if (pageToken == null || pageToken.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("Invalid page_token: " + pageToken);
    }
  }

  private static int parseInt(String value, String parameter) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid(parameter + " must be an integer, got '" + value + "'");
    }
  }
}
