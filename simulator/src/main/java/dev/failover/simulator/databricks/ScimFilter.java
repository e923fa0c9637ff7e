package dev.failover.simulator.databricks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A SCIM {@code filter} expression (RFC 7644 §3.4.2.2) over a group's {@code displayName}, {@code
 * id} and {@code externalId}: comparisons with {@code eq}, {@code ne}, {@code co}, {@code sw},
 * {@code ew} and {@code pr}, joined by {@code and} (which binds tighter) and {@code or}, with
 * parentheses. Values may be quoted ({@code displayName eq "data engineers"}) or, as the Databricks
 * docs' examples write them, bare ({@code displayName sw my-}). {@code displayName} compares
 * without case ({@code caseExact} is false for it in RFC 7643); ids compare exactly. Attribute
 * names and operators are case-insensitive. {@code not}, {@code gt}/{@code ge}/{@code lt}/{@code
 * le} and filters on sub-attributes ({@code members.value}) are not simulated and answered 400
 * {@code invalidFilter}.
 */
final class ScimFilter<T> {
  private final List<String> tokens;
  private final Function<String, Function<T, String>> attributes;
  private final java.util.Set<String> caseless;
  private int at;

  private ScimFilter(
      List<String> tokens,
      Function<String, Function<T, String>> attributes,
      java.util.Set<String> caseless) {
    this.tokens = tokens;
    this.attributes = attributes;
    this.caseless = caseless;
  }

  /** The groups the filter selects; every group when {@code filter} is null or blank. */
  static Predicate<GroupsState.Group> parse(String filter) {
    return parse(filter, ScimFilter::groupAttribute, java.util.Set.of("displayname"));
  }

  /**
   * The resources the filter selects, with {@code attributes} giving each attribute name's value
   * (or throwing for one it does not have) and {@code caseless} the lower-cased names of those
   * compared without case (RFC 7643's {@code caseExact} false); every resource when {@code filter}
   * is null or blank.
   */
  static <R> Predicate<R> parse(
      String filter,
      Function<String, Function<R, String>> attributes,
      java.util.Set<String> caseless) {
    if (filter == null || filter.isBlank()) {
      return g -> true;
    }
    ScimFilter<R> parser = new ScimFilter<>(tokenize(filter), attributes, caseless);
    Predicate<R> predicate = parser.or();
    if (parser.at != parser.tokens.size()) {
      throw invalid("unexpected '" + parser.tokens.get(parser.at) + "' in filter " + filter);
    }
    return predicate;
  }

  private Predicate<T> or() {
    Predicate<T> left = and();
    while (keyword("or")) {
      left = left.or(and());
    }
    return left;
  }

  private Predicate<T> and() {
    Predicate<T> left = comparison();
    while (keyword("and")) {
      left = left.and(comparison());
    }
    return left;
  }

  private Predicate<T> comparison() {
    String token = next("an attribute");
    if (token.equals("(")) {
      Predicate<T> inner = or();
      if (!")".equals(next("')'"))) {
        throw invalid("missing ')'");
      }
      return inner;
    }
    Function<T, String> attribute = attributes.apply(token);
    boolean caseExact = !caseless.contains(token.toLowerCase(Locale.ROOT));
    String op = next("an operator").toLowerCase(Locale.ROOT);
    if (op.equals("pr")) {
      return g -> attribute.apply(g) != null;
    }
    String operand = value(next("a value"));
    String wanted = caseExact ? operand : operand.toLowerCase(Locale.ROOT);
    Predicate<String> test =
        switch (op) {
          case "eq" -> v -> v.equals(wanted);
          case "ne" -> v -> !v.equals(wanted);
          case "co" -> v -> v.contains(wanted);
          case "sw" -> v -> v.startsWith(wanted);
          case "ew" -> v -> v.endsWith(wanted);
          default -> throw invalid("unsupported operator " + op);
        };
    return g -> {
      String value = attribute.apply(g);
      if (value == null) {
        return op.equals("ne");
      }
      return test.test(caseExact ? value : value.toLowerCase(Locale.ROOT));
    };
  }

  private static Function<GroupsState.Group, String> groupAttribute(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "displayname" -> GroupsState.Group::displayName;
      case "id" -> GroupsState.Group::id;
      case "externalid" -> GroupsState.Group::externalId;
      default -> throw invalid("unsupported attribute " + name);
    };
  }

  /** A quoted value without its quotes and escapes, or a bare value as it is. */
  private static String value(String token) {
    if (!token.startsWith("\"")) {
      return token;
    }
    StringBuilder value = new StringBuilder();
    for (int i = 1; i < token.length() - 1; i++) {
      char c = token.charAt(i);
      if (c == '\\' && i + 1 < token.length() - 1) {
        c = token.charAt(++i);
      }
      value.append(c);
    }
    return value.toString();
  }

  private boolean keyword(String word) {
    if (at < tokens.size() && tokens.get(at).equalsIgnoreCase(word)) {
      at++;
      return true;
    }
    return false;
  }

  private String next(String what) {
    if (at >= tokens.size()) {
      throw invalid("expected " + what + " at the end of the filter");
    }
    return tokens.get(at++);
  }

  /** Words, quoted strings (kept with their quotes) and parentheses. */
  private static List<String> tokenize(String filter) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < filter.length()) {
      char c = filter.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '"') {
        int end = i + 1;
        while (end < filter.length() && filter.charAt(end) != '"') {
          end += filter.charAt(end) == '\\' ? 2 : 1;
        }
        if (end >= filter.length()) {
          throw invalid("unterminated string in filter " + filter);
        }
        tokens.add(filter.substring(i, end + 1));
        i = end + 1;
      } else {
        int end = i;
        while (end < filter.length()
            && !Character.isWhitespace(filter.charAt(end))
            && filter.charAt(end) != '('
            && filter.charAt(end) != ')') {
          end++;
        }
        tokens.add(filter.substring(i, end));
        i = end;
      }
    }
    return tokens;
  }

  static ScimError invalid(String detail) {
    return new ScimError(400, "invalidFilter", "Invalid filter: " + detail);
  }
}
