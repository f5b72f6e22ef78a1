package dev.strata.catalog.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog's versioned schema: ordered SQL scripts ({@code V<n>__<description>.sql}, listed in
 * {@code migrations.list}) and a {@code schema_version} table with one row per applied version.
 * Migrating runs inside one {@code BEGIN IMMEDIATE} transaction, so two processes opening the same
 * catalog at once apply each step exactly once, and a failed step leaves the schema as it was.
 */
public final class SchemaMigrations {
  private static final String FOLDER = "/dev/strata/catalog/schema/";
  private static final Pattern NAME = Pattern.compile("V([0-9]+)__([a-z0-9_]+)\\.sql");

  private final List<Migration> migrations;

  private SchemaMigrations(List<Migration> migrations) {
    this.migrations = List.copyOf(migrations);
  }

  /** Every migration this version of Strata knows. */
  public static SchemaMigrations all() {
    List<Migration> migrations = new ArrayList<>();
    for (String name : resourceLines(FOLDER + "migrations.list")) {
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalStateException("migration script name " + name + " is not V<n>__name.sql");
      }
      int version = Integer.parseInt(m.group(1));
      if (version != migrations.size() + 1) {
        throw new IllegalStateException("migration " + name + " is out of order");
      }
      migrations.add(
          new Migration(
              version, m.group(2).replace('_', ' '), statements(resourceText(FOLDER + name))));
    }
    return new SchemaMigrations(migrations);
  }

  /** The first {@code version} migrations only: the schema as an older Strata left it. */
  public SchemaMigrations upTo(int version) {
    return new SchemaMigrations(migrations.subList(0, Math.min(version, migrations.size())));
  }

  /** The newest version these migrations reach. */
  public int latestVersion() {
    return migrations.size();
  }

  /** The version a database is at: 0 for an empty one. */
  public static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery(
              "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
        if (!exists.next()) {
          return 0;
        }
      }
      try (ResultSet max = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
        return max.next() ? max.getInt(1) : 0;
      }
    }
  }

  /**
   * Brings the database to {@link #latestVersion()}; returns the versions applied (none when it was
   * current). The connection must be in auto-commit mode.
   *
   * @throws SQLException when a step fails (nothing of it stays) or the database is newer than
   *     these migrations
   */
  public List<Integer> migrate(Connection connection) throws SQLException {
    List<Integer> applied = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                + " description TEXT NOT NULL, applied_at TEXT NOT NULL)");
        int current = currentVersion(connection);
        if (current > latestVersion()) {
          throw new SQLException(
              "the catalog has schema version "
                  + current
                  + ", newer than this Strata knows ("
                  + latestVersion()
                  + "); use a newer Strata");
        }
        for (Migration migration : migrations.subList(current, migrations.size())) {
          for (String sql : migration.statements()) {
            statement.execute(sql);
          }
          try (PreparedStatement record =
              connection.prepareStatement(
                  "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?,"
                      + " ?)")) {
            record.setInt(1, migration.version());
            record.setString(2, migration.description());
            record.setString(3, Instant.now().toString());
            record.executeUpdate();
          }
          applied.add(migration.version());
        }
        statement.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        statement.execute("ROLLBACK");
        throw e;
      }
    }
    return applied;
  }

  /** Splits a script at the semicolons that end its lines; {@code --} comment lines dropped. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      if (line.strip().startsWith("--") || line.isBlank()) {
        continue;
      }
      current.append(line).append('\n');
      if (line.stripTrailing().endsWith(";")) {
        statements.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("migration script ends without ';': " + current);
    }
    return statements;
  }

  private static List<String> resourceLines(String resource) {
    return resourceText(resource)
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static String resourceText(String resource) {
    try (InputStream in = SchemaMigrations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      StringBuilder text = new StringBuilder();
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        reader.lines().forEach(l -> text.append(l).append('\n'));
      }
      return text.toString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + resource, e);
    }
  }
}
