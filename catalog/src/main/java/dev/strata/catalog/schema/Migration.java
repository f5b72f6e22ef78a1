package dev.strata.catalog.schema;

import java.util.List;

/** One schema step: its version, a description, and the SQL statements it runs. */
public record Migration(int version, String description, List<String> statements) {
  public Migration {
    statements = List.copyOf(statements);
  }
}
