package dev.strata.cli;

import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every {@code strata catalog} command shares: the store and JSON output. */
final class CatalogOptions {
  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "The store folder (default: $XDG_DATA_HOME/strata).")
  Path store;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  Catalog open() throws CatalogException {
    return Catalog.open(store != null ? store : OciLayoutStore.defaultRoot());
  }
}
