package dev.strata.catalog;

/**
 * A build as the catalog holds it: its number among its node's builds, where it came from ({@code
 * build} when the engine recorded it, {@code sync} when read from a registry) and the record.
 */
public record StoredBuild(BuildId id, String origin, BuildRecord record) {

  public String node() {
    return id.node();
  }

  public String digest() {
    return record.digest();
  }
}
