package dev.failover.simulator.databricks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the one SQL statement of a request into a {@link Ddl}, strictly: the DDL subset that
 * registers and describes tables and views (see {@link Ddl}'s records) in Databricks SQL syntax,
 * with backquoted identifiers, string literals with backslash escapes, and an optional trailing
 * semicolon. Anything else is a {@link SqlError}: a syntax error where Databricks SQL would report
 * one, and {@code UNSUPPORTED_FEATURE} for valid statements the simulator does not run (queries,
 * DML, other DDL).
 */
final class SqlParser {
  /** Leading keywords of statements that are valid SQL but that the simulator does not run. */
  private static final Set<String> UNSUPPORTED =
      Set.of(
          "SELECT",
          "WITH",
          "INSERT",
          "UPDATE",
          "DELETE",
          "MERGE",
          "GRANT",
          "REVOKE",
          "DESCRIBE",
          "SHOW",
          "USE",
          "SET",
          "OPTIMIZE",
          "VACUUM",
          "ANALYZE",
          "REFRESH",
          "MSCK",
          "TRUNCATE",
          "COPY",
          "VALUES",
          "EXPLAIN",
          "CACHE",
          "UNCACHE");

  private static final Set<String> FORMATS =
      Set.of("DELTA", "PARQUET", "CSV", "JSON", "AVRO", "ORC", "TEXT");

  private static final Set<String> QUERY_STARTS =
      Set.of("SELECT", "WITH", "VALUES", "FROM", "TABLE");

  private enum Kind {
    WORD,
    QUOTED,
    STRING,
    NUMBER,
    SYMBOL,
    END
  }

  private record Token(Kind kind, String text, int start) {
    boolean is(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(char symbol) {
      return kind == Kind.SYMBOL && text.charAt(0) == symbol;
    }
  }

  private final String sql;
  private final List<Token> tokens;
  private final String defaultCatalog;
  private final String defaultSchema;
  private int next;

  private SqlParser(String sql, String defaultCatalog, String defaultSchema) {
    this.sql = sql;
    this.tokens = tokenize(sql);
    this.defaultCatalog = defaultCatalog;
    this.defaultSchema = defaultSchema;
  }

  /**
   * Parses one statement. Names with fewer than three parts take the request's {@code catalog} and
   * {@code schema}; without them, the simulator uses {@code main} and {@code default}, the defaults
   * of a workspace whose default catalog is {@code main}.
   */
  static Ddl parse(String sql, String catalog, String schema) {
    SqlParser parser =
        new SqlParser(sql, catalog == null ? "main" : catalog, schema == null ? "default" : schema);
    Ddl ddl = parser.statement();
    if (parser.peek().isSymbol(';')) {
      parser.next++;
    }
    parser.expectEnd();
    return ddl;
  }

  private Ddl statement() {
    Token first = peek();
    if (first.kind() == Kind.WORD && UNSUPPORTED.contains(first.text().toUpperCase(Locale.ROOT))) {
      throw new SqlError(
          "UNSUPPORTED_FEATURE",
          "0A000",
          "The simulator runs only the DDL that registers tables and views; "
              + first.text().toUpperCase(Locale.ROOT)
              + " statements are not simulated.");
    }
    if (accept("CREATE")) {
      boolean orReplace = false;
      if (accept("OR")) {
        expect("REPLACE");
        orReplace = true;
      }
      if (accept("VIEW")) {
        return createView(orReplace);
      }
      if (peek().is("TABLE") && orReplace) {
        throw new SqlError(
            "UNSUPPORTED_FEATURE",
            "0A000",
            "CREATE OR REPLACE TABLE is not simulated; use CREATE TABLE [IF NOT EXISTS].");
      }
      expect("TABLE");
      return createTable();
    }
    if (accept("DROP")) {
      boolean view = accept("VIEW");
      if (!view) {
        expect("TABLE");
      }
      boolean ifExists = acceptAll("IF", "EXISTS");
      return new Ddl.Drop(name(), view, ifExists);
    }
    if (accept("ALTER")) {
      boolean view = accept("VIEW");
      if (!view) {
        expect("TABLE");
      }
      Ddl.Name name = name();
      return alter(name, view);
    }
    if (accept("COMMENT")) {
      expect("ON");
      expect("TABLE");
      Ddl.Name name = name();
      expect("IS");
      return new Ddl.CommentOn(name, accept("NULL") ? null : string());
    }
    throw syntaxError();
  }

  private Ddl createTable() {
    boolean ifNotExists = acceptAll("IF", "NOT", "EXISTS");
    Ddl.Name name = name();
    List<WorkspaceState.Column> columns = new ArrayList<>();
    WorkspaceState.PrimaryKey primaryKey = null;
    if (acceptSymbol('(')) {
      do {
        if (accept("CONSTRAINT")) {
          if (primaryKey != null) {
            throw syntaxError();
          }
          primaryKey = primaryKey(identifier());
        } else {
          columns.add(column());
        }
      } while (acceptSymbol(','));
      expectSymbol(')');
    }
    String format = null;
    String location = null;
    String comment = null;
    Map<String, String> properties = Map.of();
    if (accept("USING")) {
      Token token = peek();
      String candidate = identifier().toUpperCase(Locale.ROOT);
      if (!FORMATS.contains(candidate)) {
        throw SqlError.syntax(token.text());
      }
      format = candidate;
    }
    while (true) {
      if (location == null && accept("LOCATION")) {
        location = string();
      } else if (comment == null && accept("COMMENT")) {
        comment = string();
      } else if (properties.isEmpty() && accept("TBLPROPERTIES")) {
        properties = properties();
      } else {
        break;
      }
    }
    return new Ddl.CreateTable(
        name,
        ifNotExists,
        columns,
        primaryKey,
        format == null ? "DELTA" : format,
        location,
        comment,
        properties);
  }

  private Ddl createView(boolean orReplace) {
    boolean ifNotExists = acceptAll("IF", "NOT", "EXISTS");
    if (orReplace && ifNotExists) {
      throw new SqlError(
          "INVALID_SQL_SYNTAX",
          "42000",
          "CREATE VIEW with both IF NOT EXISTS and REPLACE is not allowed.");
    }
    Ddl.Name name = name();
    String comment = null;
    Map<String, String> properties = Map.of();
    while (true) {
      if (comment == null && accept("COMMENT")) {
        comment = string();
      } else if (properties.isEmpty() && accept("TBLPROPERTIES")) {
        properties = properties();
      } else {
        break;
      }
    }
    expect("AS");
    Token start = peek();
    if (start.kind() != Kind.WORD
        || !QUERY_STARTS.contains(start.text().toUpperCase(Locale.ROOT))) {
      throw syntaxError();
    }
    String query = sql.substring(start.start()).strip();
    if (query.endsWith(";")) {
      query = query.substring(0, query.length() - 1).strip();
    }
    next = tokens.size() - 1;
    return new Ddl.CreateView(
        name, orReplace, ifNotExists, comment, properties, query, defaultCatalog, defaultSchema);
  }

  private Ddl alter(Ddl.Name name, boolean view) {
    if (accept("OWNER") || acceptAll("SET", "OWNER")) {
      expect("TO");
      return new Ddl.SetOwner(name, view, principal());
    }
    if (!view && accept("ADD")) {
      expect("CONSTRAINT");
      return new Ddl.AddPrimaryKey(name, primaryKey(identifier()));
    }
    if (!view && accept("DROP")) {
      expect("PRIMARY");
      expect("KEY");
      return new Ddl.DropPrimaryKey(name, acceptAll("IF", "EXISTS"));
    }
    throw syntaxError();
  }

  private WorkspaceState.PrimaryKey primaryKey(String constraint) {
    expect("PRIMARY");
    expect("KEY");
    expectSymbol('(');
    List<String> columns = new ArrayList<>();
    do {
      columns.add(identifier());
    } while (acceptSymbol(','));
    expectSymbol(')');
    return new WorkspaceState.PrimaryKey(constraint, columns);
  }

  /** {@code name type [NOT NULL] [COMMENT '...']}. */
  private WorkspaceState.Column column() {
    String name = identifier();
    String type = type();
    boolean nullable = !acceptAll("NOT", "NULL");
    String comment = accept("COMMENT") ? string() : null;
    return new WorkspaceState.Column(name, type, nullable, comment);
  }

  /**
   * A type as written, upper case: a word, with its parameters ({@code DECIMAL(12,2)}) or its
   * element types ({@code ARRAY<STRING>}, {@code STRUCT<a: INT>}) taken as they are.
   */
  private String type() {
    Token word = take();
    if (word.kind() != Kind.WORD) {
      throw SqlError.syntax(word.kind() == Kind.END ? null : word.text());
    }
    int end = word.start() + word.text().length();
    char open = peek().kind() == Kind.SYMBOL ? peek().text().charAt(0) : 0;
    if (open == '(' || open == '<') {
      char close = open == '(' ? ')' : '>';
      int depth = 0;
      do {
        Token t = take();
        if (t.kind() == Kind.END) {
          throw SqlError.syntax(null);
        }
        if (t.isSymbol(open)) {
          depth++;
        } else if (t.isSymbol(close)) {
          depth--;
        }
        end = t.start() + t.text().length();
      } while (depth > 0);
    }
    return sql.substring(word.start(), end).toUpperCase(Locale.ROOT).replaceAll("\\s+", "");
  }

  /** {@code ( 'key' = 'value' [, ...] )}; keys may also be dotted identifiers. */
  private Map<String, String> properties() {
    Map<String, String> properties = new LinkedHashMap<>();
    expectSymbol('(');
    do {
      String key;
      if (peek().kind() == Kind.STRING) {
        key = string();
      } else {
        StringBuilder dotted = new StringBuilder(identifier());
        while (acceptSymbol('.')) {
          dotted.append('.').append(identifier());
        }
        key = dotted.toString();
      }
      expectSymbol('=');
      properties.put(key, string());
    } while (acceptSymbol(','));
    expectSymbol(')');
    return properties;
  }

  private Ddl.Name name() {
    List<String> parts = new ArrayList<>();
    parts.add(identifier());
    while (acceptSymbol('.')) {
      parts.add(identifier());
    }
    if (parts.size() > 3) {
      throw new SqlError(
          "REQUIRES_SINGLE_PART_NAMESPACE",
          "42K05",
          "The name " + String.join(".", parts) + " has more than three parts.");
    }
    List<String> lower = parts.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    return switch (lower.size()) {
      case 1 -> new Ddl.Name(defaultCatalog, defaultSchema, lower.get(0));
      case 2 -> new Ddl.Name(defaultCatalog, lower.get(0), lower.get(1));
      default -> new Ddl.Name(lower.get(0), lower.get(1), lower.get(2));
    };
  }

  /** A principal: backquoted, or a bare word. */
  private String principal() {
    return identifier();
  }

  private String identifier() {
    Token token = take();
    if (token.kind() == Kind.WORD || token.kind() == Kind.QUOTED) {
      return token.text();
    }
    throw SqlError.syntax(token.kind() == Kind.END ? null : token.text());
  }

  private String string() {
    Token token = take();
    if (token.kind() != Kind.STRING) {
      throw SqlError.syntax(token.kind() == Kind.END ? null : token.text());
    }
    return token.text();
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token token = tokens.get(next);
    if (token.kind() != Kind.END) {
      next++;
    }
    return token;
  }

  private boolean accept(String keyword) {
    if (peek().is(keyword)) {
      next++;
      return true;
    }
    return false;
  }

  /** Accepts the keywords only all together. */
  private boolean acceptAll(String... keywords) {
    for (int i = 0; i < keywords.length; i++) {
      Token token = tokens.get(Math.min(next + i, tokens.size() - 1));
      if (!token.is(keywords[i])) {
        return false;
      }
    }
    next += keywords.length;
    return true;
  }

  private void expect(String keyword) {
    if (!accept(keyword)) {
      throw syntaxError();
    }
  }

  private boolean acceptSymbol(char symbol) {
    if (peek().isSymbol(symbol)) {
      next++;
      return true;
    }
    return false;
  }

  private void expectSymbol(char symbol) {
    if (!acceptSymbol(symbol)) {
      throw syntaxError();
    }
  }

  private void expectEnd() {
    if (peek().kind() != Kind.END) {
      throw syntaxError();
    }
  }

  private SqlError syntaxError() {
    Token token = peek();
    return SqlError.syntax(token.kind() == Kind.END ? null : token.text());
  }

  /** Words after which a parenthesis opens a subquery or a list, not a function's arguments. */
  private static final Set<String> NOT_CALLS =
      Set.of("FROM", "JOIN", "IN", "AS", "EXISTS", "ON", "WHERE", "SELECT", "AND", "OR", "NOT");

  /**
   * The names of the tables and views a query reads, as written (one to three parts): what follows
   * {@code FROM} or {@code JOIN}, and each further name of a comma-separated {@code FROM} list.
   * Subqueries are looked into; names inside a function's parentheses ({@code EXTRACT(YEAR FROM
   * ts)}), table-valued functions and the names of common table expressions are left out. A
   * simplification of the analyzer, which resolves every relation of the plan.
   */
  static List<List<String>> tableReferences(String query) {
    List<Token> tokens = tokenize(query);
    Set<String> cteNames = new java.util.HashSet<>();
    for (int i = 0; i + 2 < tokens.size(); i++) {
      if (isName(tokens.get(i)) && tokens.get(i + 1).is("AS") && tokens.get(i + 2).isSymbol('(')) {
        cteNames.add(tokens.get(i).text().toLowerCase(Locale.ROOT));
      }
    }
    List<List<String>> references = new ArrayList<>();
    java.util.Deque<Boolean> calls = new java.util.ArrayDeque<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (token.isSymbol('(')) {
        Token before = i == 0 ? null : tokens.get(i - 1);
        calls.push(
            before != null
                && isName(before)
                && !NOT_CALLS.contains(before.text().toUpperCase(Locale.ROOT)));
      } else if (token.isSymbol(')')) {
        if (!calls.isEmpty()) {
          calls.pop();
        }
      } else if ((token.is("FROM") || token.is("JOIN")) && !calls.contains(Boolean.TRUE)) {
        int at = i + 1;
        while (at < tokens.size() && isName(tokens.get(at))) {
          List<String> parts = new ArrayList<>(List.of(tokens.get(at).text()));
          at++;
          while (at + 1 < tokens.size()
              && tokens.get(at).isSymbol('.')
              && isName(tokens.get(at + 1))) {
            parts.add(tokens.get(at + 1).text());
            at += 2;
          }
          boolean function = at < tokens.size() && tokens.get(at).isSymbol('(');
          boolean cte =
              parts.size() == 1 && cteNames.contains(parts.get(0).toLowerCase(Locale.ROOT));
          if (!function && !cte) {
            references.add(parts);
          }
          if (!token.is("FROM")) {
            break;
          }
          // A comma-separated FROM list: skip an alias, then take the next name.
          if (at < tokens.size() && tokens.get(at).is("AS")) {
            at++;
          }
          if (at < tokens.size() && isName(tokens.get(at)) && !isKeyword(tokens.get(at))) {
            at++;
          }
          if (at < tokens.size() && tokens.get(at).isSymbol(',')) {
            at++;
          } else {
            break;
          }
        }
      }
    }
    return references;
  }

  private static boolean isName(Token token) {
    return token.kind() == Kind.WORD || token.kind() == Kind.QUOTED;
  }

  /** Words that end a relation in a FROM clause, so they are never taken for an alias. */
  private static boolean isKeyword(Token token) {
    return token.kind() == Kind.WORD
        && Set.of(
                "WHERE",
                "GROUP",
                "ORDER",
                "HAVING",
                "LIMIT",
                "JOIN",
                "INNER",
                "LEFT",
                "RIGHT",
                "FULL",
                "CROSS",
                "ON",
                "UNION",
                "EXCEPT",
                "INTERSECT",
                "WINDOW",
                "LATERAL")
            .contains(token.text().toUpperCase(Locale.ROOT));
  }

  private static List<Token> tokenize(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && sql.startsWith("--", i)) {
        while (i < sql.length() && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '`') {
        StringBuilder text = new StringBuilder();
        int start = i++;
        while (true) {
          if (i >= sql.length()) {
            throw SqlError.syntax(null);
          }
          if (sql.charAt(i) == '`') {
            if (i + 1 < sql.length() && sql.charAt(i + 1) == '`') {
              text.append('`');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          text.append(sql.charAt(i++));
        }
        tokens.add(new Token(Kind.QUOTED, text.toString(), start));
      } else if (c == '\'' || c == '"') {
        StringBuilder text = new StringBuilder();
        int start = i++;
        while (true) {
          if (i >= sql.length()) {
            throw SqlError.syntax(null);
          }
          char d = sql.charAt(i);
          if (d == '\\' && i + 1 < sql.length()) {
            char e = sql.charAt(i + 1);
            text.append(
                switch (e) {
                  case 'n' -> '\n';
                  case 't' -> '\t';
                  default -> e;
                });
            i += 2;
            continue;
          }
          i++;
          if (d == c) {
            break;
          }
          text.append(d);
        }
        tokens.add(new Token(Kind.STRING, text.toString(), start));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < sql.length()
            && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(start, i), start));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < sql.length() && Character.isDigit(sql.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), start));
      } else {
        tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
        i++;
      }
    }
    tokens.add(new Token(Kind.END, "", sql.length()));
    return tokens;
  }
}
